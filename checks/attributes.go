package checks

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/model"
)

// alarmAttribute is one comparable property of an alarm, named as in the
// Terraform AWS provider, rendered canonically so equal settings compare equal
// whatever wrote them (provider defaults filled in, sets sorted).
type alarmAttribute struct {
	Name      string
	Composite bool // applies to composite alarms
	Metric    bool // applies to metric and metric-math alarms
	Render    func(a *model.Alarm) string
	// Display shows the value in messages when the compared form is not
	// how people write it; default Render.
	Display func(a *model.Alarm) string
}

func (at alarmAttribute) show(a *model.Alarm) string {
	if at.Display != nil {
		return at.Display(a)
	}
	return at.Render(a)
}

var alarmAttributes = []alarmAttribute{
	{Name: "threshold", Metric: true, Render: func(a *model.Alarm) string { return a.Threshold.String() }},
	{Name: "comparison_operator", Metric: true, Render: func(a *model.Alarm) string { return a.Operator }},
	{Name: "period", Metric: true, Render: func(a *model.Alarm) string { return itoa(a.Period) }},
	{Name: "evaluation_periods", Metric: true, Render: func(a *model.Alarm) string { return itoa(a.EvaluationPeriods) }},
	{Name: "datapoints_to_alarm", Metric: true, Render: func(a *model.Alarm) string { return itoa(a.EffectiveDatapoints()) }},
	{Name: "statistic", Metric: true, Render: func(a *model.Alarm) string { return a.Statistic + a.ExtendedStatistic }},
	{Name: "metric", Metric: true, Render: renderMetric},
	{Name: "metric_query", Metric: true, Render: renderMetricQueries},
	{Name: "treat_missing_data", Metric: true, Render: func(a *model.Alarm) string {
		if a.TreatMissingData == "" {
			return "missing" // the CloudWatch and provider default
		}
		return a.TreatMissingData
	}},
	{Name: "alarm_rule", Composite: true, Render: func(a *model.Alarm) string { return canonicalRule(a.AlarmRule) },
		Display: func(a *model.Alarm) string { return strings.Join(strings.Fields(a.AlarmRule), " ") }},
	{Name: "actions_enabled", Metric: true, Composite: true, Render: func(a *model.Alarm) string { return strconv.FormatBool(a.ActionsEnabled) }},
	{Name: "alarm_actions", Metric: true, Composite: true, Render: func(a *model.Alarm) string { return renderSet(a.AlarmActions) }},
	{Name: "ok_actions", Metric: true, Composite: true, Render: func(a *model.Alarm) string { return renderSet(a.OKActions) }},
	{Name: "insufficient_data_actions", Metric: true, Composite: true, Render: func(a *model.Alarm) string { return renderSet(a.InsufficientData) }},
}

// Attributes whose drift changes when or whom an alarm pages.
var pagingAttributes = map[string]bool{
	"threshold": true, "comparison_operator": true, "period": true, "evaluation_periods": true,
	"datapoints_to_alarm": true, "alarm_actions": true, "ok_actions": true, "actions_enabled": true,
	"metric_query": true, "alarm_rule": true,
}

func (at alarmAttribute) appliesTo(a *model.Alarm) bool {
	if a.Kind == model.KindComposite {
		return at.Composite
	}
	return at.Metric
}

func itoa(n int) string { return strconv.Itoa(n) }

func renderSet(s []string) string {
	if len(s) == 0 {
		return "[]"
	}
	c := slices.Clone(s)
	slices.Sort(c)
	return "[" + strings.Join(c, ", ") + "]"
}

func renderDimensions(ds []model.Dimension) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Name + "=" + d.Value
	}
	slices.Sort(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

func renderMetric(a *model.Alarm) string {
	if a.MetricName == "" && a.Namespace == "" {
		return ""
	}
	return a.Namespace + "/" + a.MetricName + renderDimensions(a.Dimensions)
}

func renderMetricQueries(a *model.Alarm) string {
	qs := slices.Clone(a.Metrics)
	slices.SortFunc(qs, func(x, y model.MetricQuery) int { return strings.Compare(x.ID, y.ID) })
	parts := make([]string, len(qs))
	for i, q := range qs {
		if q.Expression != "" {
			parts[i] = fmt.Sprintf("%s=%s", q.ID, strings.Join(strings.Fields(q.Expression), ""))
		} else {
			parts[i] = fmt.Sprintf("%s=%s/%s%s:%s:%d", q.ID, q.Namespace, q.MetricName, renderDimensions(q.Dimensions), q.Stat, q.Period)
		}
		if q.ReturnData {
			parts[i] += "*"
		}
	}
	return strings.Join(parts, "; ")
}

// relativeDrift is |a - b| / |b|, the drift of a from reference b.
func relativeDrift(a, b float64) float64 {
	if b == 0 {
		if a == 0 {
			return 0
		}
		return 1
	}
	d := (a - b) / b
	if d < 0 {
		d = -d
	}
	return d
}

// percent formats a ratio as a percentage with at most two decimals.
func percent(r float64) string {
	return strconv.FormatFloat(r*100, 'f', 2, 64) + "%"
}

// display renders a value for a message: empty as (none); markers, numbers,
// booleans and JSON bare; text quoted; long values (policies, scripts) cut
// short, the full values staying in the evidence.
func display(s string) string {
	switch {
	case s == "":
		return "(none)"
	case len(s) > 80:
		s = s[:77] + "..."
	}
	var v any
	if strings.HasPrefix(s, "(") || strings.HasPrefix(s, "[") || json.Unmarshal([]byte(s), &v) == nil {
		return s
	}
	if strings.Contains(s, `"`) {
		return "'" + s + "'"
	}
	return `"` + s + `"`
}
