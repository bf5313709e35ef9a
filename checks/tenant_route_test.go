package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestTenantRoute(t *testing.T) {
	runCases(t, TenantRoute, pdCases([]checkCase{
		{name: "every tenant pages its own service, tickets low urgency: nothing"},
		{name: "a copy-pasted rule sends one tenant's pages to another's service",
			mutate: func(w *model.World, s *Settings) { routeRule(w, "r-aa0002", "Paa0003") },
			want:   []string{"tenant aa0002 tier page: alarm slo-aa0002-availability-page pages checkout-aa0003, the service of tenant aa0003"}},
		{name: "the plan's router change copy-pastes a rule: caught before it applies",
			mutate: func(w *model.World, s *Settings) { planRouteRule(w, "r-aa0002", "Paa0003") },
			want:   []string{"tenant aa0002 tier page: alarm slo-aa0002-availability-page pages checkout-aa0003, the service of tenant aa0003 once this change's PagerDuty routing applies"}},
		{name: "a live misroute the plan keeps is reported once, not twice",
			mutate: func(w *model.World, s *Settings) {
				misrouteKeptByPlan(w, "r-aa0002", "Paa0003")
			},
			want: []string{"tenant aa0002 tier page: alarm slo-aa0002-availability-page pages checkout-aa0003, the service of tenant aa0003"}},
		{name: "an alarm this change creates is judged on the routing the change leaves",
			mutate: func(w *model.World, s *Settings) {
				w.Live.Alarms = slices.DeleteFunc(w.Live.Alarms, func(a *model.Alarm) bool { return strings.HasPrefix(a.Name, "slo-aa0003-") })
				routeRule(w, "r-aa0003", "Paa0004") // wrong today, fixed by the change
				withDeclaredRouting(w)
				planRouteRule(w, "r-aa0003", "Paa0003")
			}},
		{name: "tickets reach a high-urgency service",
			mutate: func(w *model.World, s *Settings) { service(w, "PTICKETS").Urgency = "high" },
			want: []string{"tenant aa0001 ticket tier ticket: alarm slo-aa0001-availability-ticket reaches high-urgency service checkout-tickets: slow burns page people",
				"aa0002", "aa0003", "aa0004", "bb0001"},
			severity: []Severity{SeverityWarning, SeverityWarning, SeverityWarning, SeverityWarning, SeverityWarning}},
		{name: "a service rule lowering the severity makes high urgency fine",
			mutate: func(w *model.World, s *Settings) {
				service(w, "PTICKETS").Urgency = "high"
				w.Live.PagerDuty.ServiceRules["PTICKETS"] = &model.PDRuleSets{Sets: []model.PDRuleSet{{ID: "start", Rules: []model.PDRule{{ID: "s1", Actions: model.PDActions{Severity: "warning"}}}}}}
			}},
	}))
}
