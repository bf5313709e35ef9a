package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/model"
)

// CompositeLogic checks the boolean shape of composite alarms over SLO windows.
var CompositeLogic = &Check{
	ID:    "composite-logic",
	Title: "Composite alarm combines SLO windows wrongly",
	Doc: Doc{
		Summary: "A multiwindow alert is long AND short within a tier, and tiers are OR'd. For every " +
			"composite alarm over SLO window alarms, reports OR between the windows of one tier, AND across " +
			"tiers, children of another tenant, children from another tier than the composite's own, rules " +
			"that do not parse, and references to alarms that exist nowhere.",
		Example: "A page composite with OR inside the tier:\n\n" +
			"    composite alarm slo-8a9b0c-availability-page-fast: ALARM(slo-8a9b0c-availability-page-fast-1h) OR ALARM(slo-8a9b0c-availability-page-fast-5m) joins the windows of tier page-fast with OR; a tier needs long AND short",
		Why: "OR inside a tier pages on any five bad minutes; AND across tiers pages only when every tier " +
			"burns at once, which is almost never; a child of another tenant pages the wrong on-call.",
		Fix: "Write each tier as ALARM(long) AND ALARM(short), OR the tiers, and reference only the tenant's own alarms.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"slo", "cloudwatch"},
	Needs:           []model.Feed{model.FeedSLO},
	NeedsAny:        []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runCompositeLogic,
}

func runCompositeLogic(pass *Pass) {
	bound := pass.SLO().Bound
	byName := make(map[string]*binding, len(bound))
	for _, b := range bound {
		byName[b.Alarm.Name] = b
	}
	effective, _ := pass.effective()
	exists := make(map[string]bool, len(effective))
	for _, a := range effective {
		exists[a.Name] = true
	}
	for _, b := range pass.SLO().Bound {
		c := b.Alarm
		if c.Kind != model.KindComposite {
			continue
		}
		f := Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(c), Attribute: "alarm_rule", Location: pass.alarmLocation(c), Identity: c.Name}
		rule, err := model.ParseAlarmRule(c.AlarmRule)
		if err != nil {
			pass.Reportf(f, "composite alarm %s: alarm rule does not parse: %v", c.Name, err)
			continue
		}
		var problems []string
		for _, ref := range rule.Refs() {
			child, bound := byName[ref.Name]
			switch {
			case !exists[ref.Name]:
				problems = append(problems, fmt.Sprintf("references %s, which does not exist", ref.Name))
			case bound && child.Tenant.ID != b.Tenant.ID:
				problems = append(problems, fmt.Sprintf("child %s belongs to tenant %s", ref.Name, child.Tenant.ID))
			case bound && child.Window != 0 && (child.SLO.Ref() != b.SLO.Ref() || child.Tier.Name != b.Tier.Name):
				problems = append(problems, fmt.Sprintf("child %s is tier %s of SLO %s, not this composite's %s of %s",
					ref.Name, child.Tier.Name, child.SLO.Ref(), b.Tier.Name, b.SLO.Ref()))
			}
		}
		problems = append(problems, shapeProblems(rule, byName)...)
		if len(problems) > 0 {
			pass.Reportf(f, "composite alarm %s: %s", c.Name, strings.Join(problems, "; "))
		}
	}
}

// shapeProblems finds OR between windows of one tier and AND across tiers.
func shapeProblems(n *model.RuleNode, byName map[string]*binding) []string {
	var out []string
	tierOf := func(k *model.RuleNode) string {
		if k.Op == "REF" && k.State == "ALARM" {
			if b, ok := byName[k.Name]; ok && b.Window != 0 {
				return b.SLO.Ref() + "/" + b.Tier.Name
			}
		}
		return ""
	}
	switch n.Op {
	case "OR":
		seen := map[string]bool{}
		for _, k := range n.Kids {
			if t := tierOf(k); t != "" {
				if seen[t] {
					out = append(out, fmt.Sprintf("joins the windows of tier %s with OR; a tier needs long AND short", t[strings.Index(t, "/")+1:]))
				}
				seen[t] = true
			}
		}
	case "AND":
		var tiers []string
		for _, k := range n.Kids {
			if t := tierOf(k); t != "" && !slices.Contains(tiers, t) {
				tiers = append(tiers, t)
			}
		}
		if len(tiers) > 1 {
			out = append(out, fmt.Sprintf("joins tiers %s with AND; tiers must be OR'd", strings.Join(tiers, " and ")))
		}
	}
	for _, k := range n.Kids {
		out = append(out, shapeProblems(k, byName)...)
	}
	return out
}
