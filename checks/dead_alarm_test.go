package checks

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

func TestDeadAlarm(t *testing.T) {
	runCases(t, DeadAlarm, evidenceCases([]checkCase{
		{name: "every alarm has data: nothing"},
		{name: "a page alarm without a datapoint in 24h is dead, and the typo is named",
			mutate: func(w *model.World, s *Settings) {
				setSeries(w, page5m, []model.Point{})
				live(w, page5m).Metrics[0].Dimensions = []model.Dimension{{Name: "TenantId", Value: "aa0002x"}}
				w.Live.Evidence.Active["Acme/Errors"] = []model.MetricQuery{{Namespace: "Acme", MetricName: "Errors",
					Dimensions: []model.Dimension{{Name: "TenantId", Value: "aa0002"}}}}
			},
			want: []string{"alarm slo-aa0002-availability-page-5m has had no data for 24h: TenantId aa0002x has no data; aa0002 does"}, severity: []Severity{SeverityError}},
		{name: "a dead ticket alarm is a warning",
			mutate: func(w *model.World, s *Settings) { setSeries(w, "slo-aa0002-availability-ticket-2h", []model.Point{}) },
			want:   []string{"has had no data for 24h"}, severity: []Severity{SeverityWarning}},
		{name: "a series not read is not judged, never dead",
			mutate: func(w *model.World, s *Settings) { delete(w.Live.Evidence.Series, live(w, page5m).Identity()) }},
		{name: "a quiet alarm (data, all below threshold) is not dead",
			mutate: func(w *model.World, s *Settings) { setSeries(w, page5m, steady(5*time.Minute, 0)) }},
	}))
}
