package report

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/driftgate/driftgate/checks"
)

// SARIF renders SARIF 2.1.0 for GitHub code scanning: one run, a rule per
// check, a physical location and a stable partial fingerprint per result.
type SARIF struct {
	// Category separates runs of different configurations in code scanning.
	Category string
}

// FingerprintKey names driftgate's partial fingerprint; bump the suffix only
// if fingerprints ever change meaning.
const FingerprintKey = "driftgate/v1"

func sarifLevel(s checks.Severity) string {
	switch s {
	case checks.SeverityError:
		return "error"
	case checks.SeverityWarning:
		return "warning"
	default:
		return "note"
	}
}

// Write renders the result.
func (s SARIF) Write(w io.Writer, r *checks.Result) error {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("creating SARIF report: %w", err)
	}
	driver := sarif.NewVersionedDriver(ToolName, r.Version).WithInformationURI(ToolURI)
	run := sarif.NewRun(*sarif.NewTool(driver))
	category := s.Category
	if category == "" {
		category = ToolName
	}
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(category + "/"))
	index := map[string]int{}
	for i, c := range r.Checks {
		index[c.ID] = i
		props := sarif.NewPropertyBag()
		props.Add("tags", append([]string{"driftgate"}, c.Tags...))
		props.Add("precision", "high")
		rule := run.AddRule(c.ID).
			WithName(c.Title).
			WithShortDescription(sarif.NewMultiformatMessageString(c.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString(c.Doc.Summary)).
			WithHelpURI(HelpURI(c.ID)).
			WithHelp(sarif.NewMultiformatMessageString(c.Doc.Summary).WithMarkdown(c.Doc.Markdown())).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(c.DefaultSeverity)))
		rule.AttachPropertyBag(props)
	}
	for _, f := range r.Findings {
		line := max(f.Location.Line, 1)
		file := filepath.ToSlash(f.Location.File)
		if file == "" {
			file = ".driftgate.yml"
		}
		res := sarif.NewRuleResult(f.Check).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(OneLine(f.Message))).
			WithPartialFingerPrints(map[string]any{FingerprintKey: f.Fingerprint}).
			WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(
				sarif.NewPhysicalLocation().
					WithArtifactLocation(sarif.NewSimpleArtifactLocation(file).WithUriBaseId("%SRCROOT%")).
					WithRegion(sarif.NewSimpleRegion(line, line)))})
		if i, ok := index[f.Check]; ok {
			res.WithRuleIndex(i)
		}
		if r.History != nil {
			// SARIF's own words for the run history: new, or unchanged since before.
			if l, ok := r.History.Lifecycle[f.Fingerprint]; ok {
				state := "new"
				if l.State == "persisting" {
					state = "unchanged"
				}
				res.WithBaselineState(state)
			}
		}
		if f.Remedy != nil && len(f.Remedy.Replacements) > 0 {
			// The fix as code scanning applies it: each line's text replaced.
			fix := sarif.NewFix().WithDescription(sarif.NewTextMessage(OneLine(fmt.Sprintf("set %s to %g", f.Fix.Attribute, f.Fix.Value))))
			for _, rep := range f.Remedy.Replacements {
				fix.AddArtifactChanges(sarif.NewArtifactChange(sarif.NewSimpleArtifactLocation(filepath.ToSlash(rep.File)).WithUriBaseId("%SRCROOT%")).
					WithReplacement(sarif.NewReplacement(sarif.NewRegion().WithStartLine(rep.Line).WithStartColumn(1).WithEndLine(rep.Line).WithEndColumn(rep.EndColumn)).
						WithInsertedContent(sarif.NewArtifactContent().WithText(rep.Text))))
			}
			res.AddFix(fix)
		}
		props := sarif.NewPropertyBag()
		props.Add("tenant", OneLine(f.Tenant))
		props.Add("subject", OneLine(f.Subject))
		res.AttachPropertyBag(props)
		run.AddResult(res)
	}
	inv := run.AddInvocation(len(r.Inconclusive) == 0 && len(r.Errors) == 0)
	for _, e := range r.Errors {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("error").WithTextMessage("input error: " + OneLine(e)))
	}
	for _, reason := range r.Inconclusive {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("error").WithTextMessage(OneLine(reason)))
	}
	for _, reason := range r.Skipped {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("note").WithTextMessage("skipped: " + OneLine(reason)))
	}
	for _, g := range checks.GroupNotJudged(r.NotJudged) {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("warning").WithTextMessage("not judged: " + OneLine(g.String())))
	}
	doc.AddRun(run)
	return doc.PrettyWrite(w)
}
