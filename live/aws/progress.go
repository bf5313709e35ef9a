package aws

import "sync/atomic"

// Progress counts what a read has done so far, for a progress line; every
// region's reader adds to it.
type Progress struct {
	// AlarmPages and Alarms count DescribeAlarms pages and the alarms in them.
	AlarmPages, Alarms atomic.Int64
	// MetricCalls counts GetMetricData calls, MetricPoints their datapoints.
	MetricCalls, MetricPoints atomic.Int64
	// Regions counts regions read to the end (complete or not).
	Regions atomic.Int64
}

func (p *Progress) add(c *atomic.Int64, n int) {
	if p != nil {
		c.Add(int64(n))
	}
}
