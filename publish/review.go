package publish

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/go-github/v84/github"
)

// Inline is one finding to post on the line it is about.
type Inline struct {
	// Fingerprint identifies the finding across runs: a re-run updates the
	// comment with this fingerprint instead of adding another.
	Fingerprint string
	Path        string
	Line        int
	// Body is the comment's markdown, escaped by the caller.
	Body string
}

// MaxInline is how many inline comments one run posts at most.
const MaxInline = 20

// Reviewer posts findings on the lines a pull request changes as one review
// of inline comments, keeps them up to date across runs, and marks those
// whose finding is gone as fixed.
type Reviewer struct {
	Client *github.Client
	// Author is the login whose review comments are driftgate's.
	Author string
}

// ReviewResult says what Review did.
type ReviewResult struct {
	Posted, Updated, Fixed, OffDiff int
}

var inlineMarker = regexp.MustCompile(`<!-- driftgate:inline fp=([0-9a-f]+)( fixed)? -->`)

// Review posts, on pull request number at commit, the findings (most severe
// first) that sit on lines the pull request adds or changes, at most
// MaxInline of them.
func (rv *Reviewer) Review(ctx context.Context, owner, repo string, number int, commit string, findings []Inline) (ReviewResult, error) {
	var res ReviewResult
	changed, err := rv.changedLines(ctx, owner, repo, number)
	if err != nil {
		return res, err
	}
	var onDiff []Inline
	for _, f := range findings {
		if changed[f.Path][f.Line] {
			if len(onDiff) < MaxInline {
				onDiff = append(onDiff, f)
			}
		} else {
			res.OffDiff++
		}
	}
	earlier, err := rv.earlier(ctx, owner, repo, number)
	if err != nil {
		return res, err
	}
	current := map[string]bool{}
	var fresh []*github.DraftReviewComment
	for _, f := range onDiff {
		current[f.Fingerprint] = true
		body := fmt.Sprintf("<!-- driftgate:inline fp=%s -->\n%s", f.Fingerprint, f.Body)
		if old, ok := earlier[f.Fingerprint]; ok {
			if old.GetBody() != body {
				if _, _, err := rv.Client.PullRequests.EditComment(ctx, owner, repo, old.GetID(), &github.PullRequestComment{Body: github.Ptr(body)}); err != nil {
					return res, classify("updating an inline comment", err)
				}
				res.Updated++
			}
			continue
		}
		fresh = append(fresh, &github.DraftReviewComment{Path: github.Ptr(f.Path), Line: github.Ptr(f.Line), Side: github.Ptr("RIGHT"), Body: github.Ptr(body)})
	}
	for fp, old := range earlier {
		m := inlineMarker.FindStringSubmatch(old.GetBody())
		if current[fp] || m == nil || m[2] != "" {
			continue
		}
		// The finding is gone: say so on its thread rather than leave it standing.
		first, _, _ := strings.Cut(strings.TrimPrefix(old.GetBody(), m[0]+"\n"), "\n")
		body := fmt.Sprintf("<!-- driftgate:inline fp=%s fixed -->\n✅ **Fixed**: driftgate no longer finds this at %s.\n\n~~%s~~", fp, shortSHA(commit), first)
		if _, _, err := rv.Client.PullRequests.EditComment(ctx, owner, repo, old.GetID(), &github.PullRequestComment{Body: github.Ptr(body)}); err != nil {
			return res, classify("marking an inline comment fixed", err)
		}
		res.Fixed++
	}
	if len(fresh) == 0 {
		return res, nil
	}
	summary := fmt.Sprintf("driftgate: %d finding(s) on lines this pull request changes.", len(fresh))
	if _, _, err := rv.Client.PullRequests.CreateReview(ctx, owner, repo, number, &github.PullRequestReviewRequest{
		CommitID: github.Ptr(commit), Event: github.Ptr("COMMENT"), Body: github.Ptr(summary), Comments: fresh}); err != nil {
		return res, classify("creating the review", err)
	}
	res.Posted = len(fresh)
	return res, nil
}

// changedLines maps each file the pull request changes to the lines of its
// new version that the diff adds.
func (rv *Reviewer) changedLines(ctx context.Context, owner, repo string, number int) (map[string]map[int]bool, error) {
	out := map[string]map[int]bool{}
	opts := &github.ListOptions{PerPage: 100}
	for {
		files, resp, err := rv.Client.PullRequests.ListFiles(ctx, owner, repo, number, opts)
		if err != nil {
			return nil, classify("listing the pull request's files", err)
		}
		for _, f := range files {
			out[f.GetFilename()] = addedLines(f.GetPatch())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

var hunk = regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@`)

// addedLines reads a unified diff's hunks for the new file's added lines.
func addedLines(patch string) map[int]bool {
	lines := map[int]bool{}
	n := 0
	for _, l := range strings.Split(patch, "\n") {
		if m := hunk.FindStringSubmatch(l); m != nil {
			n, _ = strconv.Atoi(m[1])
			continue
		}
		switch {
		case n == 0:
		case strings.HasPrefix(l, "+"):
			lines[n] = true
			n++
		case strings.HasPrefix(l, "-"), strings.HasPrefix(l, `\`):
		default:
			n++
		}
	}
	return lines
}

// earlier finds driftgate's inline comments on the pull request by marker
// and author, keyed by fingerprint (the newest of each).
func (rv *Reviewer) earlier(ctx context.Context, owner, repo string, number int) (map[string]*github.PullRequestComment, error) {
	out := map[string]*github.PullRequestComment{}
	opts := &github.PullRequestListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		page, resp, err := rv.Client.PullRequests.ListComments(ctx, owner, repo, number, opts)
		if err != nil {
			return nil, classify("listing review comments", err)
		}
		for _, c := range page {
			m := inlineMarker.FindStringSubmatch(c.GetBody())
			if m == nil || rv.Author != "" && c.GetUser().GetLogin() != rv.Author {
				continue
			}
			out[m[1]] = c
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

func shortSHA(s string) string { return s[:min(len(s), 7)] }
