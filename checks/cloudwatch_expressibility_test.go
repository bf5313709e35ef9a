package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

func TestCloudWatchExpressibility(t *testing.T) {
	const fast = "slo-aa0001-availability-page-1h"
	runCases(t, CloudWatchExpressibility, sloCases(t, []checkCase{
		{name: "period = window, one evaluation period, Sum: nothing"},
		{name: "a 1h window written as 60 one-minute datapoints",
			mutate: func(w *model.World, s *Settings) {
				a := declared(w, fast)
				a.Window, a.EvaluationPeriods = "", 60
				a.Metrics[0].Period, a.Metrics[1].Period = 60, 60
				a.Window = "1h"
			},
			want: []string{"alarm slo-aa0001-availability-page-1h (window 1h): period 60s × 60 evaluation periods is M-of-N datapoints, not a 1h error ratio; use period 3600s and 1 evaluation period"}},
		{name: "average instead of sum, and too many metrics",
			mutate: func(w *model.World, s *Settings) {
				a := declared(w, fast)
				a.Metrics[0].Stat = "Average"
				for range 10 {
					a.Metrics = append(a.Metrics, model.MetricQuery{ID: "m", Period: 3600, Stat: "Sum"})
				}
			},
			want: []string{"statistic Average: a ratio of counts needs Sum; metric math uses 12 metrics, over CloudWatch's 10"}},
		{name: "a span over one day",
			mutate: func(w *model.World, s *Settings) {
				a := declared(w, "slo-aa0001-availability-ticket-1d")
				a.EvaluationPeriods = 2
			},
			want: []string{"period × evaluation periods is 2d, over CloudWatch's 1d limit"}},
		{name: "a composite over 100 alarms",
			mutate: func(w *model.World, s *Settings) {
				refs := make([]string, 101)
				for i := range refs {
					refs[i] = `ALARM("x")`
				}
				declared(w, "slo-aa0001-availability-page").AlarmRule = strings.Join(refs, " OR ")
			},
			want: []string{"composite alarm slo-aa0001-availability-page: rule of 1410 characters over 101 alarms exceeds CloudWatch's limits"}},
		{name: "a 3-day tier cannot be a metric alarm",
			mutate: func(w *model.World, s *Settings) {
				w.SLOs[0].Tiers[1].Long, w.SLOs[0].Tiers[1].Short = 3*day, 6*time.Hour
			},
			want: []string{"SLO availability tier ticket: a 3d window exceeds what a CloudWatch metric alarm can evaluate (1d)"}},
	}))
}
