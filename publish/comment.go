// Package publish delivers a run's report where people read it on GitHub:
// one sticky pull request comment, found again by a hidden marker and its
// author, updated in place or replaced.
package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v84/github"
)

// Mode says what to do with an earlier driftgate comment.
type Mode string

const (
	ModeUpdate     Mode = "update"       // edit the earlier comment, or create one
	ModeNew        Mode = "new"          // always add a comment
	ModeHideAndNew Mode = "hide-and-new" // minimise earlier ones as outdated, then add one
	ModeOff        Mode = "off"          // no comment
)

// ParseMode reads a comment-mode input.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeUpdate, ModeNew, ModeHideAndNew, ModeOff:
		return m, nil
	case "":
		return ModeUpdate, nil
	}
	return "", fmt.Errorf("comment-mode must be update, new, hide-and-new or off, found %q", s)
}

// Marker is the hidden first line that identifies driftgate's comment for a
// category (one per configuration, like SARIF categories).
func Marker(category string) string {
	return "driftgate:sticky category=" + category
}

// Commenter posts the sticky comment.
type Commenter struct {
	Client *github.Client
	// GraphQLURL is where minimizeComment goes (GITHUB_GRAPHQL_URL).
	GraphQLURL string
	Token      string
	// Author is the login whose comments are driftgate's: the token's
	// identity, github-actions[bot] for the workflow's GITHUB_TOKEN.
	Author string
	HTTP   *http.Client
}

// PermissionError says the token may not write comments (fork pull requests
// get a read-only token).
type PermissionError struct{ Err error }

func (e *PermissionError) Error() string {
	return "the token cannot write pull request comments: " + e.Err.Error()
}
func (e *PermissionError) Unwrap() error { return e.Err }

// Result says what Post did.
type Result struct {
	CommentID int64
	URL       string
	Created   bool
	Hidden    int
}

// Post publishes body (which must start with the marker's HTML comment) on
// pull request number of owner/repo.
func (c *Commenter) Post(ctx context.Context, owner, repo string, number int, marker, body string, mode Mode) (Result, error) {
	var res Result
	if mode == ModeOff {
		return res, nil
	}
	var earlier []*github.IssueComment
	if mode != ModeNew {
		var err error
		if earlier, err = c.find(ctx, owner, repo, number, marker); err != nil {
			return res, err
		}
	}
	if mode == ModeUpdate && len(earlier) > 0 {
		last := earlier[len(earlier)-1]
		edited, _, err := c.Client.Issues.EditComment(ctx, owner, repo, last.GetID(), &github.IssueComment{Body: github.Ptr(body)})
		if err != nil {
			return res, classify("editing the driftgate comment", err)
		}
		return Result{CommentID: edited.GetID(), URL: edited.GetHTMLURL()}, nil
	}
	if mode == ModeHideAndNew {
		for _, old := range earlier {
			if err := c.minimize(ctx, old.GetNodeID()); err != nil {
				return res, err
			}
			res.Hidden++
		}
	}
	created, _, err := c.Client.Issues.CreateComment(ctx, owner, repo, number, &github.IssueComment{Body: github.Ptr(body)})
	if err != nil {
		return res, classify("creating the driftgate comment", err)
	}
	res.CommentID, res.URL, res.Created = created.GetID(), created.GetHTMLURL(), true
	return res, nil
}

// find lists every page of the pull request's comments for driftgate's own.
func (c *Commenter) find(ctx context.Context, owner, repo string, number int, marker string) ([]*github.IssueComment, error) {
	var found []*github.IssueComment
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		page, resp, err := c.Client.Issues.ListComments(ctx, owner, repo, number, opts)
		if err != nil {
			return nil, classify("listing pull request comments", err)
		}
		for _, cm := range page {
			if strings.Contains(cm.GetBody(), "<!-- "+marker+" -->") && (c.Author == "" || cm.GetUser().GetLogin() == c.Author) {
				found = append(found, cm)
			}
		}
		if resp.NextPage == 0 {
			return found, nil
		}
		opts.Page = resp.NextPage
	}
}

// minimize hides a comment as outdated; the REST API cannot, so this is
// GraphQL's minimizeComment.
func (c *Commenter) minimize(ctx context.Context, nodeID string) error {
	q, _ := json.Marshal(map[string]any{
		"query":     "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }",
		"variables": map[string]string{"id": nodeID},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.GraphQLURL, bytes.NewReader(q))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("hiding an earlier driftgate comment: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		Errors []struct{ Message string } `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		return classify("hiding an earlier driftgate comment", fmt.Errorf("GraphQL answered %s", resp.Status))
	}
	if len(out.Errors) > 0 {
		return fmt.Errorf("hiding an earlier driftgate comment: %s", out.Errors[0].Message)
	}
	return nil
}

// classify marks permission failures, which callers report and move on from.
func classify(what string, err error) error {
	var ghErr *github.ErrorResponse
	if errors.As(err, &ghErr) && ghErr.Response != nil && (ghErr.Response.StatusCode == http.StatusForbidden || ghErr.Response.StatusCode == http.StatusUnauthorized) {
		return &PermissionError{Err: fmt.Errorf("%s: %w", what, err)}
	}
	if strings.Contains(err.Error(), "403") {
		return &PermissionError{Err: fmt.Errorf("%s: %w", what, err)}
	}
	return fmt.Errorf("%s: %w", what, err)
}
