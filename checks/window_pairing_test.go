package checks

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

func TestWindowPairing(t *testing.T) {
	runCases(t, WindowPairing, sloCases(t, []checkCase{
		{name: "paired windows at one factor: nothing"},
		{name: "the short window raised alone",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0002-availability-page-5m").ThresholdRatio = model.Known(0.052)
			},
			want: []string{"tenant aa0002 SLO availability tier page: the long window (1h) alarms at 1.44% but the short window (5m) at 5.2%; both must use the tier's factor"}},
		{name: "a tier whose short window is not shorter",
			mutate: func(w *model.World, s *Settings) { w.SLOs[0].Tiers[1].Short = 2 * day },
			want:   []string{"SLO availability tier ticket (long 1d, short 2d): the short window must be shorter than the long one"}},
		{name: "a tier whose short window is far from 1/12",
			mutate: func(w *model.World, s *Settings) { w.SLOs[0].Tiers[0].Short = 30 * time.Minute },
			want:   []string{"the short window is 1/2 of the long one, far from the workbook's 1/12"}},
		{name: "a long window beyond the period",
			mutate: func(w *model.World, s *Settings) { w.SLOs[0].Period = 12 * time.Hour },
			want:   []string{"tier ticket (long 1d, short 2h): the long window exceeds the SLO period 12h"}},
	}))
}
