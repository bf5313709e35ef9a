package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"

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
	for _, reason := range r.Inconclusive {
		fmt.Fprintf(&b, "  inconclusive: %s\n", reason)
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "  skipped: %s\n", s)
	}
	for _, g := range checks.GroupNotJudged(r.NotJudged) {
		fmt.Fprintf(&b, "  not judged: %s\n", g)
	}
	tenants, byTenant := tenantCounts(r)
	for _, t := range tenants {
		c := byTenant[t]
		fmt.Fprintf(&b, "\ntenant %s (%d error, %d warning, %d note)\n", t,
			c[checks.SeverityError], c[checks.SeverityWarning], c[checks.SeverityNote])
		for _, f := range r.Findings {
			if tenantLabel(f.Tenant) != t {
				continue
			}
			fmt.Fprintf(&b, "  %-7s %-17s %s\n          at %s\n", f.Severity, f.Check, f.Message, f.Location)
		}
	}
	_, err := io.WriteString(w, strings.Map(printable, b.String()))
	return err
}

// printable drops control characters (terminal escapes in alarm names or
// tags) but keeps newlines and tabs.
func printable(r rune) rune {
	if r == '\n' || r == '\t' || !unicode.IsControl(r) {
		return r
	}
	return -1
}
