package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func withDrift(d model.ResourceDrift) func(w *model.World, s *Settings) {
	return func(w *model.World, s *Settings) {
		if d.Location.File == "" {
			d.Location = model.Location{File: "main.tf", Line: 3}
		}
		w.Drifts = append(w.Drifts, d)
	}
}

func TestTerraformDrift(t *testing.T) {
	alarm := func(changes ...model.AttributeChange) model.ResourceDrift {
		return model.ResourceDrift{Address: "aws_cloudwatch_metric_alarm.a0", Type: "aws_cloudwatch_metric_alarm",
			Changes: changes, Current: map[string]string{"evaluation_periods": "3"}}
	}
	runCases(t, TerraformDrift, []checkCase{
		{name: "no drift entries: nothing"},
		{name: "alarm threshold drift is an error",
			mutate: withDrift(alarm(model.AttributeChange{Path: "threshold", Before: "4.8", After: "5.2"})),
			want:   []string{"aws_cloudwatch_metric_alarm.a0 changed outside Terraform: threshold 4.8 -> 5.2"}, severity: []Severity{SeverityError}},
		{name: "a relevant attribute is named in the message",
			mutate: withDrift(alarm(model.AttributeChange{Path: "alarm_description", Before: "a", After: "b", Relevant: true})),
			want:   []string{`alarm_description "a" -> "b" (the plan depends on alarm_description)`}, severity: []Severity{SeverityError}},
		{name: "description drift on an alarm is a warning",
			mutate: withDrift(alarm(model.AttributeChange{Path: "alarm_description", Before: "a", After: "b"})),
			want:   []string{"alarm_description"}, severity: []Severity{SeverityWarning}},
		{name: "tags_all only: provider default tags are noise",
			mutate: withDrift(alarm(model.AttributeChange{Path: "tags_all.CostCenter", Before: "(absent)", After: "sre"}))},
		{name: "datapoints_to_alarm filled in by the console with evaluation_periods: noise",
			mutate: withDrift(alarm(model.AttributeChange{Path: "datapoints_to_alarm", Before: "0", After: "3"}))},
		{name: "datapoints_to_alarm set to another value: real drift",
			mutate: withDrift(alarm(model.AttributeChange{Path: "datapoints_to_alarm", Before: "0", After: "2"})),
			want:   []string{"datapoints_to_alarm 0 -> 2"}},
		{name: "IAM policy with statements reordered: noise",
			mutate: withDrift(model.ResourceDrift{Address: "aws_iam_policy.p", Type: "aws_iam_policy", Changes: []model.AttributeChange{{Path: "policy",
				Before: `{"Statement":[{"Action":"s3:GetObject","Effect":"Allow"},{"Action":["sns:Publish"],"Effect":"Allow"}]}`,
				After:  `{"Statement":[{"Action":"sns:Publish","Effect":"Allow"},{"Effect":"Allow","Action":["s3:GetObject"]}]}`}}})},
		{name: "IAM policy with a new action: real drift, a warning on a non-alarm",
			mutate: withDrift(model.ResourceDrift{Address: "aws_iam_policy.p", Type: "aws_iam_policy", Changes: []model.AttributeChange{{Path: "policy",
				Before: `{"Statement":[{"Action":"s3:GetObject","Effect":"Allow"}]}`,
				After:  `{"Statement":[{"Action":"s3:*","Effect":"Allow"}]}`}}}),
			want: []string{"aws_iam_policy.p changed outside Terraform: policy"}, severity: []Severity{SeverityWarning}},
		{name: "an alarm deleted outside Terraform is an error",
			mutate: withDrift(model.ResourceDrift{Address: "aws_cloudwatch_metric_alarm.a0", Type: "aws_cloudwatch_metric_alarm", Deleted: true}),
			want:   []string{"aws_cloudwatch_metric_alarm.a0 was deleted outside Terraform"}, severity: []Severity{SeverityError}},
		{name: "sensitive values stay redacted in the message",
			mutate: withDrift(model.ResourceDrift{Address: "aws_ssm_parameter.k", Type: "aws_ssm_parameter",
				Changes: []model.AttributeChange{{Path: "value", Before: "(sensitive)", After: "(sensitive)"}}}),
			want: []string{"value (sensitive) -> (sensitive)"}},
		{name: "ignore rule by attribute wildcard",
			mutate: func(w *model.World, s *Settings) {
				withDrift(alarm(model.AttributeChange{Path: "tags.Owner", Before: "a", After: "b"}))(w, s)
				s.Ignore = []IgnoreRule{{Address: "aws_cloudwatch_metric_alarm.*", Attribute: "tags.*"}}
			}},
	})
}

func TestSameJSONDocument(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{`{"a":[1,2]}`, `{"a":[2,1]}`, true},
		{`{"a":"x"}`, `{"a":["x"]}`, true},
		{`{"a":[1,2]}`, `{"a":[1,3]}`, false},
		{`not json`, `not json either`, false},
		{`{"a":1}`, `{"a":1,"b":2}`, false},
	}
	for _, c := range cases {
		if got := sameJSONDocument(c.a, c.b); got != c.same {
			t.Errorf("sameJSONDocument(%s, %s) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}
