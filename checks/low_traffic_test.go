package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestLowTraffic(t *testing.T) {
	runCases(t, LowTraffic, sloCases(t, []checkCase{
		{name: "no volumes configured: nothing"},
		{name: "a busy tenant: nothing",
			mutate: func(w *model.World, s *Settings) { w.Tenants[0].EventsPerMinute = 1000 }},
		{name: "10 requests a minute on 99.9%: one error pages",
			mutate: func(w *model.World, s *Settings) { w.Tenants[1].EventsPerMinute = 10 },
			want:   []string{"tenant aa0002 SLO availability tier page: about 50 events fall in the 5m window, fewer than 69.44 = 1/(14.4 × 0.1%), so one failed request (2%) fires it"}},
	}))
}
