package cloudformation

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/internal/corpus"
	"github.com/driftgate/driftgate/model"
)

// Every template in the corpus loads, and its alarms map. The widdix alarms
// sit behind Condition: HasAlertTopic, false with the default (empty)
// ParentAlertStack and true once a parameters file names one.
func TestCorpusTemplatesLoad(t *testing.T) {
	alarms := map[string][2]int{
		"cdk-composite-alarm.template.json": {6, 6}, "cdk-math-alarm.template.json": {1, 1}, "localstack-composite-alarm.yaml": {3, 3},
		"widdix-vpc-nat-gateway.yaml": {0, 4}, "widdix-ecs-cluster.yaml": {2, 17},
	}
	for _, f := range corpus.Files(t, "cloudformation") {
		base := filepath.Base(f)
		t.Run(base, func(t *testing.T) {
			tmpl, err := ParseFile(f, base)
			if err != nil {
				t.Fatal(err)
			}
			got := tmpl.Alarms(Options{Env: Env{Pseudo: map[string]string{"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}}})
			withStack := tmpl.Alarms(Options{Env: Env{Parameters: map[string]string{"ParentAlertStack": "alerts"}}})
			if slos, err := tmpl.ServiceSLOs(Options{}); err != nil || len(slos) != 0 {
				t.Errorf("Application Signals SLOs: %v %v", slos, err)
			}
			if want, ok := alarms[base]; !ok || len(got) != want[0] || len(withStack) != want[1] {
				t.Errorf("%d and %d alarms, want %v", len(got), len(withStack), want)
			}
			for _, a := range got {
				if a.Location.Line == 0 || !strings.HasPrefix(a.Address, strings.TrimSuffix(base, filepath.Ext(base))+"/") {
					t.Errorf("alarm %s lacks a line or address: %+v", a.Address, a.Location)
				}
			}
		})
	}
}

func TestCDKCompositeRuleResolvesThroughJoinAndGetAtt(t *testing.T) {
	tmpl, err := ParseFile(filepath.Join(corpus.Dir(t), "cloudformation", "cdk-composite-alarm.template.json"), "cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var composite *model.Alarm
	for _, a := range tmpl.Alarms(Options{}) {
		if a.Kind == model.KindComposite {
			composite = a
		}
	}
	if composite == nil {
		t.Fatal("no composite alarm")
	}
	// CDK names the composite but not its children, so the rule's ARNs are unknown, and so is the rule.
	if !composite.IsUnknown("alarm_rule") || composite.Name != "CompositeAlarmIntegrationTestCompositeAlarm742D2FBA" || composite.AlarmRule != "" {
		t.Errorf("unknown must stay unknown: %+v", composite)
	}
}

const sample = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Tenant: {Type: String, Default: "7c3f2e"}
  PageThreshold: {Type: String, Default: "4.8"}
  Topic: {Type: String}
  Env: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
Mappings:
  Windows: {page-fast: {short: 300, long: 3600}}
Resources:
  PageFast5m:
    Properties:
      AlarmName: !Sub "slo-${Tenant}-availability-page-fast-5m"
      Threshold: !Ref PageThreshold
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: "1"
      TreatMissingData: notBreaching
      AlarmActions: [!Ref Topic]
      Metrics:
        - Id: errors
          ReturnData: false
          MetricStat:
            Metric: {Namespace: Acme, MetricName: Errors, Dimensions: [{Name: TenantId, Value: !Ref Tenant}]}
            Period: !FindInMap [Windows, page-fast, short]
            Stat: Sum
        - Id: rate
          Expression: 100 * errors / requests
          ReturnData: true
    Type: AWS::CloudWatch::Alarm
  PageFast1h:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: !Join ["-", [slo, !Ref Tenant, availability, page-fast, 1h]]
      Threshold: 4.8
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 1
      Period: 3600
      Namespace: Acme
      MetricName: ErrorRate
      Statistic: Sum
  PageFast:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties:
      AlarmName: !Sub "slo-${Tenant}-availability-page-fast"
      AlarmRule: !Sub "ALARM(${PageFast1h}) AND ALARM(${PageFast5m.Arn})"
      AlarmActions: [!If [IsProd, "arn:aws:sns:us-east-1:123456789012:page", !Ref AWS::NoValue]]
  DevOnly:
    Type: AWS::CloudWatch::Alarm
    Condition: IsDev
    Properties: {AlarmName: dev-only, Threshold: 1}
`

func TestIntrinsicsAndUnknowns(t *testing.T) {
	tmpl, err := Parse("t.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	alarms := tmpl.Alarms(Options{Stack: "checkout-alarms", Env: Env{Pseudo: map[string]string{"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}}})
	if len(alarms) != 3 {
		t.Fatalf("%d alarms: the false condition must drop DevOnly", len(alarms))
	}
	composite, fast1h, fast5m := alarms[0], alarms[1], alarms[2] // sorted by address
	if fast5m.Name != "slo-7c3f2e-availability-page-fast-5m" || fast5m.Threshold != model.Known(4.8) || fast5m.EvaluationPeriods != 1 ||
		fast5m.Metrics[0].Period != 300 || fast5m.Metrics[0].Dimensions[0].Value != "7c3f2e" || fast5m.Kind != model.KindMetricMath {
		t.Errorf("5m alarm: %+v", fast5m)
	}
	if !fast5m.IsUnknown("alarm_actions") || len(fast5m.AlarmActions) != 1 {
		t.Errorf("a parameter without a value is unknown, but the action still counts: %+v", fast5m)
	}
	if fast1h.Name != "slo-7c3f2e-availability-page-fast-1h" || fast1h.Period != 3600 || fast5m.Address != "checkout-alarms/PageFast5m" || fast5m.Location.Line != 13 {
		t.Errorf("1h alarm or addresses: %+v %+v", fast1h, fast5m.Location)
	}
	want := "ALARM(slo-7c3f2e-availability-page-fast-1h) AND ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:slo-7c3f2e-availability-page-fast-5m)"
	if composite.AlarmRule != want || len(composite.AlarmActions) != 1 || len(composite.Unknown) != 0 {
		t.Errorf("composite: %q %v unknown %v", composite.AlarmRule, composite.AlarmActions, composite.Unknown)
	}
	// A parameters file decides what defaults do not.
	alarms = tmpl.Alarms(Options{Env: Env{Parameters: map[string]string{"Topic": "arn:aws:sns:us-east-1:1:t", "Env": "dev", "PageThreshold": "5.2"}}})
	byID := map[string]*model.Alarm{}
	for _, a := range alarms {
		byID[a.Address] = a
	}
	if len(alarms) != 4 || byID["t/PageFast5m"].IsUnknown("alarm_actions") || byID["t/PageFast5m"].Threshold != model.Known(5.2) || len(byID["t/PageFast"].AlarmActions) != 0 {
		t.Errorf("with parameters: %d alarms, %+v", len(alarms), byID["t/PageFast5m"])
	}
}

// The same template in JSON and in YAML gives an identical model.
func TestJSONAndYAMLGiveTheSameModel(t *testing.T) {
	y, err := Parse("t.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(toPlain(y.Root))
	if err != nil {
		t.Fatal(err)
	}
	j, err := Parse("t.yaml", js)
	if err != nil {
		t.Fatal(err)
	}
	strip := func(as []*model.Alarm) string {
		for _, a := range as {
			a.Location = model.Location{}
		}
		b, _ := json.Marshal(as)
		return string(b)
	}
	if a, b := strip(y.Alarms(Options{})), strip(j.Alarms(Options{})); a != b {
		t.Errorf("YAML and JSON differ:\n%s\n%s", a, b)
	}
}

// toPlain turns a value tree back into plain JSON-able data (long-form intrinsics).
func toPlain(v *Value) any {
	switch v.Kind {
	case Map:
		m := map[string]any{}
		for _, k := range v.Keys {
			m[k] = toPlain(v.Members[k])
		}
		return m
	case List:
		l := []any{}
		for _, e := range v.List {
			l = append(l, toPlain(e))
		}
		return l
	case Number:
		return v.Num
	case Bool:
		return v.Bool
	case Null:
		return nil
	}
	return v.Str
}

func TestBadTemplatesAreInputErrorsWithLines(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"not a mapping", "- a\n", "t.yaml:1:1: a template is a mapping"},
		{"no resources", "Parameters: {}\n", "no Resources section"},
		{"resource without type", "Resources:\n  A:\n    Properties: {}\n", "t.yaml:3:15: resource A has no Type"},
		{"unknown condition", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Condition: Nope\n", "t.yaml:4:16: resource A uses condition \"Nope\""},
		{"unknown tag", "Resources:\n  A:\n    Type: !Bogus x\n", "unknown tag !Bogus"},
		{"syntax", "Resources: [\n", "t.yaml:"},
		{"empty", "", "template is empty"},
		{"duplicate key", "Resources:\n  A: {Type: X}\n  A: {Type: Y}\n", "t.yaml:3:3: mapping key \"A\" already defined"},
		{"a .json template with a trailing comma is not YAML's to forgive", "{\"Resources\": {\"A\": {\"Type\": \"X\"},}}",
			"t.json:1:35: invalid JSON"},
		{"a .json template in YAML", "Resources:\n  A: {Type: X}\n", "t.json:1:1: invalid JSON"},
		{"nested past any real template", "Resources: " + strings.Repeat("[", 100000), "t.yaml:1:268: nested more than 256 levels deep"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := "t.yaml"
			if strings.Contains(c.want, "t.json") {
				name = "t.json"
			}
			_, err := Parse(name, []byte(c.data))
			if err == nil || !input.IsInputError(err) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an input error containing %q", err, c.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`{"Resources":{"A":{"Type":"AWS::CloudWatch::Alarm","Properties":{"Threshold":"x","Metrics":[{}]}}}}`))
	f.Add([]byte("Resources:\n  A:\n    Type: AWS::CloudWatch::CompositeAlarm\n    Properties:\n      AlarmRule: !Sub [\"${X}\", {X: !Ref A}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tmpl, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !input.IsInputError(err) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		tmpl.Alarms(Options{})
		if _, err := tmpl.ServiceSLOs(Options{}); err != nil && !input.IsInputError(err) {
			t.Fatalf("not an input error: %v", err)
		}
	})
}
