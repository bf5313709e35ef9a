package report

import (
	"fmt"
	"strings"

	"github.com/driftgate/driftgate/checks"
)

// IssueGroup is one tenant's findings, as a nightly run's GitHub issue
// shows them.
type IssueGroup struct {
	Key, Title, Body string
	Findings, New    int
}

// issueMax keeps an issue body under GitHub's 65,536 characters.
const issueMax = 60000

// IssueGroups groups a run's findings by tenant ("estate" for findings of no
// tenant) and renders each group's issue: what is new, what persists and
// since when, with the check's fix. Without a history every finding is new.
func IssueGroups(r *checks.Result, runURL string) []IssueGroup {
	byKey := map[string][]checks.Finding{}
	var keys []string
	for _, f := range r.Findings {
		key := f.Tenant
		if key == "" {
			key = "estate"
		}
		if _, ok := byKey[key]; !ok {
			keys = append(keys, key)
		}
		byKey[key] = append(byKey[key], f)
	}
	var out []IssueGroup
	for _, key := range keys {
		fs := byKey[key]
		g := IssueGroup{Key: key, Findings: len(fs)}
		var b strings.Builder
		what := "tenant " + Escape(key)
		if key == "estate" {
			what = "the estate (no tenant)"
		}
		for _, f := range fs {
			if tag := r.History.Tag(f.Fingerprint); tag == "" || tag == "new" {
				g.New++
			}
		}
		fmt.Fprintf(&b, "driftgate's nightly audit finds %d problem(s) for %s, %d of them new.", len(fs), what, g.New)
		if runURL != "" {
			fmt.Fprintf(&b, " [The run](%s).", runURL)
		}
		b.WriteString("\n\n| severity | check | where | finding | since |\n|---|---|---|---|---|\n")
		for i, f := range fs {
			since := r.History.Tag(f.Fingerprint)
			if since == "" {
				since = "new"
			}
			row := fmt.Sprintf("| %s | %s | %s | %s | %s |\n", f.Severity, Escape(f.Check), cellText(f.Location.String()), cellText(f.Message), Escape(since))
			if b.Len()+len(row) > issueMax {
				fmt.Fprintf(&b, "\n%d more finding(s) in the run's report.\n", len(fs)-i)
				break
			}
			b.WriteString(row)
		}
		b.WriteString("\nThis issue is kept by driftgate: updated while the findings last, closed when a run finds none.\n")
		g.Title = fmt.Sprintf("driftgate: %d finding(s) for %s", len(fs), OneLine(what))
		g.Body = b.String()
		out = append(out, g)
	}
	return out
}

// cellText is a value in a markdown table cell: escaped, pipes too.
func cellText(s string) string { return strings.ReplaceAll(Escape(s), "|", "\\|") }
