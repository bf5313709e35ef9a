package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestCloudFormationDrift(t *testing.T) {
	withStackDrift := func(d model.ResourceDrift) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			d.Source = model.SourceCloudFormation
			w.Live.Drifts = append(w.Live.Drifts, d)
		}
	}
	alarm := "AWS::CloudWatch::Alarm"
	runCases(t, CloudFormationDrift, []checkCase{
		{name: "no stack drift: nothing"},
		{name: "a threshold raised in the console",
			mutate: withStackDrift(model.ResourceDrift{Address: "checkout-alarms/PageFast5m", Type: alarm,
				Changes: []model.AttributeChange{{Path: "Threshold", Before: "4.8", After: "5.2"}}}),
			want: []string{"checkout-alarms/PageFast5m changed outside CloudFormation: Threshold 4.8 -> 5.2"}, severity: []Severity{SeverityError}},
		{name: "a description edited: a warning",
			mutate: withStackDrift(model.ResourceDrift{Address: "checkout-alarms/PageFast5m", Type: alarm,
				Changes: []model.AttributeChange{{Path: "AlarmDescription", Before: "a", After: "b"}}}),
			want: []string{`AlarmDescription "a" -> "b"`}, severity: []Severity{SeverityWarning}},
		{name: "a topic deleted by hand",
			mutate: withStackDrift(model.ResourceDrift{Address: "checkout-alarms/PageTopic", Type: "AWS::SNS::Topic", Deleted: true}),
			want:   []string{"checkout-alarms/PageTopic was deleted outside CloudFormation"}, severity: []Severity{SeverityError}},
		{name: "a queue deleted by hand: a warning",
			mutate: withStackDrift(model.ResourceDrift{Address: "checkout-alarms/Queue", Type: "AWS::SQS::Queue", Deleted: true}),
			want:   []string{"checkout-alarms/Queue was deleted outside CloudFormation"}, severity: []Severity{SeverityWarning}},
		{name: "a policy reordered: not drift",
			mutate: withStackDrift(model.ResourceDrift{Address: "s/Policy", Type: "AWS::IAM::Policy",
				Changes: []model.AttributeChange{{Path: "PolicyDocument", Before: `{"Statement":[{"Action":["a","b"]}]}`, After: `{"Statement":[{"Action":["b","a"]}]}`}}})},
		{name: "no live state: nothing",
			mutate: func(w *model.World, s *Settings) { w.Live = nil }},
	})
}
