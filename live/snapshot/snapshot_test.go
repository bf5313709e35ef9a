package snapshot

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

const good = `{
  "version": 1,
  "cloudwatch": [{
    "account": "123456789012", "region": "us-east-1", "complete": true,
    "MetricAlarms": [{
      "AlarmName": "slo-7c3f2e-availability-page-fast-5m", "AlarmArn": "arn:a",
      "Threshold": 5.2, "ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1,
      "Metrics": [
        {"Id": "errors", "MetricStat": {"Metric": {"Namespace": "Acme/Checkout", "MetricName": "Errors",
          "Dimensions": [{"Name": "TenantId", "Value": "7c3f2e"}]}, "Period": 300, "Stat": "Sum"}, "ReturnData": false},
        {"Id": "rate", "Expression": "100 * errors / requests", "ReturnData": true}
      ]
    }],
    "CompositeAlarms": [{"AlarmName": "c", "AlarmRule": "ALARM(\"a\")", "AlarmActions": ["arn:sns"], "ActionsEnabled": false}],
    "Tags": {"arn:a": [{"Key": "Tenant", "Value": "7c3f2e"}]}
  }]
}`

func TestDecodeAndMap(t *testing.T) {
	s, err := Decode("live.json", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	l := s.Model("live.json")
	if !l.Complete() || len(l.Alarms) != 2 {
		t.Fatalf("live: %+v", l)
	}
	m := l.Alarms[0]
	if m.Kind != model.KindMetricMath || m.Threshold != model.Known(5.2) || m.Tags.Get("Tenant") != "7c3f2e" ||
		len(m.Metrics) != 2 || m.Metrics[0].Period != 300 || m.Metrics[0].Dimensions[0].Value != "7c3f2e" || !m.Metrics[1].ReturnData {
		t.Errorf("metric alarm mapped badly: %+v", m)
	}
	c := l.Alarms[1]
	if c.Kind != model.KindComposite || c.ActionsEnabled || c.AlarmRule != `ALARM("a")` {
		t.Errorf("composite mapped badly: %+v", c)
	}
}

func TestDecodeRejectsBadSnapshots(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"empty", "", "live.json: live snapshot is empty"},
		{"truncated", `{"version": 1, "cloudwatch": [`, "live.json:1:"},
		{"unknown field with position", "{\n  \"version\": 1,\n  \"cloudwatch\": [{\"region\": \"x\", \"complete\": true, \"Alarms\": []}]\n}", `live.json:3:52: unknown field "Alarms" (at cloudwatch[0])`},
		{"wrong type", `{"version": 1, "cloudwatch": [{"region": "x", "complete": true, "MetricAlarms": [{"AlarmName": "a", "Threshold": "high"}]}]}`, "live.json:1:114: expected float64, found JSON string (at cloudwatch[0].MetricAlarms[0].Threshold)"},
		{"future version", `{"version": 2, "cloudwatch": []}`, "unsupported snapshot version 2"},
		{"incomplete without a reason, and a nameless alarm", `{"version": 1, "cloudwatch": [{"region": "x", "complete": false, "MetricAlarms": [{}]}]}`,
			"an incomplete reading must say why"},
		{"a registry without its table", `{"version": 1, "slo_registry": [{"region": "us-east-1", "complete": true, "items": []}]}`, "table is required (at slo_registry[0].table)"},
		{"a registry item of a type DynamoDB has not", `{"version": 1, "slo_registry": [{"table": "T", "region": "r", "complete": true, "items": [{"objective": {"D": "1"}}]}]}`,
			`unknown field "D"`},
		{"an alert rule without its key", `{"version": 1, "alert_rules": [{"source": "db", "table": "alert_rules", "complete": true, "rules": [{"tenant_id": "t"}]}]}`,
			"rule_id and tenant_id are required (at alert_rules[0].rules[0])"},
		{"an Application Signals SLO with a goal of 100", `{"version": 1, "application_signals": [{"region": "r", "complete": true, "slos": [{"Name": "s", "Goal": {"AttainmentGoal": 100}}]}]}`,
			"SLO s: Goal.AttainmentGoal 100 is not a percentage between 0 and 100 (at application_signals[0].slos[0])"},
		{"an Application Signals interval in weeks", `{"version": 1, "application_signals": [{"region": "r", "complete": true, "slos": [{"Name": "s", "Goal": {"AttainmentGoal": 99, "Interval": {"RollingInterval": {"Duration": 1, "DurationUnit": "WEEK"}}}}]}]}`,
			`SLO s: interval 1 "WEEK"`},
		{"trailing data", `{"version": 1, "cloudwatch": []} {}`, "invalid character '{' after top-level value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode("live.json", []byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) || !input.IsInputError(err) {
				t.Fatalf("got %v, want an input error containing %q", err, c.want)
			}
		})
	}
}

func TestEveryProblemIsListed(t *testing.T) {
	_, err := Decode("live.json", []byte(`{"version": 1, "cloudwatch": [{"complete": false, "MetricAlarms": [{}], "CompositeAlarms": [{}]}]}`))
	for _, want := range []string{"region is required", "must say why", "MetricAlarms[0].AlarmName", "CompositeAlarms[0].AlarmName"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestIncompleteRegionMakesLiveIncomplete(t *testing.T) {
	s, err := Decode("live.json", []byte(`{"version": 1, "cloudwatch": [{"region": "eu-west-1", "complete": false, "error": "AccessDenied"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Model("live.json").Complete() {
		t.Error("an incomplete region must make live state incomplete")
	}
}

// CloudFormation's /Properties/Threshold and a bare /Threshold are the same
// property, so a paging threshold's drift is judged the same either way.
func TestPropertyPathsWithAndWithoutProperties(t *testing.T) {
	for _, p := range []string{"/Properties/Threshold", "/Threshold", "Threshold"} {
		d, ok := stackDrift("s", StackResourceDrift{LogicalResourceId: "A", ResourceType: "AWS::CloudWatch::Alarm", StackResourceDriftStatus: "MODIFIED",
			PropertyDifferences: []PropertyDifference{{PropertyPath: p, ExpectedValue: "4.8", ActualValue: "5.2", DifferenceType: "NOT_EQUAL"}}})
		if !ok || len(d.Changes) != 1 || d.Changes[0].Path != "Threshold" {
			t.Errorf("%s: %+v", p, d.Changes)
		}
	}
	d, _ := stackDrift("s", StackResourceDrift{LogicalResourceId: "A", StackResourceDriftStatus: "MODIFIED",
		PropertyDifferences: []PropertyDifference{{PropertyPath: "/Properties/AlarmActions/0", DifferenceType: "NOT_EQUAL"}}})
	if d.Changes[0].Path != "AlarmActions.0" {
		t.Errorf("nested path: %q", d.Changes[0].Path)
	}
}

// TakeModel maps what Model maps, and leaves the snapshot without the
// alarms and series it handed over (the run keeps the snapshot for its SQL
// and registry sources, not twice its alarms).
func TestTakeModelHandsOverAlarmsAndSeries(t *testing.T) {
	file := filepath.Join("..", "..", "fixtures", "demo", "live.json")
	kept, err := Load(file, "live.json")
	if err != nil {
		t.Fatal(err)
	}
	taken, err := Load(file, "live.json")
	if err != nil {
		t.Fatal(err)
	}
	want, got := kept.Model("live.json"), taken.TakeModel("live.json")
	if len(want.Alarms) == 0 || want.Evidence == nil || len(want.Evidence.Series) == 0 {
		t.Fatalf("the demo snapshot should hold alarms and series: %d alarms", len(want.Alarms))
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("TakeModel maps differently from Model")
	}
	for _, r := range taken.CloudWatch {
		if len(r.MetricAlarms)+len(r.CompositeAlarms)+len(r.Tags) != 0 {
			t.Errorf("%s/%s still holds %d alarms after TakeModel", r.Account, r.Region, len(r.MetricAlarms)+len(r.CompositeAlarms))
		}
	}
	for _, r := range taken.Evidence {
		if len(r.Series) != 0 {
			t.Errorf("%s/%s still holds %d series after TakeModel", r.Account, r.Region, len(r.Series))
		}
	}
	if len(kept.CloudWatch[0].MetricAlarms) == 0 {
		t.Error("Model released the snapshot's alarms")
	}
}
