package checks

import (
	"fmt"

	"github.com/driftgate/driftgate/model"
)

// UnreachableThreshold reports burn-rate alerts that can never fire.
var UnreachableThreshold = &Check{
	ID:    "unreachable-threshold",
	Title: "Burn-rate alert can never fire",
	Doc: Doc{
		Summary: "An error ratio cannot exceed 100 %, so a burn-rate alert with factor b on an SLO with error " +
			"budget B can fire only when b·B <= 1. For every alarm tied to an SLO tier, reports a threshold above " +
			"100 % (error), and for every SLO tier whose own numbers make b·B > 1 for some tenant, reports that " +
			"the tier's budget fraction p cannot be consumed within its long window w (warning): consuming p at " +
			"100 % errors takes p·B·T, longer than w.",
		Example: "A 14.4x page tier on a 90 % SLO:\n\n" +
			"    alarm slo-0a1b2c-availability-page-fast-1h (tenant 0a1b2c, SLO availability (90% over 30d), tier page-fast) can never fire: " +
			"its threshold 144% is above 100% (burn factor 14.4 × budget 10% > 1)",
		Why: "An alarm that can never fire is no alarm: the tier is silently missing, and the dashboard shows it green.",
		Fix: "Derive the factor from the budget fraction and window (b = p·T/w) for this objective; below 93.056 % " +
			"a 14.4x tier cannot work, so use a longer window or a smaller fraction.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"slo", "burn-rate"},
	Needs:           []model.Feed{model.FeedSLO},
	Uses:            []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runUnreachableThreshold,
}

func runUnreachableThreshold(pass *Pass) {
	for _, b := range pass.SLO().Bound {
		a := b.Alarm
		if a.Kind == model.KindComposite || !a.ThresholdRatio.Known || a.ThresholdRatio.Value <= 1 {
			continue
		}
		pass.Reportf(Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(a), Location: pass.alarmLocation(a), Scope: model.ScopeOf(a), Identity: a.Name},
			"alarm %s (tenant %s, SLO %s, tier %s) can never fire: its threshold %s is above 100%% (burn factor %.4g × budget %s > 1)",
			a.Name, b.Tenant.ID, sloLabel(b.SLO.Ref(), b.Objective, b.SLO.Period), b.Tier.Name,
			pct(a.ThresholdRatio.Value), a.ThresholdRatio.Value/b.Budget(), pct(b.Budget()))
	}
	for _, s := range pass.World.SLOs {
		for _, obj := range objectives(pass.World, s) {
			for _, t := range s.Tiers {
				b, budget := t.BurnFactor(s.Period), model.Budget(obj.objective)
				if model.CanFire(b, budget) {
					continue
				}
				pass.Reportf(Finding{Severity: SeverityWarning, Tenant: obj.tenant, Subject: s.Ref() + "/" + t.Name, Location: s.Location, Scope: model.ScopeDeclared,
					Identity: fmt.Sprintf("%s/%s/%g", s.Ref(), t.Name, obj.objective)},
					"SLO %s tier %s cannot consume %s of the budget within %s: b·B = %.4g × %s = %.4g > 1 (factor %.4g needs an objective of at least %s)%s",
					sloLabel(s.Ref(), obj.objective, s.Period), t.Name, pct(t.BudgetFraction), model.FormatWindow(t.Long),
					b, pct(budget), b*budget, b, pct(1-1/b), obj.who)
			}
		}
	}
}

// objective is one objective an SLO takes for some of its tenants.
type objective struct {
	objective float64
	tenant    string // set when only one tenant has it
	who       string // ", for tenants ..." or ""
}

// objectives lists the distinct objectives an SLO applies to its tenants.
func objectives(w *model.World, s *model.SLO) []objective {
	byObjective := map[float64][]string{}
	var order []float64
	for _, t := range w.Tenants {
		if !s.Scope.Includes(t) {
			continue
		}
		o := s.ObjectiveFor(t)
		if _, seen := byObjective[o]; !seen {
			order = append(order, o)
		}
		byObjective[o] = append(byObjective[o], t.ID)
	}
	if len(order) == 0 {
		return []objective{{objective: s.Objective}}
	}
	out := make([]objective, 0, len(order))
	for _, o := range order {
		ids := byObjective[o]
		ob := objective{objective: o}
		if len(order) > 1 {
			ob.who = fmt.Sprintf(", for %d tenant(s): %s", len(ids), shortList(ids, 5))
		}
		if len(ids) == 1 {
			ob.tenant = ids[0]
		}
		out = append(out, ob)
	}
	return out
}

// shortList joins at most n items and counts the rest.
func shortList(items []string, n int) string {
	if len(items) <= n {
		return joinComma(items)
	}
	return fmt.Sprintf("%s and %d more", joinComma(items[:n]), len(items)-n)
}

func joinComma(items []string) string {
	out := ""
	for i, s := range items {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
