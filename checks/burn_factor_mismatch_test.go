package checks

import (
	"strings"
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestBurnFactorMismatch(t *testing.T) {
	runCases(t, BurnFactorMismatch, sloCases(t, []checkCase{
		{name: "a coherent world: nothing"},
		{name: "a threshold off by more than the tolerance",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-bb0001-availability-ticket-1d").ThresholdRatio = model.Known(0.02)
			},
			want: []string{"alarm slo-bb0001-availability-ticket-1d (tenant bb0001, SLO availability (99.5% over 30d), tier ticket 1d): threshold 2% is a burn factor of 4, the tier needs 3 (threshold 1.5%, drift 33.33%)"}},
		{name: "within tolerance: nothing",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0001-availability-page-1h").ThresholdRatio = model.Known(0.01441)
			}},
		{name: "live-only drift is not this check's",
			mutate: func(w *model.World, s *Settings) {
				live(w, "slo-aa0001-availability-page-1h").ThresholdRatio = model.Known(0.05)
			}},
		{name: "a threshold of unknown unit is not compared",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-aa0001-availability-page-1h").ThresholdRatio = model.Unknown
				declared(w, "slo-aa0001-availability-page-1h").Threshold = model.Known(99)
			}},
	}))
}

// The period moved from 30 to 28 days and no threshold followed: every window
// alarm is reported, and the message names the period the factor fits.
func TestBurnFactorMismatchAfterAPeriodChange(t *testing.T) {
	w, s := sloWorld(), defaultSettings()
	s.SLOTolerance = 0.01
	w.SLOs[0].Period = 28 * day
	got := runOne(BurnFactorMismatch, w, s)
	if len(got) != 5*2*2 {
		t.Fatalf("%d findings, want one per window alarm (20)", len(got))
	}
	want := "alarm slo-aa0001-availability-page-1h (tenant aa0001, SLO availability (99.9% over 28d), tier page 1h): " +
		"threshold 1.44% is a burn factor of 14.4, the tier needs 13.44 (threshold 1.344%, drift 7.14%); 14.4 is this tier's factor over 30d"
	found := false
	for _, f := range got {
		found = found || strings.Contains(f.Message, want)
	}
	if !found {
		t.Errorf("no finding says %q:\n%s", want, messages(got))
	}
}
