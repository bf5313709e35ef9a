package checks

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

// burn sets both page windows of aa0002 (gold, 99.9 %: budget 0.1 %) to an
// error rate in percent.
func burn(w *model.World, percent float64) {
	setSeries(w, page1h, steady(time.Hour, percent))
	setSeries(w, page5m, steady(5*time.Minute, percent))
}

func TestBurningWhileQuiet(t *testing.T) {
	runCases(t, BurningWhileQuiet, evidenceCases([]checkCase{
		{name: "burning below the tier's factor: nothing"},
		{name: "3% errors (30x) in both windows while the page composite is OK, its 1h alarm raised to 50%",
			mutate: func(w *model.World, s *Settings) {
				burn(w, 3)
				live(w, page5m).State = "ALARM"
				live(w, page1h).Threshold, live(w, page1h).ThresholdRatio = model.Known(50), model.Known(0.5)
			},
			want: []string{"tenant aa0002 SLO availability tier page: burning at 30x (1h 3%, 5m 3%), past the tier's 14.4x, " +
				"while slo-aa0002-availability-page is OK: slo-aa0002-availability-page-1h pages only above 50%"}},
		{name: "burning and paging: nothing",
			mutate: func(w *model.World, s *Settings) {
				burn(w, 3)
				live(w, "slo-aa0002-availability-page").State = "ALARM"
			}},
		{name: "only the short window burns: a blip, not a page",
			mutate: func(w *model.World, s *Settings) { setSeries(w, page5m, steady(5*time.Minute, 3)) }},
		{name: "a stale datapoint (hours old) is not a burn now",
			mutate: func(w *model.World, s *Settings) {
				burn(w, 3)
				setSeries(w, page5m, []model.Point{model.PointAt(evEnd.Add(-3*time.Hour), 3)})
			}},
	}))
}
