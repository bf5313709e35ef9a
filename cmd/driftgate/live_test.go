package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/internal/sandbox"
	"github.com/driftgate/driftgate/live/snapshot"
)

// startDemoSandbox serves the demo's live state and points the standard AWS
// settings at it.
func startDemoSandbox(t *testing.T) *sandbox.Server {
	t.Helper()
	s, err := snapshot.Load("fixtures/demo/live.json", "live.json")
	if err != nil {
		t.Fatal(err)
	}
	return startSandboxOf(t, s)
}

// startSandboxOf serves a snapshot's AWS and PagerDuty state and points the
// standard settings at it.
func startSandboxOf(t *testing.T, s *snapshot.Snapshot) *sandbox.Server {
	t.Helper()
	sb := sandbox.Start(s)
	t.Cleanup(sb.Close)
	pd := sandbox.StartPagerDuty(s.PagerDuty)
	t.Cleanup(pd.Close)
	t.Setenv("PAGERDUTY_API_URL", pd.URL)
	t.Setenv("PAGERDUTY_TOKEN", pd.Token)
	dir := t.TempDir()
	for k, v := range map[string]string{"AWS_ENDPOINT_URL": sb.URL, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIASANDBOX",
		"AWS_SECRET_ACCESS_KEY": "sandbox", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none")} {
		t.Setenv(k, v)
	}
	return sb
}

func findingMessages(t *testing.T, report string) []string {
	t.Helper()
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	return findingsOf(t, string(data))
}

// findingsOf lists a JSON report's findings by fingerprint and message, sorted.
func findingsOf(t *testing.T, data string) []string {
	t.Helper()
	var doc struct {
		Findings []struct{ Message, Fingerprint string }
	}
	if err := json.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range doc.Findings {
		out = append(out, f.Fingerprint+" "+f.Message)
	}
	slices.Sort(out)
	return out
}

// Reading the demo's live state from the sandbox through the SDK gives the
// same findings as replaying the snapshot.
func TestLiveAWSMatchesTheSnapshotDemo(t *testing.T) {
	repoRoot(t)
	sb := startDemoSandbox(t)
	dir := t.TempDir()
	snap, live := filepath.Join(dir, "snap.json"), filepath.Join(dir, "live.json")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--json", snap)
	r := driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--live", "aws", "--sweep", "--until", demoUntil, "--json", live)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	a, b := findingMessages(t, snap), findingMessages(t, live)
	if !slices.Equal(a, b) {
		t.Errorf("live findings differ from the snapshot's:\nsnapshot %d, live %d", len(a), len(b))
	}

	n := demoLiveAlarms(t)
	if calls := sb.Calls(); calls["DescribeAlarms"] != (n+99)/100 || calls["GetCallerIdentity"] != 1 {
		t.Errorf("calls %v: a sweep of %d alarms is %d page(s) of 100", calls, n, (n+99)/100)
	}

	// Without a PagerDuty token the routing checks compare nothing, and the report says so.
	t.Setenv("PAGERDUTY_TOKEN", "")
	noPD := filepath.Join(dir, "no-pd.json")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--live", "aws", "--sweep", "--until", demoUntil, "--json", noPD)
	if !slices.Equal(slices.DeleteFunc(findingMessages(t, snap), fromPagerDuty), findingMessages(t, noPD)) {
		t.Error("without PagerDuty, the other findings must stay the same")
	}
	if data, _ := os.ReadFile(noPD); !strings.Contains(string(data), `"why": "no PagerDuty token (PAGERDUTY_TOKEN or the pagerduty-token input)"`) {
		t.Error("what was not read must be said in the report")
	}
}

func TestLiveAWSPRModeSaysUnmanagedWasSkipped(t *testing.T) {
	repoRoot(t)
	sb := startDemoSandbox(t)
	r := driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--live", "aws")
	if !strings.Contains(r.stdout, "not judged: unmanaged-alarm: every live CloudWatch alarm (sweep) not read: PR mode reads only the alarms the plans declare") {
		t.Errorf("PR mode must say what it skipped:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "unmanaged-alarm   alarm") {
		t.Error("PR mode cannot see undeclared alarms and must not pretend to")
	}
	if calls := sb.Calls()["DescribeAlarms"]; calls != 2 {
		t.Errorf("%d DescribeAlarms calls for the demo's 102 declared names, want 2 (100 names a call)", calls)
	}
}

func TestUnreadableLiveAWSIsInconclusive(t *testing.T) {
	repoRoot(t)
	sb := startDemoSandbox(t)
	sb.Faults.FailRegions = map[string]bool{"us-east-1": true}
	out := filepath.Join(t.TempDir(), "r.json")
	r := driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--live", "aws", "--fail-on", "never", "--json", out)
	if r.code != 3 || !strings.Contains(r.stdout, "INCONCLUSIVE") || !strings.Contains(r.stdout, "could not be read completely") {
		t.Fatalf("exit %d:\n%s", r.code, r.stdout)
	}
	data, _ := os.ReadFile(out)
	if !strings.Contains(string(data), `"check": "incomplete-input"`) {
		t.Error("the report must carry a finding naming the failed source")
	}
}

func TestSnapshotCommandRecordsLiveState(t *testing.T) {
	repoRoot(t)
	startDemoSandbox(t)
	out := filepath.Join(t.TempDir(), "snap.json")
	r := driftgate("snapshot", "--config", "fixtures/demo/.driftgate.yml", "--until", demoUntil, "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("%d alarms in 1 region(s)", demoLiveAlarms(t))) {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	s, err := snapshot.Load(out, out)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.CloudWatch[0]; c.Account != "123456789012" || !c.Complete || s.CapturedAt == nil {
		t.Errorf("snapshot lacks account, completeness or time: %+v", c)
	}
	// The recorded snapshot replays to the same findings.
	a, b := filepath.Join(t.TempDir(), "a.json"), filepath.Join(t.TempDir(), "b.json")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--json", a)
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--live", out, "--json", b)
	if !slices.Equal(findingMessages(t, a), findingMessages(t, b)) {
		t.Error("a recorded snapshot does not replay to the same findings")
	}
	if r := driftgate("snapshot"); r.code != 2 {
		t.Errorf("snapshot without --out: exit %d", r.code)
	}
}

// snapshot --plan reads only the plan's alarms; it used to panic on a
// half-built run (nil map) before the engine moved out of cmd.
func TestSnapshotOfAPlansAlarms(t *testing.T) {
	repoRoot(t)
	sb := startDemoSandbox(t)
	out := filepath.Join(t.TempDir(), "snap.json")
	r := driftgate("snapshot", "--config", "fixtures/demo/.driftgate.yml", "--plan", "fixtures/demo/plan.json", "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	s, err := snapshot.Load(out, out)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.CloudWatch[0].MetricAlarms) + len(s.CloudWatch[0].CompositeAlarms); n == 0 || n >= demoLiveAlarms(t) {
		t.Errorf("%d alarms recorded: want the plan's declared alarms only (fewer than the %d live)", n, demoLiveAlarms(t))
	}
	if calls := sb.Calls()["DescribeAlarms"]; calls != 2 {
		t.Errorf("%d DescribeAlarms calls, want 2 (the plan's names, 100 a call)", calls)
	}
	// Without a config or region it is bad input, not a crash.
	t.Setenv("AWS_REGION", "")
	if r := driftgate("snapshot", "--plan", "fixtures/demo/plan.json", "--out", out); r.code != 2 {
		t.Errorf("no region: exit %d: %s", r.code, r.stderr)
	}
}

// demoUntil is where the demo's recorded evidence ends: reading it from the
// sandbox as of then gives the snapshot's findings.
const demoUntil = "2026-11-23T12:00:00Z"

func demoLiveAlarms(t *testing.T) int {
	t.Helper()
	s, err := snapshot.Load("fixtures/demo/live.json", "live.json")
	if err != nil {
		t.Fatal(err)
	}
	return len(s.CloudWatch[0].MetricAlarms) + len(s.CloudWatch[0].CompositeAlarms)
}

// CloudFormation drift appears in SARIF at the template resource's line.
func TestStackDriftIsAtTheTemplateLineInSARIF(t *testing.T) {
	repoRoot(t)
	out := filepath.Join(t.TempDir(), "r.sarif")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--sarif", out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	got := map[int]bool{}
	for _, r := range doc.Runs[0].Results {
		if r.RuleID != "cloudformation-drift" {
			continue
		}
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != "fixtures/demo/cloudformation/alerting-shared.yaml" {
			t.Errorf("stack drift at %s", loc.ArtifactLocation.URI)
		}
		got[loc.Region.StartLine] = true
	}
	if !got[10] || !got[16] {
		t.Errorf("want the topic (line 10) and the subscription (line 16), got %v", got)
	}
}

// fromPagerDuty reports findings that need PagerDuty state.
func fromPagerDuty(finding string) bool {
	for _, s := range []string{"PagerDuty escalates at", "lands on no PagerDuty service", "the service of tenant", "escalation levels exceeds",
		"has no PagerDuty service", "is named for tenant", "pages nobody", "is suppressed in PagerDuty", "PagerDuty routes the old name", "changed outside the code: delays", "routing test "} {
		if strings.Contains(finding, s) {
			return true
		}
	}
	return false
}

// A live read that takes more than two seconds says how it is going on
// stderr, and --quiet silences it.
func TestLiveReadsReportProgress(t *testing.T) {
	repoRoot(t)
	sb := startDemoSandbox(t)
	sb.Faults.Latency = 250 * time.Millisecond
	r := driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--live", "aws", "--sweep", "--until", demoUntil)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "driftgate: reading live state (") || !strings.Contains(r.stderr, "region(s) done") || !strings.Contains(r.stderr, "PagerDuty ") {
		t.Errorf("no progress line in a read of more than 2s:\n%s", r.stderr)
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, "reading live state") {
			t.Error("progress belongs on stderr")
		}
	}
	q := driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--live", "aws", "--sweep", "--until", demoUntil)
	if strings.Contains(q.stderr, "reading live state") {
		t.Errorf("--quiet must silence progress:\n%s", q.stderr)
	}
}

// In PR mode the live read starts on each alarm name as the plan streams;
// a name the plan's prior state later marks sensitive is not in the final
// set, so the alarm read under it is dropped, never reported.
func TestPRModeDropsAnAlarmWhoseNameTurnsOutSensitive(t *testing.T) {
	repoRoot(t)
	f := func(v float64) *float64 { return &v }
	alarm := func(name string) snapshot.MetricAlarm {
		return snapshot.MetricAlarm{AlarmName: name, AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + name, Threshold: f(7),
			ComparisonOperator: "GreaterThanThreshold", EvaluationPeriods: 1, Period: 300, Namespace: "Acme", MetricName: "Errors", Statistic: "Sum"}
	}
	startSandboxOf(t, &snapshot.Snapshot{Version: 1, CloudWatch: []snapshot.CloudWatchRegion{{Account: "123456789012", Region: "us-east-1", Complete: true,
		MetricAlarms: []snapshot.MetricAlarm{alarm("visible-errors"), alarm("tenant-s3cr3t-errors")}}}})
	t.Setenv("PAGERDUTY_TOKEN", "")
	change := func(name string) string {
		v := fmt.Sprintf(`{"alarm_name":%q,"threshold":5,"comparison_operator":"GreaterThanThreshold","evaluation_periods":1,"period":300,"namespace":"Acme","metric_name":"Errors","statistic":"Sum"}`, name)
		return fmt.Sprintf(`{"address":"aws_cloudwatch_metric_alarm.%[1]s","mode":"managed","type":"aws_cloudwatch_metric_alarm","name":%[1]q,`+
			`"change":{"actions":["no-op"],"before":%[2]s,"after":%[2]s,"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}`, strings.Split(name, "-")[0], v)
	}
	plan := `{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{},"resource_changes":[` + change("visible-errors") + "," + change("tenant-s3cr3t-errors") + `],` +
		`"prior_state":{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_cloudwatch_metric_alarm.tenant","sensitive_values":{"alarm_name":true}}]}}}}`
	dir := t.TempDir()
	file, out := filepath.Join(dir, "plan.json"), filepath.Join(dir, "report.json")
	if err := os.WriteFile(file, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	r := driftgate("check", "--plan", file, "--live", "aws", "--no-evidence", "--json", out)
	if r.code != 1 {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.stdout+r.stderr+string(data), "s3cr3t") {
		t.Errorf("the alarm under a sensitive name reached the output:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "visible-errors") {
		t.Errorf("the visible alarm's drift (live 7, declared 5) must be found:\n%s", r.stdout)
	}
	var doc struct {
		Trace []struct {
			Name   string
			Counts map[string]int
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(doc.Trace, func(p struct {
		Name   string
		Counts map[string]int
	}) bool {
		return p.Name == "live"
	})
	if i < 0 {
		t.Fatal("no live phase in the trace")
	}
	if c := doc.Trace[i].Counts; c["alarms"] != 1 || c["started_before_declared"] != 1 {
		t.Errorf("live phase counts %v: the read starts before the plans, and keeps only the one alarm asked for", c)
	}
}

// In PR mode each shard reads only its own alarms: its names are known
// once its tenants are, so they are not streamed from the plan.
func TestPRModeShardsReadOnlyTheirOwnAlarms(t *testing.T) {
	repoRoot(t)
	total := 0
	for _, s := range []string{"1/2", "2/2"} {
		sb := startDemoSandbox(t)
		dir := t.TempDir()
		r := driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--live", "aws", "--no-evidence", "--shard", s, "--json", filepath.Join(dir, "r.json"))
		if r.code != 1 && r.code != 0 {
			t.Fatalf("shard %s: exit %d: %s", s, r.code, r.stderr)
		}
		if calls := sb.Calls()["DescribeAlarms"]; calls != 1 {
			t.Errorf("shard %s: %d DescribeAlarms calls; half of the demo's 102 declared names fit in one", s, calls)
		}
		total += sb.Calls()["DescribeAlarms"]
	}
	if total != 2 {
		t.Errorf("the two shards made %d DescribeAlarms calls between them, want 2", total)
	}
}
