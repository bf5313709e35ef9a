package snapshot

import "time"

// EvidenceRegion is what one account and region's metrics and alarm history
// showed over the lookback: the series each alarm evaluates (GetMetricData),
// its state changes (DescribeAlarmHistory), and the recently active metrics
// of namespaces whose alarms saw no data (ListMetrics, RecentlyActive PT3H).
type EvidenceRegion struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	// Complete is false when a read failed; the error says why. An alarm
	// with no series here was not read: "no data" is only a series with no
	// datapoints in a complete region.
	Complete bool   `json:"complete"`
	Error    string `json:"error,omitempty"`
	// Start and End bound the lookback.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Series maps an alarm name to the datapoints of the metric or
	// metric-math expression it evaluates, at its period and statistic.
	Series map[string]MetricDataResult `json:"Series"`
	// History lists the alarms' state updates in the lookback.
	History []AlarmHistoryItem `json:"History,omitempty"`
	// ActiveMetrics are the metrics with recent data in the namespaces and
	// metric names of alarms that saw none.
	ActiveMetrics []Metric `json:"ActiveMetrics,omitempty"`
}

// MetricDataResult mirrors CloudWatch's MetricDataResult.
type MetricDataResult struct {
	Id         string      `json:"Id,omitempty"`
	Label      string      `json:"Label,omitempty"`
	Timestamps []time.Time `json:"Timestamps"`
	Values     []float64   `json:"Values"`
	StatusCode string      `json:"StatusCode,omitempty"` // Complete, PartialData, InternalError, Forbidden
	// Streamed counts the datapoints a read handed to its series sink
	// instead of keeping them here (a check's live read); never recorded.
	Streamed int `json:"-"`
}

// Points is how many datapoints the series had, kept or streamed.
func (r MetricDataResult) Points() int { return len(r.Values) + r.Streamed }

// SeriesID is the model's identity of a live alarm's series: the alarm's
// (model.Alarm.Identity of a live alarm).
func SeriesID(account, region, alarm string) string {
	return "live/" + account + "/" + region + "/" + alarm
}

// AlarmHistoryItem mirrors CloudWatch's AlarmHistoryItem; HistoryData is a
// JSON document in a string, as the API returns it.
type AlarmHistoryItem struct {
	AlarmName       string    `json:"AlarmName"`
	AlarmType       string    `json:"AlarmType,omitempty"`
	HistoryItemType string    `json:"HistoryItemType"`
	HistorySummary  string    `json:"HistorySummary,omitempty"`
	HistoryData     string    `json:"HistoryData,omitempty"`
	Timestamp       time.Time `json:"Timestamp"`
}
