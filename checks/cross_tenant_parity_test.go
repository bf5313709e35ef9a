package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestCrossTenantParity(t *testing.T) {
	runCases(t, CrossTenantParity, sloCases(t, []checkCase{
		{name: "a uniform bucket: nothing"},
		{name: "one gold tenant's threshold changed in its template and stale in the others",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0003-availability-page-5m").Threshold = model.Known(1.6)
			},
			want: []string{"tenant aa0003 (bucket gold) SLO availability tier page 5m: threshold is 1.6 where 3 of 4 gold tenants have 1.44 (+11.11%)"}},
		{name: "one tenant treats missing data differently",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0004-availability-ticket-2h").TreatMissingData = "breaching"
			},
			want: []string{`tenant aa0004 (bucket gold) SLO availability tier ticket 2h: treat_missing_data is "breaching" where 3 of 4 gold tenants have "notBreaching"`}},
		{name: "a composite with its actions disabled",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0002-availability-page").ActionsEnabled = false
			},
			want: []string{"tenant aa0002 (bucket gold) SLO availability tier page composite: actions_enabled is false where 3 of 4 gold tenants have true"}},
		{name: "a two-against-two split has no majority: nothing",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0003-availability-page-5m").Threshold = model.Known(1.6)
				declared(w, "slo-aa0004-availability-page-5m").Threshold = model.Known(1.6)
			}},
		{name: "the silver tenant alone in its bucket: nothing",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-bb0001-availability-page-5m").Threshold = model.Known(9)
			}},
	}))
}
