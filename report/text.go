package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/driftgate/driftgate/checks"
)

// Text renders the terminal summary, grouped by tenant and severity.
type Text struct{}

// Write renders the result.
func (Text) Write(w io.Writer, r *checks.Result) error {
	var b strings.Builder
	counts := r.Counts()
	fmt.Fprintf(&b, "driftgate %s: %s — %d error, %d warning, %d note (fail-on %s, %d blocking)\n",
		r.Version, strings.ToUpper(string(r.Status())), counts["error"], counts["warning"], counts["note"], r.FailOn, r.Blocking())
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "  error: %s\n", OneLine(e))
	}
	for _, reason := range r.Inconclusive {
		fmt.Fprintf(&b, "  inconclusive: %s\n", OneLine(reason))
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "  skipped: %s\n", OneLine(s))
	}
	for _, g := range checks.GroupNotJudged(r.NotJudged) {
		fmt.Fprintf(&b, "  not judged: %s\n", OneLine(g.String()))
	}
	if r.History != nil {
		fmt.Fprintf(&b, "  history: %s\n", OneLine(r.History.Summary()))
		for _, f := range r.History.Resolved {
			fmt.Fprintf(&b, "  resolved: %s %s (%s, found since %s)\n", f.Check, OneLine(f.Subject), f.Severity, f.FirstSeen.UTC().Format(time.DateOnly))
		}
	}
	tenants, byTenant := tenantCounts(r)
	for _, t := range tenants {
		c := byTenant[t]
		fmt.Fprintf(&b, "\ntenant %s (%d error, %d warning, %d note)\n", OneLine(t),
			c[checks.SeverityError], c[checks.SeverityWarning], c[checks.SeverityNote])
		for _, f := range r.Findings {
			if tenantLabel(f.Tenant) != t {
				continue
			}
			at := OneLine(f.Location.String())
			if tag := r.History.Tag(f.Fingerprint); tag != "" {
				at += " · " + tag
			}
			fmt.Fprintf(&b, "  %-7s %-17s %s\n          at %s\n", f.Severity, f.Check, OneLine(f.Message), at)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
