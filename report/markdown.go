package report

import (
	"fmt"
	"html"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/checks"
)

// Markdown renders the PR comment and job summary body: a table by tenant and
// severity, then each finding's detail in <details>. Every piece of
// user-controlled text (names, tags, messages) is escaped.
type Markdown struct {
	// Marker is a hidden comment that identifies a sticky PR comment.
	Marker string
	// MaxBytes caps the document (GitHub: 65,536 characters for a comment,
	// 1 MiB for a job summary); 0 is no cap. The details of the least severe
	// findings are left out first.
	MaxBytes int
	// FullReport says where the whole report is when details are left out.
	FullReport string
}

var statusBadge = map[checks.Status]string{
	checks.StatusPass:         "✅ pass",
	checks.StatusFail:         "❌ fail",
	checks.StatusInconclusive: "⚠️ inconclusive",
	checks.StatusError:        "❌ input error: nothing was checked",
}

// markdownEscaper neutralises markdown and HTML in untrusted text, and
// @mentions, which would notify people from a PR comment.
// markdownEscaper writes every character markdown or HTML could act on as
// an HTML entity: entities mean the same in markdown text, in table cells and
// inside HTML blocks such as <summary>, where backslash escapes are not
// processed and would show as stray backslashes.
var markdownEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;", "@", "&#64;",
	`\`, "&#92;", "`", "&#96;", "*", "&#42;", "_", "&#95;", "[", "&#91;", "]", "&#93;", "|", "&#124;",
	"#", "&#35;", "~", "&#126;", "!", "&#33;",
)

// Escape makes untrusted text safe inside markdown and HTML, on one line:
// line breaks, terminal escapes, other controls and bidi overrides go first.
func Escape(s string) string { return markdownEscaper.Replace(OneLine(s)) }

// Write renders the result.
func (m Markdown) Write(w io.Writer, r *checks.Result) error {
	var b strings.Builder
	if m.Marker != "" {
		fmt.Fprintf(&b, "<!-- %s -->\n", html.EscapeString(m.Marker))
	}
	counts := r.Counts()
	fmt.Fprintf(&b, "## driftgate: %s\n\n", statusBadge[r.Status()])
	fmt.Fprintf(&b, "**%d** error, **%d** warning, **%d** note · fail-on `%s` · %d blocking\n\n",
		counts["error"], counts["warning"], counts["note"], r.FailOn, r.Blocking())
	if len(r.Errors) > 0 {
		b.WriteString("> [!CAUTION]\n> driftgate could not read its input, so it checked nothing:\n")
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "> - %s\n", Escape(e))
		}
		b.WriteString("\n")
	}
	if len(r.Inconclusive) > 0 {
		b.WriteString("> [!WARNING]\n> Live or declared state could not be read completely, so this run cannot pass:\n")
		for _, reason := range r.Inconclusive {
			fmt.Fprintf(&b, "> - %s\n", Escape(reason))
		}
		b.WriteString("\n")
	}
	if len(r.Skipped) > 0 {
		b.WriteString("**Skipped:**\n")
		for _, s := range r.Skipped {
			fmt.Fprintf(&b, "- %s\n", Escape(s))
		}
		b.WriteString("\n")
	}
	if groups := checks.GroupNotJudged(r.NotJudged); len(groups) > 0 {
		b.WriteString("**Not judged:**\n")
		for _, g := range groups {
			fmt.Fprintf(&b, "- %s\n", Escape(g.String()))
		}
		b.WriteString("\n")
	}
	if len(r.Findings) == 0 {
		b.WriteString("No findings.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	tenants, byTenant := tenantCounts(r)
	b.WriteString("| tenant | error | warning | note |\n|---|---:|---:|---:|\n")
	for _, t := range tenants {
		c := byTenant[t]
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", Escape(t), c[checks.SeverityError], c[checks.SeverityWarning], c[checks.SeverityNote])
	}
	b.WriteString("\n### Findings\n\n")
	blocks := make([]string, len(r.Findings))
	for i, f := range r.Findings {
		blocks[i] = detail(f)
	}
	// Findings are sorted most severe first: drop details from the end
	// until the document fits, keeping room for the note that says so.
	kept := len(blocks)
	if m.MaxBytes > 0 {
		size := b.Len()
		for _, blk := range blocks {
			size += len(blk)
		}
		for kept > 0 && size+omittedNoteSize > m.MaxBytes {
			kept--
			size -= len(blocks[kept])
		}
	}
	for _, blk := range blocks[:kept] {
		b.WriteString(blk)
	}
	if left := len(blocks) - kept; left > 0 {
		where := "in the full report"
		if m.FullReport != "" {
			where = "in " + Escape(m.FullReport)
		}
		fmt.Fprintf(&b, "**%d less severe finding(s) left out to stay within GitHub's size limit; every finding is %s.**\n", left, where)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// omittedNoteSize is room kept for the note on left-out findings.
const omittedNoteSize = 512

// detail renders one finding as a <details> block.
func detail(f checks.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<details><summary><b>%s</b> <code>%s</code> %s: %s</summary>\n\n",
		f.Severity, Escape(f.Check), Escape(tenantLabel(f.Tenant)), Escape(f.Message))
	fmt.Fprintf(&b, "- **subject:** %s\n", Escape(f.Subject))
	fmt.Fprintf(&b, "- **location:** %s\n", Escape(f.Location.String()))
	fmt.Fprintf(&b, "- **rule:** [%s](%s)\n", Escape(f.Check), HelpURI(f.Check))
	for _, k := range slices.Sorted(maps.Keys(f.Evidence)) {
		fmt.Fprintf(&b, "- **%s:** %s\n", Escape(k), Escape(f.Evidence[k]))
	}
	b.WriteString("\n</details>\n\n")
	return b.String()
}
