package report

import (
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/model"
)

// A finding with a one-line fix becomes a GitHub suggestion; one whose fix
// is manual says why; a line that could break out of the fence suggests
// nothing.
func TestInlineCommentSuggestsTheFix(t *testing.T) {
	f := checks.Finding{Check: "burn-factor-mismatch", Severity: checks.SeverityError, Message: "threshold 4.5% is a burn factor of 13.5",
		Location: model.Location{File: "cfn/alarms.yaml", Line: 65},
		Fix:      &checks.Fix{Attribute: "threshold", Value: 4.8},
		Remedy:   &checks.Remedy{Patch: "diff ...", Replacements: []checks.Replacement{{File: "cfn/alarms.yaml", Line: 71, EndColumn: 23, Text: "      Threshold: '4.8'"}}}}
	got := InlineComment(f)
	if !strings.HasSuffix(got, "\n```suggestion\n      Threshold: '4.8'\n```\n") {
		t.Errorf("no suggestion:\n%s", got)
	}
	if rep, ok := SuggestionLine(f); !ok || rep.Line != 71 {
		t.Errorf("the comment goes on the line the suggestion replaces: %+v", rep)
	}
	f.Remedy.Replacements[0].Text = "      Threshold: '4.8' # ```\n::error::x"
	if got := InlineComment(f); strings.Contains(got, "```suggestion") {
		t.Errorf("a fence or a line break in the line must not be suggested:\n%s", got)
	}
	f.Remedy = &checks.Remedy{Manual: "manual: threshold is `var.x` at main.tf:3\n::warning::y"}
	if got := InlineComment(f); !strings.Contains(got, "**Fix:** manual: threshold is &#96;var.x&#96; at main.tf:3⏎::warning::y") {
		t.Errorf("a manual fix is said, escaped, on one line:\n%s", got)
	}
}
