package checks

import (
	"time"

	"github.com/driftgate/driftgate/model"
)

var evEnd = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// withEvidence gives every live window alarm of sloWorld a healthy series
// over the last 24h (errors at a tenth of its threshold), every alarm state
// OK, and no history: the must-not-fire base of the evidence checks.
func withEvidence(w *model.World, s *Settings) {
	*w = *sloWorld()
	s.SLOTolerance = 0.01
	ev := &model.Evidence{Start: evEnd.Add(-24 * time.Hour), End: evEnd, Series: map[string][]model.Point{},
		History: map[string][]model.AlarmHistory{}, Active: map[string][]model.MetricQuery{}}
	w.Live.Evidence = ev
	w.Live.Sources = append(w.Live.Sources, model.LiveSource{Kind: "evidence", Region: "us-east-1", Complete: true})
	for _, a := range w.Live.Alarms {
		a.Region, a.State = "us-east-1", "OK"
		if a.Kind == model.KindComposite {
			continue
		}
		ev.Series[a.Identity()] = steady(alarmPeriod(a), a.Threshold.Value/10)
	}
}

func alarmPeriod(a *model.Alarm) time.Duration {
	return time.Duration(a.Metrics[0].Period) * time.Second
}

func steady(period time.Duration, v float64) []model.Point {
	var out []model.Point
	for t := evEnd.Add(-24 * time.Hour); t.Before(evEnd); t = t.Add(period) {
		out = append(out, model.PointAt(t, v))
	}
	return out
}

func setSeries(w *model.World, name string, points []model.Point) {
	w.Live.Evidence.Series[live(w, name).Identity()] = points
}

func evidenceCases(cases []checkCase) []checkCase {
	for i := range cases {
		mutate := cases[i].mutate
		cases[i].mutate = func(w *model.World, s *Settings) {
			withEvidence(w, s)
			if mutate != nil {
				mutate(w, s)
			}
		}
	}
	return cases
}

const (
	page1h = "slo-aa0002-availability-page-1h"
	page5m = "slo-aa0002-availability-page-5m"
)
