package checks

import (
	"testing"
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
		out = append(out, model.Point{Time: t, Value: v})
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
				setSeries(w, page5m, []model.Point{{Time: evEnd.Add(-3 * time.Hour), Value: 3}})
			}},
	}))
}

func TestFlappingAlarm(t *testing.T) {
	flap := func(n int) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			var h []model.AlarmHistory
			for i := range n {
				from, to := "OK", "ALARM"
				if i%2 == 1 {
					from, to = to, from
				}
				h = append(h, model.AlarmHistory{Time: evEnd.Add(-time.Duration(n-i) * time.Hour), From: from, To: to})
			}
			w.Live.Evidence.History[live(w, page5m).Identity()] = h
		}
	}
	runCases(t, FlappingAlarm, evidenceCases([]checkCase{
		{name: "no history: nothing"},
		{name: "ten changes is the limit: nothing", mutate: flap(10)},
		{name: "fourteen changes in a day flap",
			mutate: flap(14), want: []string{"alarm slo-aa0002-availability-page-5m changed state 14 times in 24h (went to ALARM 7 times): it flaps"}},
		{name: "the limit is configurable",
			mutate: func(w *model.World, s *Settings) { flap(4)(w, s); s.FlappingTransitions = 3 }, want: []string{"changed state 4 times"}},
	}))
}

func TestWouldHavePaged(t *testing.T) {
	spike := func(w *model.World, s *Settings) {
		points := steady(5*time.Minute, 0.1)
		for i := 100; i < 106; i++ {
			points[i].Value = 6 // 30 minutes above the 1.44 % threshold
		}
		setSeries(w, page5m, points)
	}
	runCases(t, WouldHavePaged, evidenceCases([]checkCase{
		{name: "never above the threshold: nothing"},
		{name: "a half-hour spike pages once, as the history says",
			mutate: func(w *model.World, s *Settings) {
				spike(w, s)
				w.Live.Evidence.History[live(w, page5m).Identity()] = []model.AlarmHistory{{Time: evEnd.Add(-15 * time.Hour), From: "OK", To: "ALARM"}, {Time: evEnd.Add(-14 * time.Hour), From: "ALARM", To: "OK"}}
			},
			want: []string{"alarm slo-aa0002-availability-page-5m would have paged 1 time(s) in 24h (30m0s in ALARM); its history shows 1"}, severity: []Severity{SeverityNote}},
		{name: "history that disagrees with the replay is a warning",
			mutate: spike, want: []string{"it would have gone to ALARM 1 time(s) (30m0s in ALARM), but its history shows 0"}, severity: []Severity{SeverityWarning}},
	}))
}
