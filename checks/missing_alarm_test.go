package checks

import (
	"slices"
	"testing"

	"github.com/driftgate/driftgate/model"
)

func removeLive(w *model.World, name string) {
	w.Live.Alarms = slices.DeleteFunc(w.Live.Alarms, func(a *model.Alarm) bool { return a.Name == name })
}

func TestMissingAlarm(t *testing.T) {
	const name = "slo-c0ffee-availability-page-fast-5m"
	runCases(t, MissingAlarm, []checkCase{
		{name: "every declared alarm is live: nothing"},
		{name: "a kept alarm is gone live",
			mutate: func(w *model.World, s *Settings) { removeLive(w, name) },
			want:   []string{"alarm slo-c0ffee-availability-page-fast-5m is declared (no-op in the plan) but does not exist in live CloudWatch"}},
		{name: "an updated alarm is gone live",
			mutate: func(w *model.World, s *Settings) {
				removeLive(w, name)
				declared(w, name).Action = model.ActionUpdate
			},
			want: []string{"(update in the plan)"}},
		{name: "an alarm the plan creates is not expected live",
			mutate: func(w *model.World, s *Settings) {
				removeLive(w, name)
				declared(w, name).Action = model.ActionCreate
			}},
		{name: "an alarm the plan deletes is not expected live",
			mutate: func(w *model.World, s *Settings) {
				removeLive(w, name)
				declared(w, name).Action = model.ActionDelete
			}},
		{name: "no live state given: nothing can be missing",
			mutate: func(w *model.World, s *Settings) { w.Live = nil }},
	})
}
