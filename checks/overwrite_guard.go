package checks

import (
	"fmt"
	"strings"

	"github.com/driftgate/driftgate/model"
)

// OverwriteGuard reports a change that will undo what was changed outside
// the code: an attribute Terraform saw drift that the plan also changes.
var OverwriteGuard = &Check{
	ID:    "overwrite-guard",
	Title: "Applying this change reverts a change made outside the code",
	Doc: Doc{
		Summary: "Intersects the plan's `resource_drift` with its `resource_changes`: an attribute that was changed " +
			"outside Terraform (in the console, by a script, during an incident) and that this plan changes again " +
			"will be overwritten when the plan applies. Reports each such attribute with the live value and the one " +
			"it becomes. The same for CloudFormation: a template alarm this change updates, in a stack whose drift " +
			"detection found that resource modified, is deployed over the drift. Paging attributes of alarms " +
			"(thresholds, periods, actions) are errors, others warnings.",
		Example: "During an incident someone raised tenant 4d5e6f's slow page threshold to 0.9 in the console; this plan sets 0.6 again:\n\n" +
			"    applying this change reverts what was changed outside Terraform: module.tenant[\"4d5e6f\"]....page_slow_long[\"availability\"] threshold is 0.9 live and becomes 0.6",
		Why: "Fixes made by hand during an incident are undone by the next apply, often by someone who never saw the incident: " +
			"a known cause of repeat outages.",
		Fix: "Decide which value is right. If the live one is, put it in the code in this change; if not, say in the " +
			"pull request that the apply reverts it on purpose.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"drift", "terraform", "cloudformation"},
	Needs:           []model.Feed{model.FeedDeclared},
	Uses:            []model.Feed{model.FeedPlan, model.FeedStackDrift},
	Run:             runOverwriteGuard,
}

func runOverwriteGuard(pass *Pass) {
	alarms := make(map[string]*model.Alarm, len(pass.World.Declared))
	for _, a := range pass.World.Declared {
		alarms[a.Address] = a
	}
	if pass.World.Live != nil {
		for _, d := range pass.World.Live.Drifts {
			a := alarms[d.Address]
			if a == nil || a.Source != model.SourceCloudFormation || a.Action != model.ActionUpdate || d.Deleted {
				continue
			}
			for _, c := range d.Changes {
				f := Finding{Tenant: a.Tenant, Subject: d.Address, Attribute: c.Path, Location: a.Location, Scope: d.Scope,
					Identity: d.Address + "/" + c.Path, Evidence: map[string]string{"live": c.After, "template": c.Before}}
				top, _, _ := strings.Cut(c.Path, ".")
				if cfnPagingProperties[top] {
					f.Severity = SeverityError
				}
				pass.Report(withMessage(f, fmt.Sprintf("deploying this change reverts what was changed outside CloudFormation: %s %s is %s live "+
					"(the deployed template says %s); this change updates the resource, and the stack update overwrites the live value",
					d.Address, c.Path, display(c.After), display(c.Before))))
			}
		}
	}
	for _, d := range pass.World.Drifts {
		if d.Source != model.SourceTerraform || d.Deleted {
			continue
		}
		planned := pass.World.Planned[d.Address]
		for _, c := range d.Changes {
			for _, p := range planned {
				if !samePath(c.Path, p.Path) || pass.Ignored(d.Address, c.Path) {
					continue
				}
				f := Finding{Subject: d.Address, Attribute: c.Path, Location: d.Location, Scope: model.ScopeDeclared,
					Identity: d.Address + "/" + c.Path,
					Evidence: map[string]string{"live": c.After, "planned": p.After, "declared_before_drift": c.Before}}
				if f.Location.File == "" {
					f.Location = pass.World.Anchor
				}
				top, _, _ := strings.Cut(c.Path, ".")
				if alarms[d.Address] != nil && pagingAttributes[top] {
					f.Severity = SeverityError
				}
				pass.Report(withMessage(f, fmt.Sprintf("applying this change reverts what was changed outside Terraform: %s %s is %s live and becomes %s",
					d.Address, p.Path, display(c.After), display(p.After))))
			}
		}
	}
}

// samePath: one path is the other, or contains it (tags vs tags.Team).
func samePath(a, b string) bool {
	return a == b || strings.HasPrefix(a, b+".") || strings.HasPrefix(b, a+".")
}
