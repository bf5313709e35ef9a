package orggen

import (
	"fmt"
	"strings"
	"time"

	"github.com/driftgate/driftgate/live/snapshot"
)

// Evidence describes the metric data and alarm history a scenario records.
type Evidence struct {
	// Burning tenants run at this error rate (percent) in their page-fast
	// windows for the last 8 hours.
	Burning map[string]float64
	// Flapping alarms cross their threshold for one period every other hour:
	// the value is how many state changes that makes in the lookback.
	Flapping map[string]int
	// Dead alarms have no datapoint at all.
	Dead map[string]bool
}

// evidence records 24h of each live metric alarm's series ending at end:
// healthy at a tenth of the threshold unless the scenario says otherwise;
// states and history follow from the series.
func (o *Org) evidence(live *snapshot.CloudWatchRegion, end time.Time) snapshot.EvidenceRegion {
	ev := snapshot.EvidenceRegion{Account: o.Account, Region: o.Region, Complete: true, Start: end.Add(-24 * time.Hour), End: end,
		Series: map[string]snapshot.MetricDataResult{}}
	active := map[string]bool{}
	for i := range live.MetricAlarms {
		a := &live.MetricAlarms[i]
		period := time.Duration(a.Metrics[0].MetricStat.Period) * time.Second
		threshold := *a.Threshold
		tenant := strings.TrimPrefix(a.AlarmName, "slo-")[:6]
		var r snapshot.MetricDataResult
		if o.Evidence.Dead[a.AlarmName] {
			ev.Series[a.AlarmName] = r
			continue
		}
		burning, isBurning := o.Evidence.Burning[tenant]
		isBurning = isBurning && strings.Contains(a.AlarmName, "-page-fast-")
		flaps := o.Evidence.Flapping[a.AlarmName]
		burnFrom := end.Add(-8 * time.Hour)
		for t := ev.Start.Truncate(period); t.Before(end); t = t.Add(period) {
			v := round(threshold / 10)
			switch {
			case isBurning && !t.Before(burnFrom):
				v = burning
			case flaps > 0 && t.Minute() == 0 && t.Hour()%2 == 1 && t.After(end.Add(-time.Duration(flaps)*time.Hour)):
				v = round(threshold * 2)
			}
			r.Timestamps = append(r.Timestamps, t)
			r.Values = append(r.Values, v)
		}
		ev.Series[a.AlarmName] = r
		for _, q := range a.Metrics {
			if q.MetricStat != nil {
				m := q.MetricStat.Metric
				key := fmt.Sprint(m)
				if !active[key] {
					active[key] = true
					ev.ActiveMetrics = append(ev.ActiveMetrics, m)
				}
			}
		}
		// State and history follow the series: ALARM from the first breach on.
		state, last := "OK", "OK"
		for i, v := range r.Values {
			cur := "OK"
			if v > threshold {
				cur = "ALARM"
			}
			if cur != last {
				ev.History = append(ev.History, snapshot.AlarmHistoryItem{AlarmName: a.AlarmName, AlarmType: "MetricAlarm",
					HistoryItemType: "StateUpdate", Timestamp: r.Timestamps[i].Add(period),
					HistorySummary: fmt.Sprintf("Alarm updated from %s to %s", last, cur),
					HistoryData:    fmt.Sprintf(`{"version":"1.0","oldState":{"stateValue":%q},"newState":{"stateValue":%q}}`, last, cur)})
				last = cur
			}
			state = cur
		}
		a.StateValue = state
	}
	return ev
}
