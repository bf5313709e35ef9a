package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestRenamedAlarm(t *testing.T) {
	rename := func(to string) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			d := declared(w, "slo-aa0001-availability-page")
			prior := *d
			d.Prior, d.Action, d.Name = &prior, model.ActionReplace, to
		}
	}
	// renameWithRule renames aa0001's page alarm to checkout-... and, in the
	// same change, rewrites its router rule's condition.
	renameWithRule := func(condition string) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			rename("checkout-aa0001-availability-page")(w, s)
			withDeclaredRouting(w)
			o := w.Routing.Orchestrations[0]
			o.Declared.Action = model.ActionUpdate
			o.Router.Sets[0].Rules[0].Conditions = []string{condition}
		}
	}
	runCases(t, RenamedAlarm, pdCases([]checkCase{
		{name: "no rename: nothing"},
		{name: "a rename the router still matches: nothing",
			mutate: rename("slo-aa0001-availability-page-v2")},
		{name: "a rename out of the router's rules",
			mutate: rename("checkout-aa0001-availability-page"),
			want: []string{"alarm slo-aa0001-availability-page is renamed to checkout-aa0001-availability-page in this change: " +
				"PagerDuty routes the old name to checkout-aa0001 but the new one to no service (event orchestration checkout, router rule catch-all)"}},
		{name: "a rename into another tenant's rule",
			mutate: rename("slo-aa0002-availability-page"),
			want:   []string{"but the new one to service checkout-aa0002"}},
		{name: "a rename with the router rule updated in the same change: nothing",
			mutate: renameWithRule(`event.custom_details.AlarmName matches part "checkout-aa0001-availability-page"`)},
		{name: "a rename whose router update matches something else",
			mutate: renameWithRule(`event.custom_details.AlarmName matches part "checkout-aa0001-latency-page"`),
			want:   []string{"but the new one to no service (event orchestration checkout, router rule catch-all)"}},
		{name: "no PagerDuty in the live state: nothing",
			mutate: func(w *model.World, s *Settings) {
				rename("checkout-aa0001-availability-page")(w, s)
				w.Live.PagerDuty = nil
			}},
	}))
}
