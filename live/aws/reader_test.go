package aws

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/driftgate/driftgate/internal/sandbox"
	"github.com/driftgate/driftgate/live/snapshot"
)

// sandboxEnv points the standard AWS settings at a sandbox, with dummy
// credentials and no shared config or instance metadata.
func sandboxEnv(t *testing.T, url string) {
	t.Helper()
	t.Setenv("AWS_ENDPOINT_URL", url)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIASANDBOX")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "sandbox-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
}

func f(v float64) *float64 { return &v }
func b(v bool) *bool       { return &v }

// world is two regions of one account: ten metric alarms (one with metric
// math) and two composites in us-east-1, one alarm in eu-west-1.
func world() *snapshot.Snapshot {
	east := snapshot.CloudWatchRegion{Account: "123456789012", Region: "us-east-1", Complete: true,
		Tags: map[string][]snapshot.Tag{"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a00": {{Key: "Tenant", Value: "7c3f2e"}}}}
	for i := range 10 {
		name := fmt.Sprintf("a%02d", i)
		east.MetricAlarms = append(east.MetricAlarms, snapshot.MetricAlarm{AlarmName: name,
			AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + name, Threshold: f(float64(i) + 0.25),
			ComparisonOperator: "GreaterThanThreshold", EvaluationPeriods: 1, Period: 300, Namespace: "Acme", MetricName: "Errors",
			Statistic: "Sum", ActionsEnabled: b(true), AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:page"},
			Dimensions: []snapshot.Dimension{{Name: "TenantId", Value: "7c3f2e"}}, TreatMissingData: "notBreaching"})
	}
	east.MetricAlarms[9] = snapshot.MetricAlarm{AlarmName: "a09", AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a09",
		Threshold: f(4.8), ComparisonOperator: "GreaterThanThreshold", EvaluationPeriods: 1,
		Metrics: []snapshot.MetricDataQuery{
			{Id: "errors", ReturnData: b(false), MetricStat: &snapshot.MetricStat{Period: 300, Stat: "Sum",
				Metric: snapshot.Metric{Namespace: "Acme", MetricName: "Errors", Dimensions: []snapshot.Dimension{{Name: "TenantId", Value: "7c3f2e"}}}}},
			{Id: "rate", Expression: "100 * errors / requests", ReturnData: b(true)},
		}}
	east.CompositeAlarms = []snapshot.CompositeAlarm{
		{AlarmName: "c1", AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:c1", AlarmRule: `ALARM("a00") AND ALARM("a01")`, ActionsEnabled: b(true), AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:page"}},
		{AlarmName: "c2", AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:c2", AlarmRule: `ALARM("c1") OR ALARM("a09")`},
	}
	west := snapshot.CloudWatchRegion{Account: "123456789012", Region: "eu-west-1", Complete: true,
		MetricAlarms: []snapshot.MetricAlarm{{AlarmName: "w1", Threshold: f(1), EvaluationPeriods: 1, Period: 60, Statistic: "Sum"}}}
	return &snapshot.Snapshot{Version: 1, CloudWatch: []snapshot.CloudWatchRegion{east, west}}
}

func target(regions ...string) []Target { return []Target{{Account: "123456789012", Regions: regions}} }

func TestSweepReadsEveryPageOfMetricAndCompositeAlarms(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sb.PageSize = 3
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1", "eu-west-1"), Sweep: true, Tags: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.CloudWatch) != 2 || snap.CloudWatch[0].Region != "eu-west-1" {
		t.Fatalf("regions not sorted: %+v", snap.CloudWatch)
	}
	east := snap.CloudWatch[1]
	if !east.Complete || len(east.MetricAlarms) != 10 || len(east.CompositeAlarms) != 2 || east.Account != "123456789012" {
		t.Fatalf("east: complete=%v %d metric, %d composite, account %q (%s)", east.Complete, len(east.MetricAlarms), len(east.CompositeAlarms), east.Account, east.Error)
	}
	if calls := sb.Calls()["DescribeAlarms"]; calls != 4+1 {
		t.Errorf("%d DescribeAlarms calls, want 4 pages in us-east-1 (12 alarms / 3) and 1 in eu-west-1", calls)
	}
	// The CBOR round trip keeps every field driftgate reads.
	got, want := east.MetricAlarms[9], world().CloudWatch[0].MetricAlarms[9]
	if *got.Threshold != 4.8 || len(got.Metrics) != 2 || got.Metrics[0].MetricStat.Metric.Dimensions[0].Value != "7c3f2e" ||
		got.Metrics[0].MetricStat.Period != want.Metrics[0].MetricStat.Period || !*got.Metrics[1].ReturnData || got.Metrics[1].Expression != want.Metrics[1].Expression {
		t.Errorf("math alarm lost detail: %+v", got)
	}
	if a := east.MetricAlarms[0]; a.Period != 300 || a.Statistic != "Sum" || a.TreatMissingData != "notBreaching" || a.Dimensions[0].Name != "TenantId" {
		t.Errorf("metric alarm lost detail: %+v", a)
	}
	if c := east.CompositeAlarms[0]; c.AlarmRule != `ALARM("a00") AND ALARM("a01")` || !*c.ActionsEnabled || len(c.AlarmActions) != 1 {
		t.Errorf("composite lost detail: %+v", c)
	}
	if tags := east.Tags["arn:aws:cloudwatch:us-east-1:123456789012:alarm:a00"]; len(tags) != 1 || tags[0].Value != "7c3f2e" {
		t.Errorf("tags: %+v", east.Tags)
	}
	// Tags in bulk: one GetResources page (100 alarms) a region, never one call an alarm.
	if calls := sb.Calls(); calls["GetResources"] != 2 || calls["ListTagsForResource"] != 0 {
		t.Errorf("calls %v: want one GetResources a region and no ListTagsForResource", calls)
	}
}

// In PR mode the named alarms' tags come by ARN list, 100 a call.
func TestPRModeReadsTagsByARN(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Names: []string{"a00", "a01", "nope"}, Tags: true})
	if err != nil {
		t.Fatal(err)
	}
	east := snap.CloudWatch[0]
	if !east.Complete || len(east.Tags["arn:aws:cloudwatch:us-east-1:123456789012:alarm:a00"]) != 1 || sb.Calls()["GetResources"] != 1 {
		t.Errorf("complete=%v %q tags %+v calls %v", east.Complete, east.Error, east.Tags, sb.Calls())
	}
}

func TestPRModeReadsOnlyTheNamedAlarms(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sandboxEnv(t, sb.URL)
	var names []string
	for i := range 150 {
		names = append(names, fmt.Sprintf("x%03d", i))
	}
	names = append(names, "a01", "c1")
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Names: names})
	if err != nil {
		t.Fatal(err)
	}
	r := snap.CloudWatch[0]
	if len(r.MetricAlarms) != 1 || r.MetricAlarms[0].AlarmName != "a01" || len(r.CompositeAlarms) != 1 {
		t.Errorf("read %d metric and %d composite alarms", len(r.MetricAlarms), len(r.CompositeAlarms))
	}
	if calls := sb.Calls()["DescribeAlarms"]; calls != 2 {
		t.Errorf("%d DescribeAlarms calls for 152 names, want 2 (100 names a call)", calls)
	}
}

func TestThrottlingSucceedsAfterRetries(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sb.Faults.Throttle = 2
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Sweep: true})
	if err != nil {
		t.Fatal(err)
	}
	if r := snap.CloudWatch[0]; !r.Complete || len(r.MetricAlarms) != 10 {
		t.Fatalf("complete=%v %s", r.Complete, r.Error)
	}
	if calls := sb.Calls(); calls["GetCallerIdentity"] != 3 || calls["DescribeAlarms"] != 3 {
		t.Errorf("calls %v: want two throttled attempts before each success", calls)
	}
}

func TestAFailingRegionIsIncompleteNotEmpty(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sb.Faults.FailRegions = map[string]bool{"eu-west-1": true}
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1", "eu-west-1"), Sweep: true, MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	west, east := snap.CloudWatch[0], snap.CloudWatch[1]
	if west.Complete || !strings.Contains(west.Error, "500") && !strings.Contains(west.Error, "InternalFailure") {
		t.Errorf("a failing region must be incomplete with the reason: complete=%v %q", west.Complete, west.Error)
	}
	if !east.Complete {
		t.Errorf("the healthy region must still be read: %s", east.Error)
	}
	if m := snap.Model("live"); m.Complete() {
		t.Error("live state with a failed region must not be complete")
	}
}

func TestTheWrongAccountIsRefused(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sandboxEnv(t, sb.URL)
	snap, _ := Read(context.Background(), Options{Targets: []Target{{Account: "999999999999", Regions: []string{"us-east-1"}}}, Sweep: true})
	if r := snap.CloudWatch[0]; r.Complete || !strings.Contains(r.Error, "credentials are for account 123456789012, not 999999999999") {
		t.Errorf("complete=%v %q", r.Complete, r.Error)
	}
}

func TestTheDeadlineMakesTheReadIncomplete(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sb.Faults.Latency = 200 * time.Millisecond
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Sweep: true, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if r := snap.CloudWatch[0]; r.Complete || r.Error == "" {
		t.Errorf("a read cut by the deadline must be incomplete: %+v", r)
	}
}

func TestNoTargetIsAnError(t *testing.T) {
	if _, err := Read(context.Background(), Options{}); err == nil {
		t.Error("no target must be an error")
	}
}

func withStacks(s *snapshot.Snapshot) *snapshot.Snapshot {
	s.CloudFormation = []snapshot.CloudFormationRegion{{Account: "123456789012", Region: "us-east-1", Complete: true, Stacks: []snapshot.Stack{
		{StackName: "checkout-alarms", StackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/checkout-alarms/1",
			DetectionStatus: "DETECTION_COMPLETE", StackDriftStatus: "DRIFTED", StackResourceDrifts: []snapshot.StackResourceDrift{
				{LogicalResourceId: "PageFast5m", PhysicalResourceId: "slo-7c3f2e-availability-page-fast-5m", ResourceType: "AWS::CloudWatch::Alarm",
					ExpectedProperties:       `{"Threshold":4.8,"AlarmName":"slo-7c3f2e-availability-page-fast-5m"}`,
					ActualProperties:         `{"Threshold":5.2,"AlarmName":"slo-7c3f2e-availability-page-fast-5m"}`,
					PropertyDifferences:      []snapshot.PropertyDifference{{PropertyPath: "/Properties/Threshold", ExpectedValue: "4.8", ActualValue: "5.2", DifferenceType: "NOT_EQUAL"}},
					StackResourceDriftStatus: "MODIFIED"},
				{LogicalResourceId: "PageTopic", ResourceType: "AWS::SNS::Topic", StackResourceDriftStatus: "DELETED"},
				{LogicalResourceId: "Dashboard", ResourceType: "AWS::CloudWatch::Dashboard", StackResourceDriftStatus: "UNKNOWN", DriftStatusReason: "not supported"},
			}},
		{StackName: "broken", DetectionStatus: "DETECTION_FAILED", DetectionStatusReason: "Failed to detect drift on resource [Queue]",
			StackDriftStatus: "DRIFTED", StackResourceDrifts: []snapshot.StackResourceDrift{
				{LogicalResourceId: "Ticket2h", ResourceType: "AWS::CloudWatch::Alarm", StackResourceDriftStatus: "MODIFIED",
					PropertyDifferences: []snapshot.PropertyDifference{{PropertyPath: "/Properties/AlarmActions/0", ExpectedValue: "arn:a", ActualValue: "arn:b", DifferenceType: "NOT_EQUAL"}}},
			}},
	}}}
	return s
}

func TestStackDriftNeedsSeveralPollsAndPages(t *testing.T) {
	sb := sandbox.Start(withStacks(world()))
	defer sb.Close()
	sb.Faults.DriftPolls = 3
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Names: []string{"a00"},
		Stacks: []string{"checkout-alarms"}, PollInterval: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cf := snap.CloudFormation[0]
	if !cf.Complete || len(cf.Stacks) != 1 || len(cf.Stacks[0].StackResourceDrifts) != 3 {
		t.Fatalf("complete=%v %q stacks %+v", cf.Complete, cf.Error, cf.Stacks)
	}
	calls := sb.Calls()
	if calls["DescribeStackDriftDetectionStatus"] != 4 || calls["DescribeStackResourceDrifts"] != 2 {
		t.Errorf("calls %v: want 3 in-progress polls then 1, and 2 pages of drifts", calls)
	}
	live := snap.Model("live")
	if len(live.Drifts) != 2 {
		t.Fatalf("UNKNOWN is not drift; want MODIFIED and DELETED: %+v", live.Drifts)
	}
	mod, del := live.Drifts[0], live.Drifts[1]
	if mod.Address != "checkout-alarms/PageFast5m" || len(mod.Changes) != 1 || mod.Changes[0].Path != "Threshold" ||
		mod.Changes[0].Before != "4.8" || mod.Changes[0].After != "5.2" || mod.Type != "AWS::CloudWatch::Alarm" {
		t.Errorf("modified: %+v", mod)
	}
	if !del.Deleted || del.Address != "checkout-alarms/PageTopic" {
		t.Errorf("deleted: %+v", del)
	}
	if got := cf.Stacks[0].StackResourceDrifts[0].ExpectedProperties; got != `{"Threshold":4.8,"AlarmName":"slo-7c3f2e-availability-page-fast-5m"}` {
		t.Errorf("properties arrive as JSON strings and are kept as such: %q", got)
	}
}

func TestFailedDriftDetectionKeepsPartialResultsAndIsIncomplete(t *testing.T) {
	sb := sandbox.Start(withStacks(world()))
	defer sb.Close()
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Names: []string{"a00"},
		Stacks: []string{"checkout-alarms", "broken", "missing"}, PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cf := snap.CloudFormation[0]
	if cf.Complete || !strings.Contains(cf.Error, "stack broken: drift detection DETECTION_FAILED: Failed to detect drift on resource [Queue]") ||
		!strings.Contains(cf.Error, "stack missing: DetectStackDrift") {
		t.Fatalf("complete=%v %q", cf.Complete, cf.Error)
	}
	if len(cf.Stacks) != 2 || len(cf.Stacks[1].StackResourceDrifts) != 1 {
		t.Errorf("the failed detection's partial results must be kept: %+v", cf.Stacks)
	}
	if snap.Model("live").Complete() {
		t.Error("a failed detection must make live state incomplete")
	}
}

// A target's role is assumed through STS, and everything in that account
// is read with the session's credentials, not the ambient ones.
func TestTheTargetRoleIsAssumed(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Sweep: true,
		Targets: []Target{{Account: "123456789012", RoleARN: "arn:aws:iam::123456789012:role/driftgate-read", Regions: []string{"us-east-1"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := snap.CloudWatch[0]; !r.Complete || len(r.MetricAlarms) != 10 {
		t.Fatalf("complete=%v %q, %d alarms", r.Complete, r.Error, len(r.MetricAlarms))
	}
	if got := sb.Signers("AssumeRole"); len(got) != 1 || got[0] != "AKIASANDBOX" {
		t.Errorf("AssumeRole must be signed with the ambient credentials: %v", got)
	}
	for _, op := range []string{"GetCallerIdentity", "DescribeAlarms"} {
		if got := sb.Signers(op); len(got) != 1 || !strings.HasPrefix(got[0], "ASIASANDBOX") {
			t.Errorf("%s must be signed with the assumed role's session: %v", op, got)
		}
	}
}

func TestARoleInAnotherAccountIsRefused(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sandboxEnv(t, sb.URL)
	snap, _ := Read(context.Background(), Options{Sweep: true,
		Targets: []Target{{Account: "123456789012", RoleARN: "arn:aws:iam::210987654321:role/driftgate-read", Regions: []string{"us-east-1"}}}})
	if r := snap.CloudWatch[0]; r.Complete || !strings.Contains(r.Error, "credentials are for account 210987654321, not 123456789012") {
		t.Errorf("complete=%v %q", r.Complete, r.Error)
	}
	if sb.Calls()["DescribeAlarms"] != 0 {
		t.Error("nothing may be read with another account's credentials")
	}
}

// A stack detection that takes longer than the read's budget makes stack
// drift incomplete, but the alarms are read beside it, not after it.
func TestSlowStackDriftDoesNotStarveTheAlarmRead(t *testing.T) {
	sb := sandbox.Start(withStacks(world()))
	defer sb.Close()
	sb.Faults.DriftPolls = 1000
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Sweep: true,
		Stacks: []string{"checkout-alarms"}, PollInterval: 20 * time.Millisecond, Timeout: 700 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if cw := snap.CloudWatch[0]; !cw.Complete || len(cw.MetricAlarms) != 10 {
		t.Errorf("alarms: complete=%v %q, %d alarms: a slow drift detection must not use up their budget", cw.Complete, cw.Error, len(cw.MetricAlarms))
	}
	if cf := snap.CloudFormation[0]; cf.Complete || cf.Error == "" {
		t.Errorf("stack drift cut by the deadline must be incomplete: %+v", cf)
	}
}

// withEvidence records, for world(), 24h of 5-minute data for a00..a08
// (none for a01: a dead alarm), the math alarm a09's error rate, a00's
// state history, and the active metrics of the namespace.
func withEvidence(s *snapshot.Snapshot, end time.Time) *snapshot.Snapshot {
	ev := snapshot.EvidenceRegion{Account: "123456789012", Region: "us-east-1", Complete: true, Start: end.Add(-24 * time.Hour), End: end,
		Series: map[string]snapshot.MetricDataResult{}}
	for _, a := range s.CloudWatch[0].MetricAlarms {
		var r snapshot.MetricDataResult
		if a.AlarmName != "a01" {
			for t := ev.Start; t.Before(end); t = t.Add(5 * time.Minute) {
				r.Timestamps = append(r.Timestamps, t)
				r.Values = append(r.Values, 0.5)
			}
		}
		ev.Series[a.AlarmName] = r
	}
	ev.History = []snapshot.AlarmHistoryItem{
		{AlarmName: "a00", HistoryItemType: "StateUpdate", Timestamp: end.Add(-time.Hour), HistoryData: `{"oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM"}}`},
		{AlarmName: "a00", HistoryItemType: "StateUpdate", Timestamp: end.Add(-30 * time.Minute), HistoryData: `{"oldState":{"stateValue":"ALARM"},"newState":{"stateValue":"OK"}}`},
		{AlarmName: "gone", HistoryItemType: "StateUpdate", Timestamp: end.Add(-time.Hour), HistoryData: `{}`},
	}
	ev.ActiveMetrics = []snapshot.Metric{{Namespace: "Acme", MetricName: "Errors", Dimensions: []snapshot.Dimension{{Name: "TenantId", Value: "7c3f2f"}}}}
	s.Evidence = []snapshot.EvidenceRegion{ev}
	return s
}

func TestEvidenceIsReadInBatchesAndPages(t *testing.T) {
	end := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	sb := sandbox.Start(withEvidence(world(), end))
	defer sb.Close()
	sb.MaxDatapoints = 1000 // 288 points a series: a batch of 3 pages
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Sweep: true, Evidence: true, MaxQueries: 4,
		Clock: func() time.Time { return end }})
	if err != nil {
		t.Fatal(err)
	}
	ev := snap.Evidence[0]
	if !ev.Complete {
		t.Fatalf("incomplete: %s", ev.Error)
	}
	if n := len(ev.Series["a00"].Values); n != 288 || len(ev.Series["a00"].Timestamps) != 288 {
		t.Errorf("a00: %d points, want 288 (24h of 5 minutes) across pages", n)
	}
	if s, ok := ev.Series["a01"]; !ok || len(s.Values) != 0 {
		t.Errorf("a01 must be read, with no data: %+v %v", s, ok)
	}
	if n := len(ev.Series["a09"].Values); n != 288 {
		t.Errorf("the math alarm's returned expression: %d points", n)
	}
	calls := sb.Calls()
	// 9 metric alarms of 1 query + a09 of 2 queries = 11 queries, 4 a call: 3 batches, each paged.
	if calls["GetMetricData"] < 4 || calls["GetMetricData"] > 9 {
		t.Errorf("%d GetMetricData calls for 11 queries at 4 a call and 1,000 points a page", calls["GetMetricData"])
	}
	if len(ev.History) != 2 || ev.History[0].AlarmName != "a00" {
		t.Errorf("history of the read alarms only: %+v", ev.History)
	}
	if len(ev.ActiveMetrics) != 1 || calls["ListMetrics"] != 1 {
		t.Errorf("active metrics for the dead alarm's metric: %+v, %d calls", ev.ActiveMetrics, calls["ListMetrics"])
	}
	l := snap.Model("")
	a01 := l.Alarms[1]
	if pts, ok := l.Evidence.Series[a01.Identity()]; a01.Name != "a01" || !ok || len(pts) != 0 {
		t.Errorf("the model says a01 was read and had no data: %v %v", ok, pts)
	}
}

func TestAFailedEvidenceReadIsIncompleteNeverNoData(t *testing.T) {
	end := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	sb := sandbox.Start(withEvidence(world(), end))
	defer sb.Close()
	sb.Faults.FailOps = map[string]bool{"GetMetricData": true}
	sandboxEnv(t, sb.URL)
	snap, _ := Read(context.Background(), Options{Targets: target("us-east-1"), Sweep: true, Evidence: true, MaxAttempts: 1,
		Clock: func() time.Time { return end }})
	if ev := snap.Evidence[0]; ev.Complete || !strings.Contains(ev.Error, "GetMetricData") {
		t.Errorf("evidence: complete=%v %q", ev.Complete, ev.Error)
	}
	if !snap.CloudWatch[0].Complete {
		t.Error("the alarms themselves were read")
	}
}

// With a series sink the datapoints go to it as the pages come, in
// ascending time, and the snapshot only counts them; the alarm without data
// is still read, with none, and still gets its ListMetrics.
func TestEvidenceStreamsToTheSink(t *testing.T) {
	end := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	sb := sandbox.Start(withEvidence(world(), end))
	defer sb.Close()
	sb.MaxDatapoints = 1000
	sandboxEnv(t, sb.URL)
	var mu sync.Mutex
	got := map[string][]time.Time{}
	sink := func(account, region string, a *snapshot.MetricAlarm, start, stop time.Time, ts []time.Time, vs []float64) {
		mu.Lock()
		defer mu.Unlock()
		if account != "123456789012" || region != "us-east-1" || !stop.Equal(end) || !start.Equal(end.Add(-24*time.Hour)) || len(ts) != len(vs) {
			t.Errorf("sink called with %s %s %s..%s", account, region, start, stop)
		}
		got[a.AlarmName] = append(got[a.AlarmName], ts...)
	}
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Sweep: true, Evidence: true, MaxQueries: 4,
		Clock: func() time.Time { return end }, Series: sink})
	if err != nil {
		t.Fatal(err)
	}
	ev := snap.Evidence[0]
	if !ev.Complete || len(got["a00"]) != 288 || !slices.IsSortedFunc(got["a00"], time.Time.Compare) || len(got["a09"]) != 288 {
		t.Fatalf("complete=%v %s; streamed a00 %d, a09 %d", ev.Complete, ev.Error, len(got["a00"]), len(got["a09"]))
	}
	if s := ev.Series["a00"]; len(s.Values) != 0 || s.Streamed != 288 || s.Points() != 288 {
		t.Errorf("the snapshot keeps counts, not points: %d kept, %d streamed", len(s.Values), s.Streamed)
	}
	if s, ok := ev.Series["a01"]; !ok || s.Points() != 0 || len(ev.ActiveMetrics) != 1 {
		t.Errorf("a01 read with no data: %+v %v, active %v", s, ok, ev.ActiveMetrics)
	}
	if l := snap.Model(""); len(l.Evidence.Series) != 1 {
		t.Errorf("the model holds only the series with no data (streamed ones are summarised by the caller): %d", len(l.Evidence.Series))
	}
}
