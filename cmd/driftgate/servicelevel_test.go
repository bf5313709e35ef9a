package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sloStack = `Resources:
  CheckoutSLO:
    Type: AWS::ApplicationSignals::ServiceLevelObjective
    Properties:
      Name: checkout-availability
      Goal: {AttainmentGoal: 90}
      BurnRateConfigurations:
        - LookBackWindowMinutes: 60
  BurnPage:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: checkout-burn-page-1h
      Namespace: AWS/ApplicationSignals
      MetricName: BurnRate
      Dimensions:
        - {Name: SloName, Value: checkout-availability}
        - {Name: BurnRateWindowMinutes, Value: "60"}
      Statistic: Average
      Period: 60
      EvaluationPeriods: 1
      Threshold: 14.4
      ComparisonOperator: GreaterThanThreshold
`

// A template's Application Signals SLO judges the template's alarm on its
// burn rate offline (a fork's pull request can), at the alarm's line; a
// wrong SLO is bad input at its own line.
func TestTemplateServiceSLOJudgesItsBurnRateAlarm(t *testing.T) {
	// Inside the repository, so that findings keep their template line.
	dir, err := os.MkdirTemp("testdata", "service-slo-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	tmpl := filepath.Join(dir, "checkout.yaml")
	os.WriteFile(tmpl, []byte(sloStack), 0o644)
	cfg := filepath.Join(dir, "c.yml")
	os.WriteFile(cfg, []byte("version: 1\n"), 0o644)
	r := driftgate("check", "--config", cfg, "--cfn", tmpl)
	if r.code != 1 || !strings.Contains(r.stdout, "service-slo-burn-rate") ||
		!strings.Contains(r.stdout, "its threshold 14.4 can never be crossed, the burn rate is at most 1/(1 - 90%) = 10") ||
		!strings.Contains(r.stdout, "checkout.yaml:9") {
		t.Errorf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	os.WriteFile(tmpl, []byte(strings.Replace(sloStack, "AttainmentGoal: 90", "AttainmentGoal: 100", 1)), 0o644)
	r = driftgate("check", "--config", cfg, "--cfn", tmpl)
	if r.code != 2 || !strings.Contains(r.stderr, "checkout.yaml:6:") || !strings.Contains(r.stderr, "AttainmentGoal must be a percentage between 0 and 100") {
		t.Errorf("a goal of 100: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}
