package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestMissingDataPages(t *testing.T) {
	runCases(t, MissingDataPages, sloCases(t, []checkCase{
		{name: "notBreaching everywhere: nothing"},
		{name: "breaching on a page window",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0001-availability-page-5m").TreatMissingData = "breaching"
			},
			want: []string{"alarm slo-aa0001-availability-page-5m (tenant aa0001, tier page): treat_missing_data is breaching, so a window without data pages"}},
		{name: "breaching on a ticket window is not paging: nothing",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0001-availability-ticket-2h").TreatMissingData = "breaching"
			}},
	}))
}
