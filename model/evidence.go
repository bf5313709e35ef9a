package model

import (
	"encoding/json"
	"time"
)

// Point is one datapoint of a series: 16 bytes, since a day of 1-minute
// series for 18,000 alarms is millions of them. CloudWatch timestamps are
// whole seconds.
type Point struct {
	Unix  int64 // seconds since the epoch
	Value float64
}

// PointAt makes a point at a time (to the second).
func PointAt(t time.Time, v float64) Point { return Point{Unix: t.Unix(), Value: v} }

// Time is the point's time, in UTC.
func (p Point) Time() time.Time { return time.Unix(p.Unix, 0).UTC() }

// AlarmHistory is one state change of an alarm.
type AlarmHistory struct {
	Time     time.Time
	From, To string // OK, ALARM, INSUFFICIENT_DATA
}

// Evidence is what metric data and alarm history showed, per live alarm.
type Evidence struct {
	Start, End time.Time
	// Series holds, by live alarm identity, the datapoints of what the alarm
	// evaluates, ascending; an alarm absent here was not read, one present
	// with no points had no data.
	Series map[string][]Point
	// Summaries hold, by live alarm identity, what the checks need of a
	// series when it was read as a stream and not kept (a live read): its
	// point count, last point and replay. An alarm in neither map was not read.
	Summaries map[string]SeriesSummary
	// History holds, by live alarm identity, its state changes, ascending.
	History map[string][]AlarmHistory
	// Active lists recently active metrics by "namespace/metric name".
	Active map[string][]MetricQuery
}

// SeriesSummary is what the evidence checks read of one alarm's series.
type SeriesSummary struct {
	Points int
	Last   Point // when Points > 0
	// Replay is the alarm's evaluation re-run over the series; nil with
	// ReplayErr when it cannot be replayed (no threshold, anomaly bands).
	Replay    *Replay
	ReplayErr string
}

// Replay is what re-running an alarm's evaluation over a span found.
type Replay struct {
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

// Lookback is the evidence's time span.
func (e *Evidence) Lookback() time.Duration { return e.End.Sub(e.Start) }

// ParseHistoryData reads the old and new state of a CloudWatch state-update
// history item's HistoryData document.
func ParseHistoryData(data string) (from, to string, ok bool) {
	var d struct {
		OldState struct{ StateValue string } `json:"oldState"`
		NewState struct{ StateValue string } `json:"newState"`
	}
	if json.Unmarshal([]byte(data), &d) != nil || d.NewState.StateValue == "" {
		return "", "", false
	}
	return d.OldState.StateValue, d.NewState.StateValue, true
}
