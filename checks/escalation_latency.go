package checks

import (
	"fmt"
	"time"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/routing"
)

// EscalationLatency compares how long a page tier takes to reach its last
// responder with the tier's error budget.
var EscalationLatency = &Check{
	ID:    "escalation-latency",
	Title: "Escalation outlasts the error budget",
	Doc: Doc{
		Summary: "For each page tier that reaches a PagerDuty service, adds the tier's detection time at " +
			"100 % errors (long window × b·B) to the escalation delays before the policy's last level, and " +
			"reports tiers where that exceeds the error budget as time (B·T): if the first responders do not " +
			"answer, the whole budget is gone before the last one is paged. An escalation policy the plans " +
			"lengthen is judged before it applies, at the policy's line.",
		Example: "A 99.99 % SLO (4.32 minutes of budget) with 30-minute escalation steps:\n\n" +
			"    tenant c0ffee tier page-fast: 5.2s to detect at 100% errors plus 1h to reach the last of 3 escalation levels exceeds the 4.32m error budget of SLO availability (99.99% over 30d)",
		Why: "Escalation delays tuned for a 99.9 % service silently stop protecting a 99.99 % one.",
		Fix: "Shorten the escalation delays for this service, or page more responders at the first level.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"pagerduty", "slo"},
	Needs:           []model.Feed{model.FeedSLO, model.FeedPagerDuty},
	Uses:            []model.Feed{model.FeedDeclared, model.FeedAlarms, model.FeedSNS},
	Run:             runEscalationLatency,
}

func runEscalationLatency(pass *Pass) {
	if pass.PagerDuty() == nil {
		return
	}
	for _, ta := range sortedTiers(pass.SLO().byTier()) {
		for _, b := range pagers(ta) {
			if b.Tier.Severity == model.SeverityPage {
				pass.judgeRoutes(liveTwin(pass.World, b.Alarm), func(v *routing.View, routes []routing.Route) []routeIssue {
					return lateEscalations(pass, v, b, routes)
				})
			}
		}
	}
}

// lateEscalations finds the routes on which a page reaches the last
// escalation level only after the tier's error budget is spent. A policy
// this change alters is reported at its own line.
func lateEscalations(pass *Pass, v *routing.View, b *binding, routes []routing.Route) []routeIssue {
	budget := model.BudgetTime(b.Budget(), b.SLO.Period)
	detect := model.DetectionTime(b.Tier.Long, b.Factor(), b.Budget(), 1)
	var out []routeIssue
	for _, r := range routes {
		if r.Service == nil || r.Suppressed {
			continue
		}
		ep := v.Policies[r.Service.EscalationPolicy]
		if ep == nil || len(ep.Rules) < 2 {
			continue
		}
		var delays time.Duration
		for _, rule := range ep.Rules[:len(ep.Rules)-1] {
			delays += time.Duration(rule.DelayMinutes) * time.Minute
		}
		if detect+delays <= budget {
			continue
		}
		a := b.Alarm
		f := Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(a), Location: pass.alarmLocation(a), Identity: a.Name + "/" + ep.ID}
		if ep.Declared != nil && ep.Declared.Action != model.ActionNoop {
			f.Location = ep.Declared.Location
		}
		out = append(out, routeIssue{f, fmt.Sprintf("tenant %s tier %s: %s to detect at 100%% errors plus %s to reach the last of %d escalation levels exceeds the %s error budget of SLO %s",
			b.Tenant.ID, b.Tier.Name, short(detect), short(delays), len(ep.Rules), short(budget), sloLabel(b.SLO.Ref(), b.Objective, b.SLO.Period))})
	}
	return out
}

// short prints a duration briefly: 51.8s, 43.2m, 1h30m.
func short(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%.3gs", d.Seconds())
	case d < time.Hour && d%time.Minute != 0:
		return fmt.Sprintf("%.3gm", d.Minutes())
	}
	return model.FormatWindow(d.Round(time.Minute))
}
