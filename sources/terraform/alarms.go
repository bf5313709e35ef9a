package terraform

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/driftgate/driftgate/model"
)

// Resource types driftgate models as alarms.
const (
	TypeMetricAlarm    = "aws_cloudwatch_metric_alarm"
	TypeCompositeAlarm = "aws_cloudwatch_composite_alarm"
)

// MetricAlarm mirrors the attributes of aws_cloudwatch_metric_alarm (AWS
// provider) that checks read. Pointers mark values that may be null.
type MetricAlarm struct {
	AlarmName               string        `json:"alarm_name"`
	ComparisonOperator      string        `json:"comparison_operator"`
	EvaluationPeriods       *float64      `json:"evaluation_periods"`
	DatapointsToAlarm       *float64      `json:"datapoints_to_alarm"`
	MetricName              string        `json:"metric_name"`
	Namespace               string        `json:"namespace"`
	Period                  *float64      `json:"period"`
	Statistic               string        `json:"statistic"`
	ExtendedStatistic       string        `json:"extended_statistic"`
	Threshold               *float64      `json:"threshold"`
	ThresholdMetricID       string        `json:"threshold_metric_id"`
	ActionsEnabled          *bool         `json:"actions_enabled"`
	AlarmActions            []string      `json:"alarm_actions"`
	OKActions               []string      `json:"ok_actions"`
	InsufficientDataActions []string      `json:"insufficient_data_actions"`
	Dimensions              dimensionAttr `json:"dimensions"`
	TreatMissingData        string        `json:"treat_missing_data"`
	MetricQuery             []MetricQuery `json:"metric_query"`
	Tags                    tagAttr       `json:"tags"`
	ARN                     string        `json:"arn"`
}

// MetricQuery mirrors a metric_query block.
type MetricQuery struct {
	ID         string       `json:"id"`
	Expression string       `json:"expression"`
	Label      string       `json:"label"`
	ReturnData *bool        `json:"return_data"`
	Period     *float64     `json:"period"`
	Metric     []MetricStat `json:"metric"`
}

// MetricStat mirrors a metric_query.metric block.
type MetricStat struct {
	MetricName string        `json:"metric_name"`
	Namespace  string        `json:"namespace"`
	Period     *float64      `json:"period"`
	Stat       string        `json:"stat"`
	Dimensions dimensionAttr `json:"dimensions"`
}

// CompositeAlarm mirrors the attributes of aws_cloudwatch_composite_alarm.
type CompositeAlarm struct {
	AlarmName               string   `json:"alarm_name"`
	AlarmRule               string   `json:"alarm_rule"`
	ActionsEnabled          *bool    `json:"actions_enabled"`
	AlarmActions            []string `json:"alarm_actions"`
	OKActions               []string `json:"ok_actions"`
	InsufficientDataActions []string `json:"insufficient_data_actions"`
	Tags                    tagAttr  `json:"tags"`
	ARN                     string   `json:"arn"`
}

// tagAttr is a tags attribute, decoded straight into key-sorted pairs.
type tagAttr model.Tags

// UnmarshalJSONFrom implements json/v2's streaming unmarshaler.
func (t *tagAttr) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var ts []model.Tag
	err := readStrings(dec, func(k, v string) { ts = append(ts, model.Tag{Key: k, Value: v}) })
	*t = tagAttr(model.SortTags(ts))
	return err
}

// dimensionAttr is a dimensions attribute, decoded straight into
// name-sorted pairs.
type dimensionAttr []model.Dimension

// UnmarshalJSONFrom implements json/v2's streaming unmarshaler.
func (d *dimensionAttr) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var ds []model.Dimension
	err := readStrings(dec, func(k, v string) { ds = append(ds, model.Dimension{Name: k, Value: v}) })
	slices.SortFunc(ds, func(x, y model.Dimension) int { return strings.Compare(x.Name, y.Name) })
	*d = ds
	return err
}

// readStrings reads a map(string) attribute (tags, dimensions) member by
// member into add, without building a map the model would only sort or
// search. A null object adds nothing and a null member reads as "", as
// they do into a Go map; anything else is left to json/v2 to reject, so the
// error keeps its position in the file.
func readStrings(dec *jsontext.Decoder, add func(k, v string)) error {
	var whole map[string]string
	return decodeObject(dec, &whole, func(name string) error {
		var v string
		if dec.PeekKind() == '"' {
			tok, err := dec.ReadToken()
			if err != nil {
				return err
			}
			v = tok.String()
		} else if err := jsonv2.UnmarshalDecode(dec, &v); err != nil {
			return err
		}
		add(name, v)
		return nil
	})
}

// IsAlarmType reports whether driftgate models resources of this type as alarms.
func IsAlarmType(t string) bool { return t == TypeMetricAlarm || t == TypeCompositeAlarm }

// action maps terraform-json's action list to the model's single action.
func action(rc *ResourceChange) model.Action {
	a := rc.Change.Actions
	switch {
	case a.NoOp():
		return model.ActionNoop
	case a.Create():
		return model.ActionCreate
	case a.Update():
		return model.ActionUpdate
	case a.Delete():
		return model.ActionDelete
	case a.Replace():
		return model.ActionReplace
	case a.Read():
		return model.ActionRead
	}
	return model.ActionNoop
}

// alarmFromChange maps the planned value of an alarm resource: the after
// value, or the before value when the plan deletes it. Updates keep the before
// value as Prior.
// redact names the top-level attributes any sensitivity mark of the plan
// covers (markedKeys).
func alarmFromChange(rc *ResourceChange, redact []string) (*model.Alarm, error) {
	act := action(rc)
	if act == model.ActionDelete {
		before, err := rc.side(true)
		if err != nil {
			return nil, err
		}
		return decodeAlarm(rc, act, before, redact, nil)
	}
	after, err := rc.side(false)
	if err != nil {
		return nil, err
	}
	a, err := decodeAlarm(rc, act, after, redact, rc.Change.AfterUnknown)
	if err != nil {
		return nil, err
	}
	if act == model.ActionUpdate || act == model.ActionReplace {
		before, err := rc.side(true)
		if err != nil {
			return nil, fmt.Errorf("before: %w", err)
		}
		if a.Prior, err = decodeAlarm(rc, act, before, redact, nil); err != nil {
			return nil, fmt.Errorf("before: %w", err)
		}
		if a.Secret != nil {
			a.Secret.Prior = a.Prior.Compared()
		}
	}
	return a, nil
}

// decodeAlarm finishes one side of an alarm's change, mapped from all its
// values. Sensitive top-level attributes (redact) never reach the alarm's
// ordinary fields (every check would be free to print them); they are
// known only after apply as far as most checks can tell, and kept in
// Secret, which only comparisons read.
func decodeAlarm(rc *ResourceChange, act model.Action, full *model.Alarm, redact []string, unknown jsontext.Value) (*model.Alarm, error) {
	full.Source, full.Address, full.Action = model.SourceTerraform, rc.Address, act
	a := full
	if len(redact) > 0 {
		public := *full
		for _, k := range redact {
			emptyAttribute(&public, k)
		}
		a = &public
		a.Sensitive, a.Secret = slices.Sorted(slices.Values(redact)), full
	}
	afterUnknown, err := topLevelKeys(unknown)
	if err != nil {
		return nil, fmt.Errorf("after_unknown: %w", err)
	}
	if a.Secret != nil {
		a.Secret.Unknown = slices.Clone(afterUnknown)
		if a.Secret.IsUnknown("threshold") {
			a.Secret.Threshold = model.Unknown
		}
	}
	a.Unknown = append(afterUnknown, redact...)
	sort.Strings(a.Unknown)
	a.Unknown = slices.Compact(a.Unknown)
	if a.IsUnknown("threshold") {
		a.Threshold = model.Unknown
	}
	return a, nil
}

// mapAttributes maps an alarm's typed attributes into a model alarm.
func mapAttributes(side any) (*model.Alarm, error) {
	a := &model.Alarm{}
	switch v := side.(type) {
	case *MetricAlarm:
		mapMetricAlarm(v, a)
	case *CompositeAlarm:
		a.Kind = model.KindComposite
		a.Name, a.AlarmRule, a.ARN, a.Tags = v.AlarmName, v.AlarmRule, v.ARN, model.Tags(v.Tags)
		a.ActionsEnabled = v.ActionsEnabled == nil || *v.ActionsEnabled
		a.AlarmActions, a.OKActions, a.InsufficientData = v.AlarmActions, v.OKActions, v.InsufficientDataActions
	default:
		return nil, fmt.Errorf("%T is not an alarm", side)
	}
	return a, nil
}

// emptyAttribute makes a mapped alarm what it would be had the named
// top-level attribute been null: what the model holds of a sensitive value
// is dropped. Attributes the model does not map change nothing. (A test
// holds this to the mappings of nulled attributes, attribute by attribute.)
func emptyAttribute(a *model.Alarm, name string) {
	switch name {
	case "alarm_name":
		a.Name = ""
	case "arn":
		a.ARN = ""
	case "tags":
		a.Tags = nil
	case "alarm_rule":
		a.AlarmRule = ""
	case "actions_enabled":
		a.ActionsEnabled = true // the provider's default
	case "alarm_actions":
		a.AlarmActions = nil
	case "ok_actions":
		a.OKActions = nil
	case "insufficient_data_actions":
		a.InsufficientData = nil
	case "comparison_operator":
		a.Operator = ""
	case "threshold":
		a.Threshold = model.Number{}
	case "period":
		a.Period = 0
	case "evaluation_periods":
		a.EvaluationPeriods = 0
	case "datapoints_to_alarm":
		a.DatapointsToAlarm = 0
	case "statistic":
		a.Statistic = ""
	case "extended_statistic":
		a.ExtendedStatistic = ""
	case "namespace":
		a.Namespace = ""
	case "metric_name":
		a.MetricName = ""
	case "dimensions":
		a.Dimensions = nil
	case "treat_missing_data":
		a.TreatMissingData = ""
	case "metric_query":
		a.Metrics = nil
		if a.Kind == model.KindMetricMath {
			a.Kind = model.KindMetric
		}
	}
}

func mapMetricAlarm(m *MetricAlarm, a *model.Alarm) {
	a.Name, a.ARN, a.Tags = m.AlarmName, m.ARN, model.Tags(m.Tags)
	a.Kind = model.KindMetric
	if len(m.MetricQuery) > 0 {
		a.Kind = model.KindMetricMath
	}
	if m.Threshold != nil {
		a.Threshold = model.Known(*m.Threshold)
	}
	a.Operator = m.ComparisonOperator
	a.Period = intOf(m.Period)
	a.EvaluationPeriods = intOf(m.EvaluationPeriods)
	a.DatapointsToAlarm = intOf(m.DatapointsToAlarm)
	a.Statistic, a.ExtendedStatistic = m.Statistic, m.ExtendedStatistic
	a.Namespace, a.MetricName = m.Namespace, m.MetricName
	a.Dimensions = nonEmpty(m.Dimensions)
	a.TreatMissingData = m.TreatMissingData
	a.ActionsEnabled = m.ActionsEnabled == nil || *m.ActionsEnabled
	a.AlarmActions, a.OKActions, a.InsufficientData = m.AlarmActions, m.OKActions, m.InsufficientDataActions
	if len(m.MetricQuery) > 0 {
		a.Metrics = make([]model.MetricQuery, 0, len(m.MetricQuery))
	}
	for _, q := range m.MetricQuery {
		mq := model.MetricQuery{ID: q.ID, Expression: q.Expression, Label: q.Label,
			ReturnData: q.ReturnData != nil && *q.ReturnData, Period: intOf(q.Period)}
		if len(q.Metric) > 0 {
			s := q.Metric[0]
			mq.Namespace, mq.MetricName, mq.Stat = s.Namespace, s.MetricName, s.Stat
			mq.Dimensions = nonEmpty(s.Dimensions)
			if mq.Period == 0 {
				mq.Period = intOf(s.Period)
			}
		}
		a.Metrics = append(a.Metrics, mq)
	}
}

func intOf(f *float64) int {
	if f == nil {
		return 0
	}
	return int(*f)
}

// nonEmpty is the model's form of dimensions: nil when there are none.
func nonEmpty(d dimensionAttr) []model.Dimension {
	if len(d) == 0 {
		return nil
	}
	return d
}

// topLevelKeys lists the keys of a JSON object whose value is not false/empty,
// e.g. {"arn": true, "tags_all": {}} gives [arn].
func topLevelKeys(raw jsontext.Value) ([]string, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, nil
	}
	var m map[string]jsontext.Value
	if err := jsonv2.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	var keys []string
	for k, v := range m {
		if hasTrue(v) {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// hasTrue reports whether a sensitivity or unknown marker tree holds true.
func hasTrue(raw jsontext.Value) bool {
	switch s := string(raw); {
	case s == "true":
		return true
	case s == "false" || s == "{}" || s == "[]" || s == "null" || s == "":
		return false
	}
	var v any
	if jsonv2.Unmarshal(raw, &v) != nil {
		return false
	}
	return marked(v)
}

// redactTopLevel nulls every top-level attribute that holds a sensitive value,
// so it never reaches the model, and returns their names.
func redactTopLevel(raw, sensitive jsontext.Value) (jsontext.Value, []string, error) {
	keys, err := topLevelKeys(sensitive)
	if err != nil || len(keys) == 0 {
		return raw, nil, err
	}
	var m map[string]jsontext.Value
	if err := jsonv2.Unmarshal(raw, &m); err != nil {
		return nil, nil, err
	}
	for _, k := range keys {
		m[k] = jsontext.Value("null")
	}
	out, err := json.Marshal(m)
	return out, keys, err
}
