package checks

import (
	"slices"
	"testing"

	"github.com/driftgate/driftgate/model"
)

func dropAlarm(name string) func(w *model.World, s *Settings) {
	return func(w *model.World, s *Settings) {
		gone := func(a *model.Alarm) bool { return a.Name == name }
		w.Declared = slices.DeleteFunc(w.Declared, gone)
		w.Live.Alarms = slices.DeleteFunc(w.Live.Alarms, gone)
	}
}

func TestTenantCoverage(t *testing.T) {
	runCases(t, TenantCoverage, sloCases(t, []checkCase{
		{name: "every tenant has every tier: nothing"},
		{name: "a tenant with no page-tier alarm at all",
			mutate: func(w *model.World, s *Settings) {
				for _, n := range []string{"slo-aa0003-availability-page", "slo-aa0003-availability-page-1h", "slo-aa0003-availability-page-5m"} {
					dropAlarm(n)(w, s)
				}
			},
			want: []string{"tenant aa0003 SLO availability tier page: no long window (1h) alarm, no short window (5m) alarm, and nothing is notified"}},
		{name: "a missing short window",
			mutate: dropAlarm("slo-aa0001-availability-ticket-2h"),
			want:   []string{"tenant aa0001 SLO availability tier ticket: no short window (2h) alarm"}},
		{name: "a composite without actions",
			mutate: func(w *model.World, s *Settings) {
				both(w, "slo-bb0001-availability-page", func(a *model.Alarm) { a.AlarmActions = nil })
			},
			want: []string{"tenant bb0001 SLO availability tier page: nothing is notified"}},
		{name: "a composite with actions disabled",
			mutate: func(w *model.World, s *Settings) {
				both(w, "slo-bb0001-availability-page", func(a *model.Alarm) { a.ActionsEnabled = false })
			},
			want: []string{"nothing is notified"}},
		{name: "an alarm the plan deletes no longer covers",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0002-availability-page-5m").Action = model.ActionDelete
			},
			want: []string{"tenant aa0002 SLO availability tier page: no short window (5m) alarm"}},
		{name: "an alarm the plan creates covers",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0002-availability-page-5m").Action = model.ActionCreate
				w.Live.Alarms = slices.DeleteFunc(w.Live.Alarms, func(a *model.Alarm) bool { return a.Name == "slo-aa0002-availability-page-5m" })
			}},
		{name: "a tenant outside the SLO's scope needs nothing",
			mutate: func(w *model.World, s *Settings) {
				w.SLOs[0].Scope = model.SLOScope{Buckets: []string{"gold"}}
				for _, n := range []string{"slo-bb0001-availability-page-1h", "slo-bb0001-availability-page-5m", "slo-bb0001-availability-page",
					"slo-bb0001-availability-ticket-1d", "slo-bb0001-availability-ticket-2h", "slo-bb0001-availability-ticket"} {
					dropAlarm(n)(w, s)
				}
			}},
	}))
}
