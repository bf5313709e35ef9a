package checks

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

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
