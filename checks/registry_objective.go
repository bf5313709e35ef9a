package checks

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/driftgate/driftgate/model"
)

// RegistryObjective compares the objective an SLO registry holds for a
// tenant with the objective the tenant's alarms are set for.
var RegistryObjective = &Check{
	ID:    "registry-objective",
	Title: "SLO registry objective differs from the one the alarms implement",
	Doc: Doc{
		Summary: "For every tenant SLO read from an SLO registry (`slo_registry:`), each burn-rate alarm bound to it " +
			"implies an objective: S' = 1 − threshold / b, with b the tier's burn factor. When the tenant's alarms " +
			"agree on one S' (within `checks.slo_tolerance_percent`) and it is not the registry's objective, the " +
			"registry and the alarms disagree about the promise itself. Alarms that disagree among themselves are " +
			"left to burn-factor-mismatch and threshold-parity.",
		Example: "The registry was raised to 99.5 % for tenant 7c3f2e; its alarms still page at 99.9 %'s thresholds:\n\n" +
			"    tenant 7c3f2e SLO checkout/availability: dynamodb SloRegistry (us-east-1) says 99.5%, its 6 alarms are set for 99.9% " +
			"(slo-7c3f2e-availability-page-fast-1h pages at 1.44% = 14.4 × 0.1%)",
		Why: "The registry is what the business agreed to and what error budgets are reported against; alarms set " +
			"for another objective page for burns the budget absorbs, or stay quiet while it is spent.",
		Fix: "Decide which is right: recompute the alarms' thresholds as b·(1 − S) from the registry's objective, " +
			"or correct the registry item.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"slo", "burn-rate", "registry"},
	Needs:           []model.Feed{model.FeedSLORegistry},
	NeedsAny:        []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runRegistryObjective,
}

// impliedObjective is what one tenant's alarms for one registry SLO are set for.
type impliedObjective struct {
	SLO    *model.SLO
	Tenant string
	Budget float64 // registry B = 1 - S
	Alarms []*binding
	// Implied is the budget B' = threshold / b the alarms agree on; Agree
	// is false when they do not.
	Implied float64
	Agree   bool
}

// Disagrees reports whether the alarms agree on an objective that is not the registry's.
func (o *impliedObjective) Disagrees(tolerance float64) bool {
	return o.Agree && !model.Near(o.Implied, o.Budget, tolerance)
}

// registryObjectives groups the bound metric alarms of registry SLOs by
// tenant and SLO, in a stable order.
func registryObjectives(pass *Pass) []*impliedObjective {
	groups := map[string]*impliedObjective{}
	var keys []string
	for _, b := range pass.SLO().Bound {
		a := b.Alarm
		if b.SLO.Registry == "" || a.Kind == model.KindComposite || !a.ThresholdRatio.Known || a.ThresholdRatio.Value > 1 || b.Factor() <= 0 {
			continue
		}
		k := b.Tenant.ID + "\x00" + b.SLO.Ref()
		g := groups[k]
		if g == nil {
			g = &impliedObjective{SLO: b.SLO, Tenant: b.Tenant.ID, Budget: b.Budget(), Agree: true}
			groups[k] = g
			keys = append(keys, k)
		}
		implied := a.ThresholdRatio.Value / b.Factor()
		if len(g.Alarms) == 0 {
			g.Implied = implied
		} else if !model.Near(implied, g.Implied, pass.Settings.SLOTolerance) {
			g.Agree = false
		}
		g.Alarms = append(g.Alarms, b)
	}
	slices.Sort(keys)
	out := make([]*impliedObjective, len(keys))
	for i, k := range keys {
		out[i] = groups[k]
	}
	return out
}

// registryMismatched is the set of alarms whose thresholds are explained by
// a registry objective disagreement, so per-alarm checks need not repeat it.
func registryMismatched(pass *Pass) map[*model.Alarm]bool {
	out := map[*model.Alarm]bool{}
	for _, g := range registryObjectives(pass) {
		if g.Disagrees(pass.Settings.SLOTolerance) {
			for _, b := range g.Alarms {
				out[b.Alarm] = true
			}
		}
	}
	return out
}

func runRegistryObjective(pass *Pass) {
	for _, g := range registryObjectives(pass) {
		if !g.Disagrees(pass.Settings.SLOTolerance) {
			continue
		}
		first := g.Alarms[0]
		names := make([]string, len(g.Alarms))
		for i, b := range g.Alarms {
			names[i] = b.Alarm.Name
		}
		count := "alarm is"
		if len(g.Alarms) > 1 {
			count = fmt.Sprintf("%d alarms are", len(g.Alarms))
		}
		if n := agreeingRules(pass, g); n > 0 {
			count = strings.TrimSuffix(strings.TrimSuffix(count, " is"), " are") + fmt.Sprintf(" and %d alert rule", n)
			if n > 1 {
				count += "s"
			}
			count += " are"
		}
		pass.Reportf(Finding{Tenant: g.Tenant, Subject: g.SLO.Registry, Attribute: "objective", Location: g.SLO.Location,
			Scope: model.ScopeOf(first.Alarm), Identity: g.Tenant + "\x00" + g.SLO.Registry + "\x00" + g.SLO.Ref(),
			Evidence: map[string]string{"registry_objective": pct(1 - g.Budget), "implied_objective": pct(1 - g.Implied),
				"alarms": strings.Join(names, ", ")}},
			"tenant %s SLO %s: %s says %s, its %s set for %s (%s pages at %s = %.4g × %s)",
			g.Tenant, g.SLO.Ref(), g.SLO.Registry, pct(1-g.Budget), count, pct(1-g.Implied),
			first.Alarm.Name, pct(first.Alarm.ThresholdRatio.Value), first.Factor(), pct(g.Implied))
	}
}

// agreeingRules counts the SQL alert rules of the group's alarms (named, or
// joined by window as alert-rule-parity joins them) that are set like them:
// they say what the alarms say, not what the registry says.
func agreeingRules(pass *Pass, g *impliedObjective) int {
	alarms := map[string]*model.Alarm{}
	byWindow := map[time.Duration][]*model.Alarm{}
	for _, b := range g.Alarms {
		alarms[b.Alarm.Name] = b.Alarm
		byWindow[b.Window] = append(byWindow[b.Window], b.Alarm)
	}
	n := 0
	for _, r := range pass.World.AlertRules {
		a := alarms[r.AlarmName]
		if r.AlarmName == "" && len(byWindow[r.Window]) == 1 {
			a = byWindow[r.Window][0]
		}
		if a != nil && r.Tenant == g.Tenant && rulesAgree(r, a, pass.Settings.SLOTolerance) {
			n++
		}
	}
	return n
}
