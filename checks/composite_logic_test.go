package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestCompositeLogic(t *testing.T) {
	rule := func(name, r string) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) { both(w, name, func(a *model.Alarm) { a.AlarmRule = r }) }
	}
	const page = "slo-aa0001-availability-page"
	runCases(t, CompositeLogic, sloCases(t, []checkCase{
		{name: "long AND short: nothing"},
		{name: "OR inside a tier",
			mutate: rule(page, `ALARM("slo-aa0001-availability-page-1h") OR ALARM("slo-aa0001-availability-page-5m")`),
			want:   []string{"composite alarm slo-aa0001-availability-page: joins the windows of tier page with OR; a tier needs long AND short"}},
		{name: "AND across tiers, with a child of another tier",
			mutate: rule(page, `ALARM("slo-aa0001-availability-page-1h") AND ALARM("slo-aa0001-availability-ticket-2h")`),
			want: []string{"child slo-aa0001-availability-ticket-2h is tier ticket of SLO availability, not this composite's page of availability; " +
				"joins tiers availability/page and availability/ticket with AND; tiers must be OR'd"}},
		{name: "a child of another tenant",
			mutate: rule(page, `ALARM("slo-aa0001-availability-page-1h") AND ALARM("slo-aa0002-availability-page-5m")`),
			want:   []string{"child slo-aa0002-availability-page-5m belongs to tenant aa0002"}},
		{name: "a child that exists nowhere",
			mutate: rule(page, `ALARM("slo-aa0001-availability-page-1h") AND ALARM("gone")`),
			want:   []string{"references gone, which does not exist"}},
		{name: "a rule that does not parse",
			mutate: rule(page, `ALARM("slo-aa0001-availability-page-1h") AND`),
			want:   []string{"alarm rule does not parse: unexpected end of rule"}},
		{name: "tiers OR'd in a top-level composite: nothing",
			mutate: func(w *model.World, s *Settings) {
				addBoth(w, &model.Alarm{Name: "slo-aa0001-availability-page-any", Kind: model.KindComposite, Tenant: "aa0001", SLO: "availability", Tier: "page",
					ActionsEnabled: true, AlarmRule: `(ALARM("slo-aa0001-availability-page-1h") AND ALARM("slo-aa0001-availability-page-5m")) OR ALARM("slo-aa0001-availability-ticket")`})
			}},
	}))
}
