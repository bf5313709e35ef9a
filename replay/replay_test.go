package replay

import (
	"math/rand/v2"
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

// batch is the replay as it was written before it streamed: every period's
// state in an array, then the evaluation over it. The stream must agree.
func batch(a *model.Alarm, points []model.Point, start, end time.Time) Result {
	var r Result
	period := Period(a)
	breaches, _ := comparison(a.Operator)
	n := max(a.EvaluationPeriods, 1)
	m := a.EffectiveDatapoints()
	if m <= 0 || m > n {
		m = n
	}
	first := start.Truncate(period)
	slots := int(end.Sub(first) / period)
	if slots <= 0 {
		return r
	}
	state := make([]int, slots)
	for _, p := range points {
		i := int(p.Time().Sub(first) / period)
		if i < 0 || i >= slots {
			continue
		}
		if breaches(p.Value, a.Threshold.Value) {
			state[i] = breach
		} else if state[i] != breach {
			state[i] = ok
		}
	}
	prev := ""
	for i := range slots {
		if i+1 < n {
			continue
		}
		r.Evaluations++
		breached, present := 0, 0
		for _, s := range state[i+1-n : i+1] {
			switch {
			case s == breach:
				breached++
				present++
			case s == ok:
				present++
			case a.TreatMissingData == "breaching":
				breached++
				present++
			case a.TreatMissingData == "notBreaching":
				present++
			}
		}
		if state[i] == breach {
			r.Breaching++
		}
		cur := "OK"
		switch {
		case breached >= m:
			cur = "ALARM"
		case present == 0 && (a.TreatMissingData == "" || a.TreatMissingData == "missing"):
			cur = "INSUFFICIENT_DATA"
		case present == 0:
			cur = prev
		}
		if cur == "ALARM" {
			r.InAlarm += period
			if prev != "ALARM" {
				r.Fired++
			}
		}
		prev = cur
	}
	r.Last = prev
	return r
}

func TestTheStreamAgreesWithTheWholeSeries(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2026, 11, 22, 12, 0, 30, 0, time.UTC)
	end := start.Add(6 * time.Hour)
	for trial := range 400 {
		a := &model.Alarm{Name: "a", Kind: model.KindMetric, Period: []int{60, 300}[rng.IntN(2)], Threshold: model.Known(5),
			Operator:          []string{"GreaterThanThreshold", "LessThanOrEqualToThreshold"}[rng.IntN(2)],
			EvaluationPeriods: 1 + rng.IntN(5), TreatMissingData: []string{"", "missing", "breaching", "notBreaching", "ignore"}[rng.IntN(5)]}
		a.DatapointsToAlarm = rng.IntN(a.EvaluationPeriods + 1)
		var points []model.Point
		for ts := start.Add(-10 * time.Minute); ts.Before(end.Add(10 * time.Minute)); ts = ts.Add(time.Duration(30+rng.IntN(600)) * time.Second) {
			if rng.IntN(4) > 0 { // gaps
				points = append(points, model.PointAt(ts, rng.Float64()*10))
			}
		}
		want := batch(a, points, start, end)
		got, err := Run(a, points, start, end)
		if err != nil || got != want {
			t.Fatalf("trial %d (%+v): stream %+v %v, whole %+v", trial, a, got, err, want)
		}
		sum := Summarize(a, points, start, end)
		if sum.Points != len(points) || sum.Replay == nil || *sum.Replay != want || len(points) > 0 && sum.Last != points[len(points)-1] {
			t.Fatalf("trial %d: summary %+v", trial, sum)
		}
	}
	// Out of order: not judged, never a guess.
	a := &model.Alarm{Name: "a", Kind: model.KindMetric, Period: 60, Threshold: model.Known(5), Operator: "GreaterThanThreshold", EvaluationPeriods: 1}
	if _, err := Run(a, []model.Point{model.PointAt(start.Add(time.Hour), 1), model.PointAt(start, 9)}, start, end); err == nil {
		t.Error("points out of order must not be replayed")
	}
}
