package snapshot

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// Load reads and validates a snapshot file as a stream: a snapshot of tens
// of megabytes is never held in memory whole. reported is the path used in
// messages and reports. Only a bad file is read again, for the line and
// column of its error.
func Load(file, reported string) (*Snapshot, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, &input.Error{File: reported, Msg: "cannot read live snapshot", Err: err}
	}
	defer f.Close()
	var s Snapshot
	err = jsonv2.UnmarshalRead(bufio.NewReaderSize(f, 64<<10), &s, jsonv2.RejectUnknownMembers(true))
	if err != nil {
		data, rerr := os.ReadFile(file)
		if rerr != nil {
			return nil, &input.Error{File: reported, Msg: "cannot read live snapshot", Err: rerr}
		}
		return Decode(reported, data) // the same error, with its position
	}
	if err := s.validate(reported); err != nil {
		return nil, err
	}
	return &s, nil
}

// Decode parses snapshot JSON strictly: unknown fields are errors, so a typo
// never silently drops live state.
func Decode(file string, data []byte) (*Snapshot, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &input.Error{File: file, Msg: "live snapshot is empty"}
	}
	var s Snapshot
	// Unknown members are errors, and so is anything after the object.
	if err := jsonv2.Unmarshal(data, &s, jsonv2.RejectUnknownMembers(true)); err != nil {
		return nil, input.JSONError(file, data, err)
	}
	if err := s.validate(file); err != nil {
		return nil, err
	}
	return &s, nil
}

func (s *Snapshot) validate(file string) error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, &input.Error{File: file, Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if s.Version != FormatVersion {
		bad("version", "unsupported snapshot version %d (this build reads %d)", s.Version, FormatVersion)
	}
	// reading checks what every regional reading must say.
	reading := func(at, region string, complete bool, why string) {
		if region == "" {
			bad(at+".region", "region is required")
		}
		if !complete && why == "" {
			bad(at+".error", "an incomplete reading must say why in error")
		}
	}
	for i, r := range s.CloudWatch {
		reading(fmt.Sprintf("cloudwatch[%d]", i), r.Region, r.Complete, r.Error)
		for j, a := range r.MetricAlarms {
			if a.AlarmName == "" {
				bad(fmt.Sprintf("cloudwatch[%d].MetricAlarms[%d].AlarmName", i, j), "AlarmName is required")
			}
		}
		for j, a := range r.CompositeAlarms {
			if a.AlarmName == "" {
				bad(fmt.Sprintf("cloudwatch[%d].CompositeAlarms[%d].AlarmName", i, j), "AlarmName is required")
			}
		}
	}
	for i, r := range s.CloudFormation {
		reading(fmt.Sprintf("cloudformation[%d]", i), r.Region, r.Complete, r.Error)
		for j, st := range r.Stacks {
			if st.StackName == "" {
				bad(fmt.Sprintf("cloudformation[%d].Stacks[%d].StackName", i, j), "StackName is required")
			}
		}
	}
	for i, r := range s.Evidence {
		reading(fmt.Sprintf("evidence[%d]", i), r.Region, r.Complete, r.Error)
		for name, res := range r.Series {
			if len(res.Timestamps) != len(res.Values) {
				bad(fmt.Sprintf("evidence[%d].Series[%q]", i, name), "%d timestamps but %d values", len(res.Timestamps), len(res.Values))
			}
		}
	}
	for i, t := range s.SLORegistry {
		at := fmt.Sprintf("slo_registry[%d]", i)
		reading(at, t.Region, t.Complete, t.Error)
		if t.Table == "" {
			bad(at+".table", "table is required")
		}
	}
	for i, t := range s.AlertRules {
		at := fmt.Sprintf("alert_rules[%d]", i)
		if t.Source == "" {
			bad(at+".source", "source is required (the alert_rules entry's name)")
		}
		if !t.Complete && t.Error == "" {
			bad(at+".error", "an incomplete reading must say why in error")
		}
		for j, r := range t.Rules {
			if r.RuleID == "" || r.TenantID == "" {
				bad(fmt.Sprintf("%s.rules[%d]", at, j), "rule_id and tenant_id are required")
			}
		}
	}
	for i, r := range s.ApplicationSignals {
		at := fmt.Sprintf("application_signals[%d]", i)
		reading(at, r.Region, r.Complete, r.Error)
		for j, o := range r.SLOs {
			if _, err := serviceSLO(o); err != nil {
				bad(fmt.Sprintf("%s.slos[%d]", at, j), "%v", err)
			}
		}
	}
	if p := s.PagerDuty; p != nil && !p.Complete && p.Error == "" {
		bad("pagerduty.error", "an incomplete reading must say why in error")
	}
	return errors.Join(errs...)
}

// Model maps the snapshot into the model's live state.
func (s *Snapshot) Model(file string) *model.Live { return s.model(file, false) }

// TakeModel is Model for a snapshot whose alarms and series are not needed
// afterwards: each region's alarm lists and each metric series leave the
// snapshot as they enter the model, so they are held once, not twice, at the
// run's peak.
func (s *Snapshot) TakeModel(file string) *model.Live { return s.model(file, true) }

func (s *Snapshot) model(file string, take bool) *model.Live {
	l := &model.Live{File: file}
	strs := input.NewStrings() // the alarms share one copy of each string they repeat
	for ri := range s.CloudWatch {
		r := &s.CloudWatch[ri]
		l.Sources = append(l.Sources, model.LiveSource{Kind: "cloudwatch", Account: r.Account, Region: r.Region, Complete: r.Complete, Error: r.Error})
		first := len(l.Alarms)
		for i := range r.MetricAlarms {
			l.Alarms = append(l.Alarms, metricAlarm(&r.MetricAlarms[i], tags(r.Tags[r.MetricAlarms[i].AlarmArn])))
		}
		for i := range r.CompositeAlarms {
			l.Alarms = append(l.Alarms, compositeAlarm(&r.CompositeAlarms[i], tags(r.Tags[r.CompositeAlarms[i].AlarmArn])))
		}
		for _, a := range l.Alarms[first:] {
			a.Account, a.Region = r.Account, r.Region
			a.ShareStrings(strs.Of)
		}
		if take {
			r.MetricAlarms, r.CompositeAlarms, r.Tags = nil, nil, nil
		}
	}
	for _, r := range s.CloudFormation {
		l.Sources = append(l.Sources, model.LiveSource{Kind: "cloudformation", Account: r.Account, Region: r.Region, Complete: r.Complete, Error: r.Error})
		for _, st := range r.Stacks {
			for _, d := range st.StackResourceDrifts {
				if drift, ok := stackDrift(st.StackName, d); ok {
					drift.Scope = model.AWSScope(r.Account, r.Region)
					l.Drifts = append(l.Drifts, drift)
				}
			}
		}
	}
	for _, r := range s.SNS {
		l.Sources = append(l.Sources, model.LiveSource{Kind: "sns", Account: r.Account, Region: r.Region, Complete: r.Complete, Error: r.Error})
	}
	for _, r := range s.ApplicationSignals {
		l.Sources = append(l.Sources, model.LiveSource{Kind: "application-signals", Account: r.Account, Region: r.Region, Complete: r.Complete, Error: r.Error})
		for _, o := range r.SLOs {
			if slo, err := serviceSLO(o); err == nil {
				slo.Account, slo.Region = r.Account, r.Region
				l.ServiceSLOs = append(l.ServiceSLOs, slo)
			}
		}
	}
	if s.PagerDuty != nil {
		l.Sources = append(l.Sources, model.LiveSource{Kind: "pagerduty", Complete: s.PagerDuty.Complete, Error: s.PagerDuty.Error})
		l.PagerDuty = s.PagerDuty.model(s.SNS)
	}
	if len(s.Evidence) > 0 {
		l.Evidence = &model.Evidence{Series: map[string][]model.Point{}, History: map[string][]model.AlarmHistory{}, Active: map[string][]model.MetricQuery{}}
	}
	for _, r := range s.Evidence {
		l.Sources = append(l.Sources, model.LiveSource{Kind: "evidence", Account: r.Account, Region: r.Region, Complete: r.Complete, Error: r.Error})
		ev := l.Evidence
		if ev.Start.IsZero() || r.Start.Before(ev.Start) {
			ev.Start = r.Start
		}
		if r.End.After(ev.End) {
			ev.End = r.End
		}
		id := func(name string) string { return SeriesID(r.Account, r.Region, name) }
		for name, res := range r.Series {
			if res.Streamed > 0 {
				continue // summarised as it was read: the reader's caller holds it
			}
			points := make([]model.Point, 0, len(res.Values))
			for i := range min(len(res.Timestamps), len(res.Values)) {
				points = append(points, model.PointAt(res.Timestamps[i], res.Values[i]))
			}
			sort.Slice(points, func(i, j int) bool { return points[i].Unix < points[j].Unix })
			ev.Series[id(name)] = points
			if take {
				delete(r.Series, name)
			}
		}
		for _, h := range r.History {
			if h.HistoryItemType != "StateUpdate" {
				continue
			}
			if from, to, ok := model.ParseHistoryData(h.HistoryData); ok {
				ev.History[id(h.AlarmName)] = append(ev.History[id(h.AlarmName)], model.AlarmHistory{Time: h.Timestamp, From: from, To: to})
			}
		}
		for k := range ev.History {
			sort.Slice(ev.History[k], func(i, j int) bool { return ev.History[k][i].Time.Before(ev.History[k][j].Time) })
		}
		for _, m := range r.ActiveMetrics {
			key := m.Namespace + "/" + m.MetricName
			ev.Active[key] = append(ev.Active[key], model.MetricQuery{Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: dimensions(m.Dimensions)})
		}
	}
	return l
}

// stackDrift maps a resource drift; resources CloudFormation could not check
// (UNKNOWN, NOT_CHECKED, UNSUPPORTED) and IN_SYNC ones carry no drift.
func stackDrift(stack string, d StackResourceDrift) (model.ResourceDrift, bool) {
	out := model.ResourceDrift{Address: stack + "/" + d.LogicalResourceId, Type: d.ResourceType, Name: d.PhysicalResourceId,
		Source: model.SourceCloudFormation, Stack: stack, LogicalID: d.LogicalResourceId}
	switch d.StackResourceDriftStatus {
	case "DELETED":
		out.Deleted = true
		return out, true
	case "MODIFIED":
		for _, p := range d.PropertyDifferences {
			out.Changes = append(out.Changes, model.AttributeChange{
				Path:   propertyPath(p.PropertyPath),
				Before: valueOrAbsent(p.ExpectedValue, p.DifferenceType == "ADD"),
				After:  valueOrAbsent(p.ActualValue, p.DifferenceType == "REMOVE"),
			})
		}
		return out, true
	}
	return out, false
}

// propertyPath turns a drift's property path into a dotted attribute path;
// CloudFormation writes /Properties/Threshold, some callers /Threshold, and
// both name the same property.
func propertyPath(p string) string {
	p = strings.TrimPrefix(p, "/Properties")
	return strings.ReplaceAll(strings.TrimPrefix(p, "/"), "/", ".")
}

func valueOrAbsent(v string, absent bool) string {
	if absent {
		return "(absent)"
	}
	return v
}

func tags(ts []Tag) model.Tags {
	out := make([]model.Tag, len(ts))
	for i, t := range ts {
		out[i] = model.Tag{Key: t.Key, Value: t.Value}
	}
	return model.SortTags(out)
}

func dimensions(ds []Dimension) []model.Dimension {
	out := make([]model.Dimension, len(ds))
	for i, d := range ds {
		out[i] = model.Dimension{Name: d.Name, Value: d.Value}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func metricAlarm(m *MetricAlarm, tags model.Tags) *model.Alarm {
	a := &model.Alarm{
		Name: m.AlarmName, Source: model.SourceLive, Kind: model.KindMetric, ARN: m.AlarmArn,
		Operator: m.ComparisonOperator, Period: m.Period, EvaluationPeriods: m.EvaluationPeriods,
		DatapointsToAlarm: m.DatapointsToAlarm, Statistic: m.Statistic, ExtendedStatistic: m.ExtendedStatistic,
		Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: dimensions(m.Dimensions),
		TreatMissingData: m.TreatMissingData, ActionsEnabled: m.ActionsEnabled == nil || *m.ActionsEnabled,
		AlarmActions: m.AlarmActions, OKActions: m.OKActions, InsufficientData: m.InsufficientDataActions,
		Tags: tags, State: m.StateValue,
		Live: &model.LiveExtra{Description: m.AlarmDescription, Unit: m.Unit, ThresholdMetricID: m.ThresholdMetricId,
			EvaluateLowSampleCountPercentile: m.EvaluateLowSampleCountPercentile},
	}
	if m.Threshold != nil {
		a.Threshold = model.Known(*m.Threshold)
	}
	if len(m.Metrics) > 0 {
		a.Kind = model.KindMetricMath
		a.Metrics = make([]model.MetricQuery, 0, len(m.Metrics))
	}
	for _, q := range m.Metrics {
		mq := model.MetricQuery{ID: q.Id, Expression: q.Expression, Label: q.Label, Period: q.Period,
			ReturnData: q.ReturnData != nil && *q.ReturnData}
		if q.MetricStat != nil {
			mq.Namespace, mq.MetricName = q.MetricStat.Metric.Namespace, q.MetricStat.Metric.MetricName
			mq.Dimensions = dimensions(q.MetricStat.Metric.Dimensions)
			mq.Stat = q.MetricStat.Stat
			if mq.Period == 0 {
				mq.Period = q.MetricStat.Period
			}
		}
		a.Metrics = append(a.Metrics, mq)
	}
	return a
}

func compositeAlarm(c *CompositeAlarm, tags model.Tags) *model.Alarm {
	return &model.Alarm{
		Name: c.AlarmName, Source: model.SourceLive, Kind: model.KindComposite, ARN: c.AlarmArn,
		AlarmRule: c.AlarmRule, ActionsEnabled: c.ActionsEnabled == nil || *c.ActionsEnabled,
		AlarmActions: c.AlarmActions, OKActions: c.OKActions, InsufficientData: c.InsufficientDataActions,
		Tags: tags, State: c.StateValue,
		Live: &model.LiveExtra{Description: c.AlarmDescription, ActionsSuppressor: c.ActionsSuppressor,
			ActionsSuppressorWaitPeriod: c.ActionsSuppressorWaitPeriod, ActionsSuppressorExtensionPeriod: c.ActionsSuppressorExtensionPeriod},
	}
}

// serviceSLO maps an Application Signals SLO.
func serviceSLO(o ServiceLevelObj) (*model.ServiceSLO, error) {
	if o.Name == "" {
		return nil, errors.New("Name is required")
	}
	if !model.ValidGoal(o.Goal.AttainmentGoal) {
		return nil, fmt.Errorf("SLO %s: Goal.AttainmentGoal %g is not a percentage between 0 and 100", o.Name, o.Goal.AttainmentGoal)
	}
	slo := &model.ServiceSLO{Name: o.Name, ARN: o.Arn, Goal: o.Goal.AttainmentGoal / 100, Source: model.SourceLive}
	if in := o.Goal.Interval; in != nil {
		length := in.RollingInterval
		if length == nil {
			length, slo.Calendar = in.CalendarInterval, true
		}
		if length != nil {
			d, err := model.ServiceSLOInterval(length.Duration, length.DurationUnit)
			if err != nil {
				return nil, fmt.Errorf("SLO %s: %w", o.Name, err)
			}
			slo.Interval = d
		}
	}
	for _, b := range o.BurnRateConfigurations {
		if b.LookBackWindowMinutes < 1 {
			return nil, fmt.Errorf("SLO %s: LookBackWindowMinutes %d must be at least 1", o.Name, b.LookBackWindowMinutes)
		}
		slo.BurnWindows = append(slo.BurnWindows, time.Duration(b.LookBackWindowMinutes)*time.Minute)
	}
	return slo, nil
}

// ModelOfMetricAlarm is the model's form of a live metric alarm, as Model
// makes it (without tags).
func ModelOfMetricAlarm(m *MetricAlarm) *model.Alarm { return metricAlarm(m, nil) }
