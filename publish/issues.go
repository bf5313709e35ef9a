package publish

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-github/v84/github"
)

// IssueGroup is one tenant's (or stack's) findings in a nightly run, with
// the issue body already rendered.
type IssueGroup struct {
	Key   string // tenant ID or stack: what the issue is about
	Title string
	Body  string
	// Findings and New count the group's findings in this run.
	Findings, New int
}

// Issuer keeps one GitHub issue per group with new findings: opened when a
// group first has new findings, updated while it has any, closed when a
// run that looked finds none. Issues are found again by a hidden marker (the
// scope and the group) and their author, so a group never gets two.
type Issuer struct {
	Client *github.Client
	// Author is the login whose issues are driftgate's (github-actions[bot]
	// for the workflow token); others' issues with the marker are ignored.
	Author string
	// Labels go on every issue driftgate opens; the first finds them again.
	Labels []string
	// Max caps how many issues one run opens (default 10): a broken
	// estate gets a handful of issues and a note, not hundreds.
	Max int
}

// IssueResult says what Sync did.
type IssueResult struct {
	Opened, Updated, Closed []string // group keys
	Capped                  []string // groups with new findings left without an issue by Max
	Unchanged               int
}

// IssueMarker identifies the issue of one group in one scope.
func IssueMarker(scope, key string) string {
	return fmt.Sprintf("driftgate:issue scope=%s group=%s", markerSafe(scope), markerSafe(key))
}

// markerSafe keeps a marker inside its HTML comment.
func markerSafe(s string) string {
	return strings.NewReplacer("--", "- -", ">", "", "\n", " ", "\r", " ").Replace(s)
}

// Sync opens, updates and closes the issues of scope on owner/repo. judged
// says the run looked at everything (it was not inconclusive): only then is
// a group without findings resolved and its issue closed.
func (is *Issuer) Sync(ctx context.Context, owner, repo, scope string, groups []IssueGroup, judged bool) (IssueResult, error) {
	var res IssueResult
	max := is.Max
	if max <= 0 {
		max = 10
	}
	labels := is.Labels
	if len(labels) == 0 {
		labels = []string{"driftgate"}
	}
	existing, err := is.open(ctx, owner, repo, scope, labels[0])
	if err != nil {
		return res, err
	}
	seen := map[string]bool{}
	for _, g := range groups {
		seen[g.Key] = true
		body := "<!-- " + IssueMarker(scope, g.Key) + " -->\n" + g.Body
		issue, ok := existing[g.Key]
		switch {
		case ok && g.Findings == 0 && !judged:
			res.Unchanged++
		case ok && g.Findings == 0:
			if err := is.close(ctx, owner, repo, issue, body); err != nil {
				return res, err
			}
			res.Closed = append(res.Closed, g.Key)
		case ok:
			if issue.GetBody() == body && issue.GetTitle() == g.Title {
				res.Unchanged++
				continue
			}
			if _, _, err := is.Client.Issues.Edit(ctx, owner, repo, issue.GetNumber(), &github.IssueRequest{Title: github.Ptr(g.Title), Body: github.Ptr(body)}); err != nil {
				return res, classify("updating issue #"+fmt.Sprint(issue.GetNumber()), err)
			}
			res.Updated = append(res.Updated, g.Key)
		case g.New > 0 && len(res.Opened) >= max:
			res.Capped = append(res.Capped, g.Key)
		case g.New > 0:
			if _, _, err := is.Client.Issues.Create(ctx, owner, repo, &github.IssueRequest{Title: github.Ptr(g.Title), Body: github.Ptr(body), Labels: &labels}); err != nil {
				return res, classify("opening an issue for "+g.Key, err)
			}
			res.Opened = append(res.Opened, g.Key)
		}
	}
	// Groups this run has no entry for at all were fixed entirely.
	for _, key := range sortedKeys(existing) {
		if !seen[key] && judged {
			body := "<!-- " + IssueMarker(scope, key) + " -->\nNo findings for " + key + " in the last run: resolved.\n"
			if err := is.close(ctx, owner, repo, existing[key], body); err != nil {
				return res, err
			}
			res.Closed = append(res.Closed, key)
		}
	}
	return res, nil
}

// open lists the scope's open driftgate issues by group, every page.
func (is *Issuer) open(ctx context.Context, owner, repo, scope, label string) (map[string]*github.Issue, error) {
	out := map[string]*github.Issue{}
	prefix := "<!-- " + IssueMarker(scope, "")
	opts := &github.IssueListByRepoOptions{State: "open", Labels: []string{label}, ListOptions: github.ListOptions{PerPage: 100}}
	if is.Author != "" {
		opts.Creator = is.Author
	}
	for {
		page, resp, err := is.Client.Issues.ListByRepo(ctx, owner, repo, opts)
		if err != nil {
			return nil, classify("listing driftgate issues", err)
		}
		for _, issue := range page {
			body := issue.GetBody()
			if issue.IsPullRequest() || !strings.HasPrefix(body, prefix) || is.Author != "" && issue.GetUser().GetLogin() != is.Author {
				continue
			}
			key, _, _ := strings.Cut(strings.TrimPrefix(body, prefix), " -->")
			if _, dup := out[key]; !dup || issue.GetNumber() < out[key].GetNumber() {
				out[key] = issue // the oldest, should two ever exist
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.ListOptions.Page = resp.NextPage
	}
}

func (is *Issuer) close(ctx context.Context, owner, repo string, issue *github.Issue, body string) error {
	_, _, err := is.Client.Issues.Edit(ctx, owner, repo, issue.GetNumber(), &github.IssueRequest{Body: github.Ptr(body), State: github.Ptr("closed"), StateReason: github.Ptr("completed")})
	if err != nil {
		return classify("closing issue #"+fmt.Sprint(issue.GetNumber()), err)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
