// Package replay re-runs a CloudWatch alarm's evaluation over the datapoints
// of what it evaluates: which periods breach, when M of N breach, and so when
// it would have gone to ALARM and for how long. docs/evidence.md states the
// rules and where they simplify CloudWatch's.
package replay

import (
	"fmt"
	"time"

	"github.com/driftgate/driftgate/model"
)

// Result is what the replay found over the span.
type Result struct {
	// Evaluations is the number of periods evaluated.
	Evaluations int
	// Fired counts transitions into ALARM (the alarm was not in ALARM in the
	// period before).
	Fired int
	// InAlarm is the time spent in ALARM.
	InAlarm time.Duration
	// Breaching counts the periods whose datapoint breached the threshold.
	Breaching int
	// Last is the state at the end of the span: OK, ALARM or INSUFFICIENT_DATA.
	Last string
}

// Run replays a metric or metric-math alarm over points (ascending) from
// start to end. The alarm's own settings decide: threshold and comparison,
// period (the math metrics' period for metric math), evaluation periods,
// datapoints to alarm and treat-missing-data. Anomaly-detection comparisons
// and alarms without a known threshold or period are an error.
func Run(a *model.Alarm, points []model.Point, start, end time.Time) (Result, error) {
	var r Result
	period := Period(a)
	if period <= 0 {
		return r, fmt.Errorf("alarm %s has no period to replay", a.Name)
	}
	if !a.Threshold.Known {
		return r, fmt.Errorf("alarm %s has no known threshold", a.Name)
	}
	breaches, err := comparison(a.Operator)
	if err != nil {
		return r, err
	}
	n := max(a.EvaluationPeriods, 1)
	m := a.EffectiveDatapoints()
	if m <= 0 || m > n {
		m = n
	}
	// One slot a period, aligned on the period as CloudWatch aligns them.
	first := start.Truncate(period)
	slots := int(end.Sub(first) / period)
	if slots <= 0 {
		return r, nil
	}
	const (
		missing = iota
		ok
		breach
	)
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
			continue // not yet N periods to evaluate
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
			cur = prev // "ignore": the state is kept
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
	return r, nil
}

// Period is the period an alarm evaluates: its own for a metric alarm, the
// returned expression's or else its metrics' common one for metric math.
func Period(a *model.Alarm) time.Duration {
	if a.Period > 0 {
		return time.Duration(a.Period) * time.Second
	}
	p := 0
	for _, q := range a.Metrics {
		if q.ReturnData && q.Period > 0 {
			return time.Duration(q.Period) * time.Second
		}
		if q.Period > 0 && (p == 0 || q.Period < p) {
			p = q.Period
		}
	}
	return time.Duration(p) * time.Second
}

func comparison(op string) (func(v, t float64) bool, error) {
	switch op {
	case "GreaterThanThreshold":
		return func(v, t float64) bool { return v > t }, nil
	case "GreaterThanOrEqualToThreshold":
		return func(v, t float64) bool { return v >= t }, nil
	case "LessThanThreshold":
		return func(v, t float64) bool { return v < t }, nil
	case "LessThanOrEqualToThreshold":
		return func(v, t float64) bool { return v <= t }, nil
	}
	return nil, fmt.Errorf("comparison %q is not replayed (anomaly detection bands are not)", op)
}
