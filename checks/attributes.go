package checks

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/model"
)

// alarmAttribute is one comparable property of an alarm, named as in the
// Terraform AWS provider, rendered from the model's canonical form so equal
// settings compare equal whatever wrote them.
type alarmAttribute struct {
	Name      string
	Composite bool // applies to composite alarms
	Metric    bool // applies to metric and metric-math alarms
	Render    func(c *model.CanonicalAlarm) string
	// Display shows the value in messages when the compared form is not
	// how people write it; default Render.
	Display func(a *model.Alarm) string
}

// render is the attribute's compared value for an alarm.
func (at alarmAttribute) render(a *model.Alarm) string {
	c := a.Canonical()
	return at.Render(&c)
}

func (at alarmAttribute) show(a *model.Alarm) string {
	if at.Display != nil {
		return at.Display(a)
	}
	return at.render(a)
}

var alarmAttributes = []alarmAttribute{
	{Name: "threshold", Metric: true, Render: func(c *model.CanonicalAlarm) string {
		if c.Threshold == nil {
			return model.Unknown.String()
		}
		return model.Known(*c.Threshold).String()
	}},
	{Name: "comparison_operator", Metric: true, Render: func(c *model.CanonicalAlarm) string { return c.Operator }},
	{Name: "period", Metric: true, Render: func(c *model.CanonicalAlarm) string { return itoa(c.Period) }},
	{Name: "evaluation_periods", Metric: true, Render: func(c *model.CanonicalAlarm) string { return itoa(c.EvaluationPeriods) }},
	{Name: "datapoints_to_alarm", Metric: true, Render: func(c *model.CanonicalAlarm) string { return itoa(c.DatapointsToAlarm) }},
	{Name: "statistic", Metric: true, Render: func(c *model.CanonicalAlarm) string { return c.Statistic }},
	{Name: "metric", Metric: true, Render: renderMetric},
	{Name: "metric_query", Metric: true, Render: renderMetricQueries},
	{Name: "treat_missing_data", Metric: true, Render: func(c *model.CanonicalAlarm) string { return c.TreatMissingData }},
	{Name: "alarm_rule", Composite: true, Render: func(c *model.CanonicalAlarm) string { return c.AlarmRule },
		Display: func(a *model.Alarm) string { return strings.Join(strings.Fields(a.AlarmRule), " ") }},
	{Name: "actions_enabled", Metric: true, Composite: true, Render: func(c *model.CanonicalAlarm) string { return strconv.FormatBool(c.ActionsEnabled) }},
	{Name: "alarm_actions", Metric: true, Composite: true, Render: func(c *model.CanonicalAlarm) string { return renderSet(c.AlarmActions) }},
	{Name: "ok_actions", Metric: true, Composite: true, Render: func(c *model.CanonicalAlarm) string { return renderSet(c.OKActions) }},
	{Name: "insufficient_data_actions", Metric: true, Composite: true, Render: func(c *model.CanonicalAlarm) string { return renderSet(c.InsufficientData) }},
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

// renderSet shows a canonical (sorted) set.
func renderSet(s []string) string { return "[" + strings.Join(s, ", ") + "]" }

// renderDimensions shows canonical (sorted) dimensions.
func renderDimensions(ds []model.Dimension) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Name + "=" + d.Value
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func renderMetric(c *model.CanonicalAlarm) string {
	if c.MetricName == "" && c.Namespace == "" {
		return ""
	}
	return c.Namespace + "/" + c.MetricName + renderDimensions(c.Dimensions)
}

func renderMetricQueries(c *model.CanonicalAlarm) string {
	parts := make([]string, len(c.Metrics))
	for i, q := range c.Metrics {
		if q.Expression != "" {
			parts[i] = fmt.Sprintf("%s=%s", q.ID, q.Expression)
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
