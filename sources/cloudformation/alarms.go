package cloudformation

import (
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/model"
)

// Alarm resource types.
const (
	TypeAlarm          = "AWS::CloudWatch::Alarm"
	TypeCompositeAlarm = "AWS::CloudWatch::CompositeAlarm"
)

func isAlarm(t string) bool { return t == TypeAlarm || t == TypeCompositeAlarm }

// Options control the mapping into the model.
type Options struct {
	// Stack names the deployed stack, for addresses (stack/LogicalID) that
	// match stack drift; default the template file's name.
	Stack string
	Env   Env
}

// Alarms maps the template's alarms into the model. Values that depend on
// something unknown (a parameter without a value, another resource's ARN)
// are listed in Alarm.Unknown and never taken as 0 or empty; a resource whose
// Condition is false is left out.
func (t *Template) Alarms(opts Options) []*model.Alarm {
	stack := opts.Stack
	if stack == "" {
		stack = strings.TrimSuffix(filepath.Base(t.File), filepath.Ext(t.File))
	}
	r := newResolver(t, opts.Env)
	var out []*model.Alarm
	for _, res := range t.Resources {
		if !isAlarm(res.Type) || res.Condition != "" && r.condition(res.Condition) == triFalse {
			continue
		}
		a := &model.Alarm{Source: model.SourceCloudFormation, Address: stack + "/" + res.LogicalID, Action: model.ActionNoop,
			Location: model.Location{File: t.File, Line: res.Line}, ActionsEnabled: true}
		p := props{r: r, v: res.Properties, a: a}
		if n, ok := r.alarmName(res); ok {
			a.Name = n
		} else {
			a.Unknown = append(a.Unknown, "alarm_name")
		}
		p.bool("ActionsEnabled", "actions_enabled", &a.ActionsEnabled)
		a.AlarmActions = p.strings("AlarmActions", "alarm_actions")
		a.OKActions = p.strings("OKActions", "ok_actions")
		a.InsufficientData = p.strings("InsufficientDataActions", "insufficient_data_actions")
		if res.Type == TypeCompositeAlarm {
			a.Kind = model.KindComposite
			a.AlarmRule = p.string("AlarmRule", "alarm_rule")
		} else {
			p.metricAlarm()
		}
		sort.Strings(a.Unknown)
		a.Unknown = slices.Compact(a.Unknown)
		out = append(out, a)
	}
	// Template order is not meaningful: JSON and YAML of one template give one list.
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out
}

// props reads one resource's resolved properties.
type props struct {
	r *resolver
	v *Value
	a *model.Alarm
}

func (p props) get(key, attr string) (*Value, bool) {
	raw := p.v.Get(key)
	if raw == nil {
		return nil, false
	}
	v, known := p.r.eval(raw)
	if !known || v == noValue {
		if !known {
			p.a.Unknown = append(p.a.Unknown, attr)
		}
		return nil, false
	}
	return v, true
}

func (p props) string(key, attr string) string {
	if v, ok := p.get(key, attr); ok {
		return v.Str
	}
	return ""
}

// number reads numbers written as numbers or as strings ("5.2").
func (p props) number(key, attr string) model.Number {
	v, ok := p.get(key, attr)
	if !ok {
		return model.Unknown
	}
	if v.Kind == Number {
		return model.Known(v.Num)
	}
	if f, err := strconv.ParseFloat(strings.TrimSpace(v.Str), 64); err == nil {
		return model.Known(f)
	}
	p.a.Unknown = append(p.a.Unknown, attr)
	return model.Unknown
}

func (p props) int(key, attr string) int {
	if n := p.number(key, attr); n.Known {
		return int(n.Value)
	}
	return 0
}

func (p props) bool(key, attr string, out *bool) {
	if v, ok := p.get(key, attr); ok {
		*out = v.Truth()
	}
}

// strings reads a list; unknown entries keep a placeholder so the list's
// length (whether anyone is notified) stays right, and the attribute is unknown.
func (p props) strings(key, attr string) []string {
	raw := p.v.Get(key)
	if raw == nil {
		return nil
	}
	v, known := p.r.eval(raw)
	if !known {
		p.a.Unknown = append(p.a.Unknown, attr)
	}
	var out []string
	for _, e := range v.List {
		out = append(out, e.Str)
	}
	return out
}

func dimensions(v *Value) []model.Dimension {
	if v == nil {
		return nil
	}
	var out []model.Dimension
	for _, d := range v.List {
		out = append(out, model.Dimension{Name: d.Get("Name").Text(), Value: d.Get("Value").Text()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (p props) metricAlarm() {
	a := p.a
	a.Kind = model.KindMetric
	a.Threshold = p.number("Threshold", "threshold")
	a.Operator = p.string("ComparisonOperator", "comparison_operator")
	a.EvaluationPeriods = p.int("EvaluationPeriods", "evaluation_periods")
	a.DatapointsToAlarm = p.int("DatapointsToAlarm", "datapoints_to_alarm")
	a.Period = p.int("Period", "period")
	a.Statistic = p.string("Statistic", "statistic")
	a.ExtendedStatistic = p.string("ExtendedStatistic", "statistic")
	a.Namespace = p.string("Namespace", "metric")
	a.MetricName = p.string("MetricName", "metric")
	a.TreatMissingData = p.string("TreatMissingData", "treat_missing_data")
	if d, ok := p.get("Dimensions", "metric"); ok {
		a.Dimensions = dimensions(d)
	}
	if tags, ok := p.get("Tags", "tags"); ok {
		ts := make([]model.Tag, 0, len(tags.List))
		for _, t := range tags.List {
			ts = append(ts, model.Tag{Key: t.Get("Key").Text(), Value: t.Get("Value").Text()})
		}
		a.Tags = model.SortTags(ts)
	}
	metrics, ok := p.get("Metrics", "metric_query")
	if !ok {
		return
	}
	a.Kind = model.KindMetricMath
	for _, m := range metrics.List {
		q := model.MetricQuery{ID: m.Get("Id").Text(), Expression: m.Get("Expression").Text(), Label: m.Get("Label").Text(),
			ReturnData: m.Get("ReturnData") == nil || m.Get("ReturnData").Bool || m.Get("ReturnData").Text() == "true"}
		if per := m.Get("Period"); per != nil {
			q.Period = int(per.Num)
		}
		if s := m.Get("MetricStat"); s != nil {
			metric := s.Get("Metric")
			q.Namespace, q.MetricName = metric.Get("Namespace").Text(), metric.Get("MetricName").Text()
			q.Dimensions = dimensions(metric.Get("Dimensions"))
			q.Stat = s.Get("Stat").Text()
			if q.Period == 0 {
				q.Period = s.Get("Period").Int()
			}
		}
		a.Metrics = append(a.Metrics, q)
	}
}
