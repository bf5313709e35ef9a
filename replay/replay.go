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
type Result = model.Replay

const (
	missing = iota
	ok
	breach
)

// Stream replays an alarm's evaluation as its datapoints arrive, in
// ascending time: it keeps the last N periods' states, not the series, so a
// day of one-minute data costs what an hour does.
type Stream struct {
	a        *model.Alarm
	period   time.Duration
	first    time.Time
	slots    int
	breaches func(v, t float64) bool
	n, m     int
	ring     []int // the states of the last n closed periods
	closed   int   // periods closed so far
	open     int   // the period points are gathering into
	state    int   // its state so far
	prev     string
	r        Result
	// disorder is set when a point came for a period already closed.
	disorder bool
}

// NewStream starts the replay of a metric or metric-math alarm from start to
// end. The alarm's own settings decide: threshold and comparison, period
// (the math metrics' period for metric math), evaluation periods, datapoints
// to alarm and treat-missing-data. Anomaly-detection comparisons and alarms
// without a known threshold or period are an error.
func NewStream(a *model.Alarm, start, end time.Time) (*Stream, error) {
	period := Period(a)
	if period <= 0 {
		return nil, fmt.Errorf("alarm %s has no period to replay", a.Name)
	}
	if !a.Threshold.Known {
		return nil, fmt.Errorf("alarm %s has no known threshold", a.Name)
	}
	breaches, err := comparison(a.Operator)
	if err != nil {
		return nil, err
	}
	n := max(a.EvaluationPeriods, 1)
	m := a.EffectiveDatapoints()
	if m <= 0 || m > n {
		m = n
	}
	// One slot a period, aligned on the period as CloudWatch aligns them.
	first := start.Truncate(period)
	return &Stream{a: a, period: period, first: first, slots: max(int(end.Sub(first)/period), 0), breaches: breaches,
		n: n, m: m, ring: make([]int, n)}, nil
}

// Add takes the next datapoint; points must come in ascending time.
func (s *Stream) Add(p model.Point) {
	i := int(p.Time().Sub(s.first) / s.period)
	if i < 0 || i >= s.slots {
		return
	}
	if i < s.open {
		s.disorder = true
		return
	}
	for s.open < i {
		s.close()
	}
	if s.breaches(p.Value, s.a.Threshold.Value) {
		s.state = breach
	} else if s.state != breach {
		s.state = ok
	}
}

// close ends the open period and evaluates the alarm at its end.
func (s *Stream) close() {
	closing := s.state
	s.ring[s.closed%s.n] = closing
	s.closed++
	s.open++
	s.state = missing
	if s.closed < s.n {
		return // not yet N periods to evaluate
	}
	s.r.Evaluations++
	if closing == breach {
		s.r.Breaching++
	}
	breached, present := 0, 0
	for _, st := range s.ring {
		switch {
		case st == breach:
			breached++
			present++
		case st == ok:
			present++
		case s.a.TreatMissingData == "breaching":
			breached++
			present++
		case s.a.TreatMissingData == "notBreaching":
			present++
		}
	}
	cur := "OK"
	switch {
	case breached >= s.m:
		cur = "ALARM"
	case present == 0 && (s.a.TreatMissingData == "" || s.a.TreatMissingData == "missing"):
		cur = "INSUFFICIENT_DATA"
	case present == 0:
		cur = s.prev // "ignore": the state is kept
	}
	if cur == "ALARM" {
		s.r.InAlarm += s.period
		if s.prev != "ALARM" {
			s.r.Fired++
		}
	}
	s.prev = cur
}

// Result closes every period left to the end of the span and returns what
// the replay found; call it once, after the last point.
func (s *Stream) Result() (Result, error) {
	if s.disorder {
		return Result{}, fmt.Errorf("alarm %s: datapoints out of order", s.a.Name)
	}
	for s.open < s.slots {
		s.close()
	}
	s.r.Last = s.prev
	return s.r, nil
}

// Run replays an alarm over points (ascending) from start to end, as
// NewStream does one point at a time.
func Run(a *model.Alarm, points []model.Point, start, end time.Time) (Result, error) {
	s, err := NewStream(a, start, end)
	if err != nil {
		return Result{}, err
	}
	for _, p := range points {
		s.Add(p)
	}
	return s.Result()
}

// Series summarises one alarm's series as it streams in: its point count,
// its last point and its replay.
type Series struct {
	stream *Stream
	err    error
	sum    model.SeriesSummary
}

// NewSeries starts the summary of an alarm's series over start..end.
func NewSeries(a *model.Alarm, start, end time.Time) *Series {
	st, err := NewStream(a, start, end)
	return &Series{stream: st, err: err}
}

// Add takes the next datapoint, in ascending time.
func (s *Series) Add(p model.Point) {
	s.sum.Points++
	s.sum.Last = p
	if s.stream != nil {
		s.stream.Add(p)
	}
}

// Summary ends the series; call it once.
func (s *Series) Summary() model.SeriesSummary {
	if s.err == nil {
		r, err := s.stream.Result()
		if s.err = err; err == nil {
			s.sum.Replay = &r
		}
	}
	if s.err != nil {
		s.sum.ReplayErr = s.err.Error()
	}
	return s.sum
}

// Summarize is the summary of a whole series (ascending).
func Summarize(a *model.Alarm, points []model.Point, start, end time.Time) model.SeriesSummary {
	s := NewSeries(a, start, end)
	for _, p := range points {
		s.Add(p)
	}
	return s.Summary()
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
