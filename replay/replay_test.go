package replay

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

var t0 = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func series(values ...float64) []model.Point {
	var out []model.Point
	for i, v := range values {
		if v < 0 {
			continue // a gap
		}
		out = append(out, model.PointAt(t0.Add(time.Duration(i)*5*time.Minute), v))
	}
	return out
}

func alarm(threshold float64, n, m int, missing string) *model.Alarm {
	return &model.Alarm{Name: "a", Period: 300, Threshold: model.Known(threshold), Operator: "GreaterThanThreshold",
		EvaluationPeriods: n, DatapointsToAlarm: m, TreatMissingData: missing}
}

func TestReplay(t *testing.T) {
	cases := []struct {
		name    string
		a       *model.Alarm
		points  []model.Point
		fired   int
		inAlarm time.Duration
		last    string
	}{
		{"never above: quiet", alarm(5, 1, 1, "notBreaching"), series(1, 2, 3, 4, 1, 2), 0, 0, "OK"},
		{"one breach of 1 of 1: fires once for one period", alarm(5, 1, 1, "notBreaching"), series(1, 6, 1, 1, 1, 1), 1, 5 * time.Minute, "OK"},
		{"two separate breaches fire twice", alarm(5, 1, 1, "notBreaching"), series(6, 1, 6, 6, 1, 1), 2, 15 * time.Minute, "OK"},
		{"3 of 3 needs three in a row", alarm(5, 3, 3, "notBreaching"), series(6, 6, 1, 6, 6, 6), 1, 5 * time.Minute, "ALARM"},
		{"2 of 3 (M of N) fires on two of the last three", alarm(5, 3, 2, "notBreaching"), series(6, 1, 6, 1, 1, 1), 1, 5 * time.Minute, "OK"},
		{"missing data treated as breaching fires on gaps", alarm(5, 1, 1, "breaching"), series(1, -1, -1, 1, 1, 1), 1, 10 * time.Minute, "OK"},
		{"missing data, missing: insufficient data, no fire", alarm(5, 1, 1, "missing"), series(-1, -1, -1), 0, 0, "INSUFFICIENT_DATA"},
		{"equal is not greater", alarm(5, 1, 1, ""), series(5, 5, 5, 5, 5, 5), 0, 0, "OK"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Run(c.a, c.points, t0, t0.Add(30*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if r.Fired != c.fired || r.InAlarm != c.inAlarm || r.Last != c.last {
				t.Errorf("fired %d, in alarm %s, last %s; want %d, %s, %s", r.Fired, r.InAlarm, r.Last, c.fired, c.inAlarm, c.last)
			}
		})
	}
	math := &model.Alarm{Name: "m", Threshold: model.Known(1), Operator: "LessThanLowerOrGreaterThanUpperThreshold",
		Metrics: []model.MetricQuery{{ID: "e", Period: 60}, {ID: "r", Expression: "e", ReturnData: true}}}
	if Period(math) != time.Minute {
		t.Errorf("metric math period: %s", Period(math))
	}
	if _, err := Run(math, nil, t0, t0.Add(time.Hour)); err == nil {
		t.Error("an anomaly band must not be replayed as a threshold")
	}
}
