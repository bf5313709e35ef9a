package aws

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"golang.org/x/time/rate"

	"github.com/driftgate/driftgate/live/snapshot"
)

// readEvidence reads, for the alarms of one region that were read: the
// series each evaluates over the lookback (GetMetricData, up to MaxQueries
// queries a call, paged), their state history (DescribeAlarmHistory), and
// for alarms without a datapoint the recently active metrics of their
// namespaces (ListMetrics). Any failure makes the region's evidence
// incomplete: nothing is then said to have "no data".
func readEvidence(ctx context.Context, cw *cloudwatch.Client, alarms *snapshot.CloudWatchRegion, opts *Options) *snapshot.EvidenceRegion {
	end := opts.Clock().UTC().Truncate(time.Minute)
	out := &snapshot.EvidenceRegion{Account: alarms.Account, Region: alarms.Region, Start: end.Add(-opts.Lookback), End: end,
		Series: map[string]snapshot.MetricDataResult{}}
	if cw == nil || !alarms.Complete {
		out.Error = "the alarms were not read: " + alarms.Error
		return out
	}
	limit := func(api string) *rate.Limiter { return rate.NewLimiter(rate.Limit(opts.Rates[api]), 1) }
	var sink func(*snapshot.MetricAlarm, []time.Time, []float64)
	if opts.Series != nil {
		sink = func(a *snapshot.MetricAlarm, ts []time.Time, vs []float64) {
			opts.Series(out.Account, out.Region, a, out.Start, out.End, ts, vs)
		}
	}
	if err := readSeries(ctx, cw, limit("GetMetricData"), alarms.MetricAlarms, opts.MaxQueries, opts.Progress, sink, out); err != nil {
		out.Error = "cloudwatch GetMetricData: " + err.Error()
		return out
	}
	if err := readHistory(ctx, cw, limit("DescribeAlarmHistory"), alarms, out); err != nil {
		out.Error = "cloudwatch DescribeAlarmHistory: " + err.Error()
		return out
	}
	if err := readActive(ctx, cw, limit("ListMetrics"), alarms.MetricAlarms, out); err != nil {
		out.Error = "cloudwatch ListMetrics: " + err.Error()
		return out
	}
	out.Complete = true
	return out
}

// query is one alarm's GetMetricData queries; their IDs are prefixed so
// that many alarms share a call, and expressions are rewritten to match.
type query struct {
	alarm   string
	src     *snapshot.MetricAlarm
	queries []cwtypes.MetricDataQuery
}

var mathID = regexp.MustCompile(`\b[a-z][a-zA-Z0-9_]*\b`)

// queriesFor builds what an alarm evaluates: its metric with its period and
// statistic, or its metric-math queries with the returned one labelled.
func queriesFor(i int, a *snapshot.MetricAlarm) (query, bool) {
	q := query{alarm: a.AlarmName, src: a}
	prefix := fmt.Sprintf("a%d_", i)
	if len(a.Metrics) == 0 {
		stat := a.Statistic
		if stat == "" {
			stat = a.ExtendedStatistic
		}
		if a.MetricName == "" || a.Period == 0 || stat == "" {
			return q, false
		}
		q.queries = []cwtypes.MetricDataQuery{{Id: awssdk.String(prefix + "m"), Label: awssdk.String(a.AlarmName), ReturnData: awssdk.Bool(true),
			MetricStat: &cwtypes.MetricStat{Metric: metric(snapshot.Metric{Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions}),
				Period: awssdk.Int32(int32(a.Period)), Stat: awssdk.String(stat)}}}
		return q, true
	}
	ids := map[string]bool{}
	for _, m := range a.Metrics {
		ids[m.Id] = true
	}
	returned := false
	for _, m := range a.Metrics {
		ret := m.ReturnData == nil || *m.ReturnData
		dq := cwtypes.MetricDataQuery{Id: awssdk.String(prefix + m.Id), ReturnData: awssdk.Bool(ret && !returned)}
		if ret && !returned {
			dq.Label, returned = awssdk.String(a.AlarmName), true
		}
		if m.Expression != "" {
			dq.Expression = awssdk.String(mathID.ReplaceAllStringFunc(m.Expression, func(id string) string {
				if ids[id] {
					return prefix + id
				}
				return id
			}))
		}
		if m.Period > 0 {
			dq.Period = awssdk.Int32(int32(m.Period))
		}
		if m.MetricStat != nil {
			dq.MetricStat = &cwtypes.MetricStat{Metric: metric(m.MetricStat.Metric), Period: awssdk.Int32(int32(m.MetricStat.Period)),
				Stat: awssdk.String(m.MetricStat.Stat)}
			if m.MetricStat.Unit != "" {
				dq.MetricStat.Unit = cwtypes.StandardUnit(m.MetricStat.Unit)
			}
		}
		q.queries = append(q.queries, dq)
	}
	return q, returned
}

func metric(m snapshot.Metric) *cwtypes.Metric {
	out := &cwtypes.Metric{Namespace: awssdk.String(m.Namespace), MetricName: awssdk.String(m.MetricName)}
	for _, d := range m.Dimensions {
		out.Dimensions = append(out.Dimensions, cwtypes.Dimension{Name: awssdk.String(d.Name), Value: awssdk.String(d.Value)})
	}
	return out
}

// maxDatapoints is the most datapoints one GetMetricData answer holds.
const maxDatapoints = 100800

// readSeries sends the alarms' queries in as few calls as the API's limits
// allow: a batch holds at most maxQueries queries and, as far as the
// periods tell, at most one answer's worth of datapoints, so that a call is
// rarely followed by a page that is mostly empty.
func readSeries(ctx context.Context, cw *cloudwatch.Client, limiter *rate.Limiter, alarms []snapshot.MetricAlarm, maxQueries int, pr *Progress,
	sink func(*snapshot.MetricAlarm, []time.Time, []float64), out *snapshot.EvidenceRegion) error {
	var batch []query
	size, points := 0, 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := getMetricData(ctx, cw, limiter, batch, pr, sink, out)
		batch, size, points = nil, 0, 0
		return err
	}
	lookback := out.End.Sub(out.Start)
	for i := range alarms {
		q, ok := queriesFor(i, &alarms[i])
		if !ok || len(q.queries) > maxQueries {
			continue // nothing to query (or more than one call holds): not read, so not judged
		}
		expected := 0
		if p := alarmPeriod(&alarms[i]); p > 0 {
			expected = int(lookback / p)
		}
		if size+len(q.queries) > maxQueries || points > 0 && points+expected > maxDatapoints {
			if err := flush(); err != nil {
				return err
			}
		}
		batch = append(batch, q)
		size += len(q.queries)
		points += expected
	}
	return flush()
}

// alarmPeriod is the period of what the alarm evaluates.
func alarmPeriod(a *snapshot.MetricAlarm) time.Duration {
	if a.Period > 0 {
		return time.Duration(a.Period) * time.Second
	}
	p := 0
	for _, m := range a.Metrics {
		switch {
		case m.Period > 0:
			p = m.Period
		case m.MetricStat != nil && m.MetricStat.Period > 0 && (p == 0 || m.MetricStat.Period < p):
			p = m.MetricStat.Period
		}
	}
	return time.Duration(p) * time.Second
}

func getMetricData(ctx context.Context, cw *cloudwatch.Client, limiter *rate.Limiter, batch []query, pr *Progress,
	sink func(*snapshot.MetricAlarm, []time.Time, []float64), out *snapshot.EvidenceRegion) error {
	in := &cloudwatch.GetMetricDataInput{StartTime: awssdk.Time(out.Start), EndTime: awssdk.Time(out.End), ScanBy: cwtypes.ScanByTimestampAscending}
	src := map[string]*snapshot.MetricAlarm{}
	for _, q := range batch {
		in.MetricDataQueries = append(in.MetricDataQueries, q.queries...)
		src[q.alarm] = q.src
	}
	got := map[string]*snapshot.MetricDataResult{}
	err := eachPage(ctx, limiter, cloudwatch.NewGetMetricDataPaginator(cw, in), func(page *cloudwatch.GetMetricDataOutput) error {
		if pr != nil {
			pr.add(&pr.MetricCalls, 1)
			for _, r := range page.MetricDataResults {
				pr.add(&pr.MetricPoints, len(r.Values))
			}
		}
		for _, r := range page.MetricDataResults {
			name := awssdk.ToString(r.Label)
			switch r.StatusCode {
			case cwtypes.StatusCodeForbidden, cwtypes.StatusCodeInternalError:
				return fmt.Errorf("alarm %s: %s", name, r.StatusCode)
			}
			res := got[name]
			if res == nil {
				res = &snapshot.MetricDataResult{Id: awssdk.ToString(r.Id), Label: name, Timestamps: []time.Time{}, Values: []float64{}}
				got[name] = res
			}
			if sink != nil {
				sink(src[name], r.Timestamps, r.Values)
				res.Streamed += len(r.Values)
			} else {
				res.Timestamps = append(res.Timestamps, r.Timestamps...)
				res.Values = append(res.Values, r.Values...)
			}
			res.StatusCode = string(r.StatusCode)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, q := range batch {
		if res, ok := got[q.alarm]; ok {
			res.StatusCode = "Complete" // every page was read
			out.Series[q.alarm] = *res
		}
	}
	return nil
}

func readHistory(ctx context.Context, cw *cloudwatch.Client, limiter *rate.Limiter, alarms *snapshot.CloudWatchRegion, out *snapshot.EvidenceRegion) error {
	read := map[string]bool{}
	for _, a := range alarms.MetricAlarms {
		read[a.AlarmName] = true
	}
	for _, a := range alarms.CompositeAlarms {
		read[a.AlarmName] = true
	}
	p := cloudwatch.NewDescribeAlarmHistoryPaginator(cw, &cloudwatch.DescribeAlarmHistoryInput{
		HistoryItemType: cwtypes.HistoryItemTypeStateUpdate, StartDate: awssdk.Time(out.Start), EndDate: awssdk.Time(out.End),
		MaxRecords: awssdk.Int32(100), AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm}})
	err := eachPage(ctx, limiter, p, func(page *cloudwatch.DescribeAlarmHistoryOutput) error {
		for _, h := range page.AlarmHistoryItems {
			if !read[awssdk.ToString(h.AlarmName)] {
				continue
			}
			out.History = append(out.History, snapshot.AlarmHistoryItem{AlarmName: awssdk.ToString(h.AlarmName), AlarmType: string(h.AlarmType),
				HistoryItemType: string(h.HistoryItemType), HistorySummary: awssdk.ToString(h.HistorySummary),
				HistoryData: awssdk.ToString(h.HistoryData), Timestamp: awssdk.ToTime(h.Timestamp).UTC()})
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(out.History, func(a, b snapshot.AlarmHistoryItem) int {
		return cmp.Or(strings.Compare(a.AlarmName, b.AlarmName), a.Timestamp.Compare(b.Timestamp))
	})
	return nil
}

// readActive lists the recently active metrics of each namespace and
// metric name that an alarm without data reads, to name a likely typo.
func readActive(ctx context.Context, cw *cloudwatch.Client, limiter *rate.Limiter, alarms []snapshot.MetricAlarm, out *snapshot.EvidenceRegion) error {
	type nm struct{ ns, name string }
	var wanted []nm
	seen := map[nm]bool{}
	add := func(m snapshot.Metric) {
		k := nm{m.Namespace, m.MetricName}
		if k.name != "" && !seen[k] {
			seen[k] = true
			wanted = append(wanted, k)
		}
	}
	for _, a := range alarms {
		if s, ok := out.Series[a.AlarmName]; !ok || s.Points() > 0 {
			continue
		}
		add(snapshot.Metric{Namespace: a.Namespace, MetricName: a.MetricName})
		for _, m := range a.Metrics {
			if m.MetricStat != nil {
				add(m.MetricStat.Metric)
			}
		}
	}
	for _, k := range wanted {
		p := cloudwatch.NewListMetricsPaginator(cw, &cloudwatch.ListMetricsInput{Namespace: awssdk.String(k.ns), MetricName: awssdk.String(k.name),
			RecentlyActive: cwtypes.RecentlyActivePt3h})
		err := eachPage(ctx, limiter, p, func(page *cloudwatch.ListMetricsOutput) error {
			for _, m := range page.Metrics {
				sm := snapshot.Metric{Namespace: awssdk.ToString(m.Namespace), MetricName: awssdk.ToString(m.MetricName)}
				for _, d := range m.Dimensions {
					sm.Dimensions = append(sm.Dimensions, snapshot.Dimension{Name: awssdk.ToString(d.Name), Value: awssdk.ToString(d.Value)})
				}
				out.ActiveMetrics = append(out.ActiveMetrics, sm)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
