package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const baseTemplate = `Resources:
  Fast5m:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: fast-5m
      Threshold: 4.8
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 1
      Period: 300
      Namespace: Acme
      MetricName: ErrorRate
      Statistic: Sum
  Slow6h:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: slow-6h
      Threshold: 2
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 1
      Period: 21600
      Namespace: Acme
      MetricName: ErrorRate
      Statistic: Sum
`

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// Template findings say whether the change under review made them: the
// template as it is on the base branch is read with git.
func TestTemplateFindingsSayWhatThisChangeDid(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	git(t, dir, "init", "-q", "-b", "main")
	os.WriteFile("alarms.yaml", []byte(baseTemplate), 0o644)
	git(t, dir, "add", "alarms.yaml")
	git(t, dir, "commit", "-q", "-m", "base")
	// The change: Fast5m's threshold moves, a new alarm appears, Slow6h stays.
	changed := strings.Replace(baseTemplate, "Threshold: 4.8", "Threshold: 5.2", 1) + `  New1h:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: new-1h
      Threshold: 1
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 1
      Period: 3600
      Namespace: Acme
      MetricName: ErrorRate
      Statistic: Sum
`
	os.WriteFile("alarms.yaml", []byte(changed), 0o644)
	// Live state has the base versions of the two old alarms; the new one does not exist yet.
	live := `{"version":1,"cloudwatch":[{"account":"1","region":"us-east-1","complete":true,"MetricAlarms":[
	 {"AlarmName":"fast-5m","Threshold":4.8,"ComparisonOperator":"GreaterThanThreshold","EvaluationPeriods":1,"Period":300,"Namespace":"Acme","MetricName":"ErrorRate","Statistic":"Sum"},
	 {"AlarmName":"slow-6h","Threshold":3,"ComparisonOperator":"GreaterThanThreshold","EvaluationPeriods":1,"Period":21600,"Namespace":"Acme","MetricName":"ErrorRate","Statistic":"Sum"}],
	 "CompositeAlarms":[]}]}`
	os.WriteFile(filepath.Join(dir, "live.json"), []byte(live), 0o644)

	r := driftgate("check", "--cfn", "alarms.yaml", "--base-ref", "main", "--live", "live.json")
	if r.code != 1 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Fast5m: the change moves it from 4.8 to 5.2 and live still has 4.8: that is the change, not drift.
	if strings.Contains(r.stdout, "fast-5m") {
		t.Errorf("a threshold this change sets is not drift:\n%s", r.stdout)
	}
	// Slow6h: edited live, untouched by the change.
	if !strings.Contains(r.stdout, "alarm slow-6h: live threshold 3 differs from declared 2 (drift 50.00%, tolerance 0.00%) (already there before this change)") {
		t.Errorf("pre-existing drift must say so:\n%s", r.stdout)
	}
	// New1h: being created, so not missing.
	if strings.Contains(r.stdout, "new-1h is declared") {
		t.Errorf("an alarm this change adds is not missing:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "at alarms.yaml:13") {
		t.Errorf("findings point at the template's resource line:\n%s", r.stdout)
	}
}

func TestBadTemplateExitsTwoWithItsLine(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "bad.yaml")
	os.WriteFile(f, []byte("Resources:\n  A:\n    Properties: {}\n"), 0o644)
	r := driftgate("check", "--cfn", f)
	if r.code != 2 || !strings.Contains(r.stderr, "bad.yaml:3:") || !strings.Contains(r.stderr, "resource A has no Type") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}
