package checks

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

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
