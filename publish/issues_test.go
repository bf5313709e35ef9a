package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-github/v84/github"
)

// fakeIssues is GitHub's issues REST API for one repository: listing with
// filters and Link paging, creating and editing.
type fakeIssues struct {
	mu     sync.Mutex
	issues []map[string]any
	calls  []string
	srv    *httptest.Server
}

func newFakeIssues(t *testing.T) *fakeIssues {
	f := &fakeIssues{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/acme/alerting/issues", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls = append(f.calls, "list "+r.URL.RawQuery)
		q := r.URL.Query()
		var match []map[string]any
		for _, is := range f.issues {
			labels := fmt.Sprint(is["labels"])
			if is["state"] == q.Get("state") && strings.Contains(labels, q.Get("labels")) && (q.Get("creator") == "" || is["user"].(map[string]any)["login"] == q.Get("creator")) {
				match = append(match, is)
			}
		}
		page, _ := strconv.Atoi(q.Get("page"))
		page = max(page, 1)
		const size = 2 // small pages, so paging is exercised
		start, end := min((page-1)*size, len(match)), min(page*size, len(match))
		if end < len(match) {
			next := url.Values{}
			for k, v := range q {
				next[k] = v
			}
			next.Set("page", strconv.Itoa(page+1))
			w.Header().Set("Link", fmt.Sprintf(`<%s/repos/acme/alerting/issues?%s>; rel="next"`, f.srv.URL, next.Encode()))
		}
		json.NewEncoder(w).Encode(match[start:end])
	})
	mux.HandleFunc("POST /repos/acme/alerting/issues", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		n := len(f.issues) + 1
		f.calls = append(f.calls, fmt.Sprintf("create #%d", n))
		var labels []any
		for _, l := range in["labels"].([]any) {
			labels = append(labels, map[string]any{"name": l})
		}
		is := map[string]any{"number": n, "title": in["title"], "body": in["body"], "state": "open", "labels": labels,
			"user": map[string]any{"login": "github-actions[bot]"}}
		f.issues = append(f.issues, is)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(is)
	})
	mux.HandleFunc("PATCH /repos/acme/alerting/issues/{n}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		n, _ := strconv.Atoi(r.PathValue("n"))
		f.calls = append(f.calls, fmt.Sprintf("edit #%d %v", n, in["state"]))
		is := f.issues[n-1]
		for k, v := range in {
			is[k] = v
		}
		json.NewEncoder(w).Encode(is)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIssues) issuer(t *testing.T) *Issuer {
	c := github.NewClient(nil)
	c.BaseURL, _ = url.Parse(f.srv.URL + "/")
	return &Issuer{Client: c, Author: "github-actions[bot]", Labels: []string{"driftgate", "alerting"}, Max: 2}
}

func (f *fakeIssues) state() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]string{}
	for _, is := range f.issues {
		out[fmt.Sprint(is["title"])] = fmt.Sprint(is["state"])
	}
	return out
}

func group(key string, findings, fresh int, body string) IssueGroup {
	return IssueGroup{Key: key, Title: "driftgate: " + key, Body: body, Findings: findings, New: fresh}
}

func TestIssuesOpenUpdateAndCloseWithoutDuplicates(t *testing.T) {
	f := newFakeIssues(t)
	ctx := context.Background()
	// Someone quoted driftgate's marker in an issue of their own: never touched.
	f.issues = append(f.issues, map[string]any{"number": 1, "title": "human", "state": "open", "labels": []any{map[string]any{"name": "driftgate"}},
		"body": "<!-- " + IssueMarker("nightly", "7c3f2e") + " --> copied", "user": map[string]any{"login": "octocat"}})
	is := f.issuer(t)

	res, err := is.Sync(ctx, "acme", "alerting", "nightly", []IssueGroup{
		group("7c3f2e", 3, 2, "3 findings"), group("9f8e7d", 1, 1, "1 finding"), group("d4e5f6", 4, 0, "old news"),
		group("c0ffee", 1, 1, "x"), group("b7c8d9", 1, 1, "y"),
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Opened) != "[7c3f2e 9f8e7d]" || fmt.Sprint(res.Capped) != "[c0ffee b7c8d9]" {
		t.Errorf("first run: %+v (a group without new findings gets no issue; at most 2 are opened)", res)
	}
	// The same state again: nothing new, nothing duplicated, found across pages.
	res, err = is.Sync(ctx, "acme", "alerting", "nightly", []IssueGroup{group("7c3f2e", 3, 0, "3 findings"), group("9f8e7d", 1, 0, "1 finding")}, true)
	if err != nil || len(res.Opened)+len(res.Updated)+len(res.Closed) != 0 || res.Unchanged != 2 {
		t.Errorf("an unchanged run changes nothing: %+v %v", res, err)
	}
	// An inconclusive run that sees no findings for 9f8e7d closes nothing.
	res, err = is.Sync(ctx, "acme", "alerting", "nightly", []IssueGroup{group("7c3f2e", 3, 0, "3 findings")}, false)
	if err != nil || len(res.Closed) != 0 {
		t.Errorf("an inconclusive run must not close issues: %+v %v", res, err)
	}
	// 7c3f2e changes, 9f8e7d is fixed.
	res, err = is.Sync(ctx, "acme", "alerting", "nightly", []IssueGroup{group("7c3f2e", 4, 1, "4 findings")}, true)
	if err != nil || fmt.Sprint(res.Updated) != "[7c3f2e]" || fmt.Sprint(res.Closed) != "[9f8e7d]" || len(res.Opened) != 0 {
		t.Errorf("third run: %+v %v", res, err)
	}
	if got := f.state(); got["driftgate: 7c3f2e"] != "open" || got["driftgate: 9f8e7d"] != "closed" || got["human"] != "open" || len(got) != 3 {
		t.Errorf("issues %v", got)
	}
	// Another scope has its own issues.
	res, _ = is.Sync(ctx, "acme", "alerting", "nightly shard 2/4", []IssueGroup{group("7c3f2e", 1, 1, "z")}, true)
	if fmt.Sprint(res.Opened) != "[7c3f2e]" {
		t.Errorf("scopes must not share issues: %+v", res)
	}
	for _, c := range f.calls {
		if strings.HasPrefix(c, "list ") && (!strings.Contains(c, "labels=driftgate") || !strings.Contains(c, "state=open") || !strings.Contains(c, "creator=github-actions")) {
			t.Errorf("issues are listed by label, state and author: %s", c)
		}
	}
}

func TestAReadOnlyTokenIsAPermissionError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			fmt.Fprint(w, "[]")
			return
		}
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"Resource not accessible by integration"}`)
	}))
	defer srv.Close()
	c := github.NewClient(nil)
	c.BaseURL, _ = url.Parse(srv.URL + "/")
	_, err := (&Issuer{Client: c}).Sync(context.Background(), "acme", "alerting", "nightly", []IssueGroup{group("7c3f2e", 1, 1, "x")}, true)
	var perm *PermissionError
	if !errors.As(err, &perm) {
		t.Errorf("want a permission error, got %v", err)
	}
}
