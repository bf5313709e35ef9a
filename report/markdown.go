package report

import (
	"cmp"
	"fmt"
	"html"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/checks"
)

// Markdown renders the PR comment, job summary and markdown report for a
// reviewer with ten seconds: the verdict; what blocks the merge, one item per
// root cause with a link to its line, the numbers and what to do; what is new
// in this change; what was not judged, in one line; a picture of a broken
// page route; counts by tenant; and every finding collapsed by check. Every
// piece of user-controlled text is escaped with HTML entities, which read the
// same in markdown and inside HTML blocks.
type Markdown struct {
	// Marker is a hidden comment that identifies a sticky PR comment.
	Marker string
	// MaxBytes caps the document (GitHub: 65,536 characters for a comment,
	// 1 MiB for a job summary); 0 is no cap. The least severe findings of the
	// collapsed list are left out first.
	MaxBytes int
	// FullReport says where the whole report is when findings are left out.
	FullReport string
	// LinkBase, when set, links locations: LinkBase + path + "#L" + line,
	// e.g. https://github.com/o/r/blob/<head sha>/.
	LinkBase string
}

// MaxBlockers is how many root causes the comment shows uncollapsed, and
// maxConsequences how many findings of one cause it lists under it.
const (
	MaxBlockers     = 5
	maxConsequences = 3
)

var statusBadge = map[checks.Status]string{
	checks.StatusPass:         "✅ pass",
	checks.StatusFail:         "❌ fail",
	checks.StatusInconclusive: "⚠️ inconclusive",
	checks.StatusError:        "❌ input error: nothing was checked",
}

// markdownEscaper writes every character markdown or HTML could act on as
// an HTML entity: entities mean the same in markdown text, in table cells and
// inside HTML blocks such as <summary>, where backslash escapes are not
// processed and would show as stray backslashes. @ is one too, so a name
// never mentions (notifies) anyone.
var markdownEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;", "@", "&#64;",
	`\`, "&#92;", "`", "&#96;", "*", "&#42;", "_", "&#95;", "[", "&#91;", "]", "&#93;", "|", "&#124;",
	"#", "&#35;", "~", "&#126;", "!", "&#33;",
)

// Escape makes untrusted text safe inside markdown and HTML, on one line:
// line breaks, terminal escapes, other controls and bidi overrides go first.
func Escape(s string) string { return markdownEscaper.Replace(OneLine(s)) }

// cause is one root cause: the findings about one place (an alarm, a
// resource, a template line), most severe first.
type cause struct {
	findings []checks.Finding
}

func (c cause) first() checks.Finding { return c.findings[0] }

// causes groups findings by what they are about: one tenant's resource at
// one file and line (a module's resource block serves every tenant, so the
// tenant is part of it), else one tenant's subject. The causes come most
// severe first and, among equals, those with the most consequences first.
func causes(fs []checks.Finding) []cause {
	var out []cause
	index := map[string]int{}
	for _, f := range fs {
		key := f.Tenant + "\x00" + f.Subject
		if f.Location.Line > 0 {
			key = f.Tenant + "\x00" + f.Location.String()
		}
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, cause{})
		}
		out[i].findings = append(out[i].findings, f)
	}
	slices.SortStableFunc(out, func(a, b cause) int {
		return cmp.Or(cmp.Compare(b.first().Severity, a.first().Severity), cmp.Compare(len(b.findings), len(a.findings)))
	})
	return out
}

// Write renders the result.
func (m Markdown) Write(w io.Writer, r *checks.Result) error {
	var b strings.Builder
	if m.Marker != "" {
		fmt.Fprintf(&b, "<!-- %s -->\n", html.EscapeString(m.Marker))
	}
	counts := r.Counts()
	fmt.Fprintf(&b, "## driftgate: %s\n\n", statusBadge[r.Status()])
	fmt.Fprintf(&b, "**%d blocking** · %d error · %d warning · %d note · fail-on `%s`\n\n",
		r.Blocking(), counts["error"], counts["warning"], counts["note"], r.FailOn)
	if len(r.Errors) > 0 {
		b.WriteString("> [!CAUTION]\n> driftgate could not read its input, so it checked nothing:\n")
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "> - %s\n", Escape(e))
		}
		b.WriteString("\n")
	}
	if len(r.Inconclusive) > 0 {
		b.WriteString("> [!WARNING]\n> **Inconclusive**: live or declared state could not be read completely, so this run cannot pass:\n")
		for _, reason := range r.Inconclusive {
			fmt.Fprintf(&b, "> - %s\n", Escape(reason))
		}
		b.WriteString("\n")
	}
	if groups := checks.GroupNotJudged(r.NotJudged); len(groups) > 0 {
		parts := make([]string, len(groups))
		judged := map[string]bool{}
		for i, g := range groups {
			parts[i] = Escape(g.String())
			for _, c := range g.Checks {
				judged[c] = true
			}
		}
		noun := "checks"
		if len(judged) == 1 {
			noun = "check"
		}
		fmt.Fprintf(&b, "**Not judged** (%d %s): %s\n\n", len(judged), noun, strings.Join(parts, "; "))
	}
	if r.History != nil {
		fmt.Fprintf(&b, "**History**: %s\n\n", Escape(r.History.Summary()))
	}
	if len(r.Findings) == 0 {
		b.WriteString("No findings.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	m.blockers(&b, r)
	m.newVsOld(&b, r)
	m.route(&b, r)
	m.tenants(&b, r)
	head := b.String()
	_, err := io.WriteString(w, head+m.all(r, len(head)))
	return err
}

// blockers lists what blocks the merge, one item per root cause.
func (m Markdown) blockers(b *strings.Builder, r *checks.Result) {
	if r.FailOn == checks.SeverityNone {
		return
	}
	var blocking []checks.Finding
	for _, f := range r.Findings {
		if r.Blocks(f) {
			blocking = append(blocking, f)
		}
	}
	if len(blocking) == 0 {
		return
	}
	cs := causes(blocking)
	fmt.Fprintf(b, "### What blocks the merge\n\n")
	for i, c := range cs[:min(len(cs), MaxBlockers)] {
		f := c.first()
		where := m.link(f)
		change := ""
		if s := f.Evidence["change"]; s != "" {
			change = " · " + Escape(s)
		}
		tenant := ""
		if f.Tenant != "" {
			tenant = " · tenant " + Escape(f.Tenant)
		}
		fmt.Fprintf(b, "%d. **%s**%s · %s%s  \n   %s\n", i+1, Escape(f.Check), tenant, where, change, Escape(f.Message))
		for j, o := range c.findings[1:] {
			if j == maxConsequences {
				fmt.Fprintf(b, "   - …and %d more from the same cause\n", len(c.findings)-1-j)
				break
			}
			fmt.Fprintf(b, "   - same cause: **%s**: %s\n", Escape(o.Check), Escape(o.Message))
		}
		if fix := fixOf(f.Check); fix != "" {
			fmt.Fprintf(b, "   - **what to do:** %s\n", Escape(fix))
		}
	}
	if n := len(cs) - MaxBlockers; n > 0 {
		fmt.Fprintf(b, "\n…and %d more blocking cause(s), in the list below.\n", n)
	}
	b.WriteString("\n")
}

// InlineComment is a finding as a review comment on its line: severity,
// check, message, what to do, and the check's page.
func InlineComment(f checks.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** · **%s**: %s\n", f.Severity, Escape(f.Check), Escape(f.Message))
	if fix := fixOf(f.Check); fix != "" {
		fmt.Fprintf(&b, "\n**What to do:** %s", Escape(fix))
	}
	fmt.Fprintf(&b, " ([%s](%s))\n", Escape(f.Check), HelpURI(f.Check))
	if rep, ok := SuggestionLine(f); ok {
		// GitHub offers the fix as a commit the reviewer accepts in one click.
		fmt.Fprintf(&b, "\n```suggestion\n%s\n```\n", rep.Text)
	} else if f.Remedy != nil && f.Remedy.Manual != "" {
		fmt.Fprintf(&b, "\n**Fix:** %s\n", Escape(f.Remedy.Manual))
	}
	return b.String()
}

// SuggestionLine is the one-line fix a review comment can suggest, when the
// finding has one that is safe in a suggestion block (no fence, no controls).
func SuggestionLine(f checks.Finding) (checks.Replacement, bool) {
	if f.Remedy == nil || len(f.Remedy.Replacements) != 1 {
		return checks.Replacement{}, false
	}
	rep := f.Remedy.Replacements[0]
	if strings.Contains(rep.Text, "`") || OneLine(rep.Text) != strings.ReplaceAll(rep.Text, "\t", " ") || rep.Line < 1 {
		return checks.Replacement{}, false
	}
	return rep, true
}

// fixOf is the first sentence of a check's "how to fix".
func fixOf(id string) string {
	c, ok := checks.ByID(id)
	if !ok {
		return ""
	}
	fix := strings.Join(strings.Fields(c.Doc.Fix), " ")
	// Whole sentences, enough of them to say something.
	end := 0
	for end < 60 {
		i := strings.Index(fix[end:], ". ")
		if i < 0 {
			return fix
		}
		end += i + 2
	}
	return strings.TrimSpace(fix[:end])
}

// link renders a finding's location, linked to its line when LinkBase is set.
func (m Markdown) link(f checks.Finding) string {
	text := "`" + strings.ReplaceAll(OneLine(f.Location.String()), "`", "'") + "`"
	if m.LinkBase == "" || f.Location.File == "" {
		return text
	}
	var segs []string
	for _, s := range strings.Split(f.Location.File, "/") {
		segs = append(segs, url.PathEscape(s))
	}
	u := m.LinkBase + strings.Join(segs, "/")
	if f.Location.Line > 0 {
		u += fmt.Sprintf("#L%d", f.Location.Line)
	}
	return "[" + text + "](" + u + ")"
}

// newVsOld splits the findings into what this change brought and what was
// there before it, when the run knows (a base ref, the plan's actions).
func (m Markdown) newVsOld(b *strings.Builder, r *checks.Result) {
	var added, before, blockingNew int
	for _, f := range r.Findings {
		switch s := f.Evidence["change"]; {
		case strings.HasSuffix(s, "in this change"):
			added++
			if r.Blocks(f) {
				blockingNew++
			}
		case s != "":
			before++
		}
	}
	if added+before == 0 {
		return
	}
	fmt.Fprintf(b, "**New in this change:** %d finding(s), %d blocking · **already there before it:** %d\n\n", added, blockingNew, before)
}

// route draws the first broken page route as a mermaid flowchart.
func (m Markdown) route(b *strings.Builder, r *checks.Result) {
	for _, f := range r.Findings {
		e := f.Evidence
		if e["route_alarm"] == "" {
			continue
		}
		node := func(s string) string {
			return `"` + strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "`", "#96;").Replace(OneLine(s)) + `"`
		}
		fmt.Fprintf(b, "**A page that reaches nobody** (tenant %s):\n\n```mermaid\nflowchart LR\n", Escape(f.Tenant))
		fmt.Fprintf(b, "  alarm[%s] --> topic[%s] --> via[%s] --> lands[%s]\n", node("alarm "+e["route_alarm"]), node("SNS "+e["route_topic"]),
			node(e["route_via"]), node("✗ "+e["route_lands"]))
		b.WriteString("  style lands fill:#fdd,stroke:#c00\n```\n\n")
		return
	}
}

// tenants counts findings by tenant on one line, most severe first.
func (m Markdown) tenants(b *strings.Builder, r *checks.Result) {
	names, counts := tenantCounts(r)
	slices.SortStableFunc(names, func(x, y string) int {
		return cmp.Or(cmp.Compare(counts[y][checks.SeverityError], counts[x][checks.SeverityError]),
			cmp.Compare(counts[y][checks.SeverityWarning], counts[x][checks.SeverityWarning]))
	})
	parts := make([]string, len(names))
	for i, t := range names {
		c := counts[t]
		parts[i] = fmt.Sprintf("%s %dE %dW %dN", Escape(t), c[checks.SeverityError], c[checks.SeverityWarning], c[checks.SeverityNote])
	}
	fmt.Fprintf(b, "**By tenant:** %s\n\n", strings.Join(parts, " · "))
}

// all lists every finding collapsed by check. Under a cap, the least severe
// lines are left out first, and the note says where the rest is.
func (m Markdown) all(r *checks.Result, used int) string {
	lines := make([]string, len(r.Findings))
	for i, f := range r.Findings {
		lines[i] = fmt.Sprintf("- **%s** %s%s · %s\n%s", f.Severity, tenantPrefix(f.Tenant), Escape(f.Message), m.link(f), remedyLines(f))
	}
	kept := len(lines) // findings are sorted most severe first
	render := func(kept int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "<details><summary>All %d findings, by check</summary>\n\n", len(r.Findings))
		byCheck := map[string][]int{}
		var order []string
		for i, f := range r.Findings {
			if _, ok := byCheck[f.Check]; !ok {
				order = append(order, f.Check)
			}
			byCheck[f.Check] = append(byCheck[f.Check], i)
		}
		slices.Sort(order)
		for _, id := range order {
			idx := byCheck[id]
			sev := map[checks.Severity]int{}
			for _, i := range idx {
				sev[r.Findings[i].Severity]++
			}
			fmt.Fprintf(&b, "<details><summary><b>%s</b> (%d: %d error, %d warning, %d note)</summary>\n\n",
				Escape(id), len(idx), sev[checks.SeverityError], sev[checks.SeverityWarning], sev[checks.SeverityNote])
			left := 0
			for _, i := range idx {
				if i < kept {
					b.WriteString(lines[i])
				} else {
					left++
				}
			}
			if left > 0 {
				fmt.Fprintf(&b, "- …and %d less severe, left out\n", left)
			}
			fmt.Fprintf(&b, "\n[what %s checks](%s)\n\n</details>\n", Escape(id), HelpURI(id))
		}
		b.WriteString("\n</details>\n")
		if left := len(lines) - kept; left > 0 {
			where := "in the full report"
			if m.FullReport != "" {
				where = "in " + Escape(m.FullReport)
			}
			fmt.Fprintf(&b, "\n**%d less severe finding(s) left out to stay within GitHub's size limit; every finding is %s.**\n", left, where)
		}
		return b.String()
	}
	out := render(kept)
	if m.MaxBytes <= 0 {
		return out
	}
	// Cut whole lines from the least severe end until it fits.
	over := used + len(out) - m.MaxBytes
	for over > 0 && kept > 0 {
		kept--
		over -= len(lines[kept])
	}
	for {
		out = render(kept)
		if used+len(out) <= m.MaxBytes || kept == 0 {
			return out
		}
		kept = max(0, kept-max(1, kept/20))
	}
}

// remedyLines says under a finding how to fix it: the patch is in --fixes,
// a manual fix says why, live drift gets its revert command (the first; the
// JSON report has every one) and how to adopt it instead.
func remedyLines(f checks.Finding) string {
	r := f.Remedy
	if r == nil {
		return ""
	}
	var b strings.Builder
	switch {
	case r.Patch != "":
		b.WriteString("  - fix: in the patch `--fixes` writes\n")
	case r.Manual != "":
		fmt.Fprintf(&b, "  - fix: %s\n", Escape(r.Manual))
	}
	if len(r.Commands) > 0 {
		fmt.Fprintf(&b, "  - revert: %s\n", Escape(r.Commands[0]))
	}
	if r.Adopt != "" {
		fmt.Fprintf(&b, "  - %s\n", Escape(r.Adopt))
	}
	return b.String()
}

func tenantPrefix(t string) string {
	if t == "" {
		return ""
	}
	return "tenant " + Escape(t) + ": "
}
