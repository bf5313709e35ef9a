package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestUnreachableThreshold(t *testing.T) {
	runCases(t, UnreachableThreshold, sloCases(t, []checkCase{
		{name: "a coherent world: nothing"},
		{name: "a 14.4x page tier on a 90% SLO: the spec warns and every alarm built from it errs",
			mutate: func(w *model.World, s *Settings) {
				w.SLOs[0].Overrides = append(w.SLOs[0].Overrides, model.SLOOverride{Tenant: "aa0001", Objective: 0.90})
				for _, n := range []string{"slo-aa0001-availability-page-1h", "slo-aa0001-availability-page-5m"} {
					both(w, n, func(a *model.Alarm) { a.ThresholdRatio, a.Threshold = model.Known(1.44), model.Known(144) })
				}
			},
			want: []string{
				"alarm slo-aa0001-availability-page-1h (tenant aa0001, SLO availability (90% over 30d), tier page) can never fire: its threshold 144% is above 100% (burn factor 14.4 × budget 10% > 1)",
				"alarm slo-aa0001-availability-page-5m",
				"SLO availability (90% over 30d) tier page cannot consume 2% of the budget within 1h: b·B = 14.4 × 10% = 1.44 > 1 (factor 14.4 needs an objective of at least 93.06%), for 1 tenant(s): aa0001",
			},
			severity: []Severity{SeverityError, SeverityError, SeverityWarning}},
	}))
}
