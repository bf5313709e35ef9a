package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/internal/pgtest"
	"github.com/driftgate/driftgate/live/snapshot"
)

const auditConfig = "fixtures/audit/.driftgate.yml"

// The baseline attestation is what driftgate writes for the last audit's
// live state (fixtures/audit/last-audit): rerun -update after changing it.
func TestAuditBaselineIsGenerated(t *testing.T) {
	repoRoot(t)
	out := filepath.Join(t.TempDir(), "baseline.intoto.json")
	r := driftgate("check", "--quiet", "--config", auditConfig, "--live", "fixtures/audit/last-audit/live.json", "--attestation", out, "--fail-on", "never")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got, _ := os.ReadFile(out)
	const golden = "fixtures/audit/baseline.intoto.json"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want, err := os.ReadFile(golden); err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run `go test ./cmd/driftgate -update`", golden)
	}
}

// The audit of issue 15 end to end, offline: the 7c3f2e rule, the three
// alert configs changed since the last audit, the registry disagreement, the
// rule whose alarm was deleted; a signed attestation that verifies.
func TestAuditDemo(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	key, pub, _ := writeKeys(t, dir)
	report, att := filepath.Join(dir, "audit.json"), filepath.Join(dir, "audit.intoto.json")
	r := driftgate("check", "--quiet", "--config", auditConfig, "--baseline", "fixtures/audit/baseline.intoto.json",
		"--json", report, "--attestation", att, "--signing-key", key)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (blocking findings): %s", r.code, r.stderr)
	}
	data, _ := os.ReadFile(report)
	text := string(data)
	for _, want := range []string{
		"tenant 7c3f2e 5m error_rate (alert_rules rule_id=r-031): CloudWatch pages at 5.2% while alert_rules and PagerDuty say 4.8% (drift 8.33%)",
		"tenant 9f8e7d SLO checkout/availability: dynamodb SloRegistry (us-east-1) says 99.95%, its 6 alarms and 6 alert rules are set for 99.9%",
		"tenant 1a2b3c 2h error_rate (alert_rules rule_id=r-011): its alarm slo-1a2b3c-availability-ticket-2h exists nowhere",
		"3 alert configuration(s) diverged since the audit recorded in fixtures/audit/baseline.intoto.json: 3 changed, 0 added, 0 removed",
		"alarm checkout-slo-burn-page-1h watches the 1h burn rate of Application Signals SLO checkout-availability (goal 90%): its threshold 14.4 can never be crossed, the burn rate is at most 1/(1 - 90%) = 10",
		"alarm checkout-slo-burn-page-30m watches the 30m burn rate of Application Signals SLO checkout-availability (goal 90%), which publishes burn rates over 5m, 1h only",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the audit does not report %q", want)
		}
	}
	var changed []string
	for _, f := range findingsOf(t, text) {
		if i := strings.Index(f, "alert live/123456789012/us-east-1/"); i >= 0 {
			changed = append(changed, strings.Fields(f[i+len("alert live/123456789012/us-east-1/"):])[0])
		}
	}
	slices.Sort(changed)
	if want := []string{"slo-7c3f2e-availability-page-fast-5m", "slo-c0ffee-availability-page-slow-6h", "slo-e1f2a3-availability-ticket"}; !slices.Equal(changed, want) {
		t.Errorf("changed since the baseline: %v, want %v", changed, want)
	}
	if strings.Contains(text, "single_tenant") || strings.Contains(text, "rule_id=s-") {
		t.Error("the default query's filter was not applied")
	}
	if v := driftgate("verify", att, "--key", pub, report, auditConfig); v.code != 0 {
		t.Errorf("the signed attestation does not verify: %s%s", v.stdout, v.stderr)
	}
	var st struct {
		Payload string `json:"payload"`
	}
	if a, _ := os.ReadFile(att); json.Unmarshal(a, &st) != nil || st.Payload == "" {
		t.Error("the attestation is not a signed DSSE envelope")
	}
}

// The same audit read live: CloudWatch, DynamoDB and PagerDuty through the
// SDKs against the sandbox, the alert_rules table from a real PostgreSQL
// loaded with the fixture's SQL. Same findings as the snapshot.
func TestAuditLiveMatchesTheSnapshot(t *testing.T) {
	repoRoot(t)
	pg := pgtest.Start(t)
	dsn := pg.CreateDatabase(t, "alerting")
	sql, err := os.ReadFile("fixtures/audit/alert_rules.sql")
	if err != nil {
		t.Fatal(err)
	}
	pg.Exec(t, "alerting", string(sql))
	s, err := snapshot.Load("fixtures/audit/live.json", "live.json")
	if err != nil {
		t.Fatal(err)
	}
	sb := startSandboxOf(t, s)
	t.Setenv("DRIFTGATE_AUDIT_RULES_DSN", dsn)
	dir := t.TempDir()
	offline, live := filepath.Join(dir, "offline.json"), filepath.Join(dir, "live.json")
	base := "fixtures/audit/baseline.intoto.json"
	driftgate("check", "--quiet", "--config", auditConfig, "--baseline", base, "--json", offline)
	r := driftgate("check", "--quiet", "--config", auditConfig, "--baseline", base, "--live", "aws", "--sweep", "--no-evidence", "--json", live)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	a, b := findingMessages(t, offline), findingMessages(t, live)
	if !slices.Equal(a, b) {
		t.Errorf("live findings differ from the snapshot's:\nsnapshot %d %v\nlive %d %v", len(a), a, len(b), b)
	}
	if calls := sb.Calls(); calls["Scan"] != 1 || calls["DescribeAlarms"] == 0 || calls["GetServiceLevelObjective"] != 1 {
		t.Errorf("calls %v: the registry is one Scan page, the service has one Application Signals SLO", calls)
	}
	data, _ := os.ReadFile(live)
	if strings.Contains(string(data), pg.Password) {
		t.Error("the database password reached the report")
	}

	// driftgate snapshot records the same sources, the SQL rows and the
	// Application Signals SLO included, so the audit replays offline.
	rec := filepath.Join(dir, "recorded.json")
	if r := driftgate("snapshot", "--config", auditConfig, "--no-evidence", "--out", rec); r.code != 0 {
		t.Fatalf("snapshot: exit %d %s", r.code, r.stderr)
	}
	got, err := snapshot.Load(rec, "recorded.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ApplicationSignals) != 1 || !got.ApplicationSignals[0].Complete || len(got.ApplicationSignals[0].SLOs) != 1 ||
		got.ApplicationSignals[0].SLOs[0].Goal.AttainmentGoal != 90 || len(got.AlertRules) != 1 || len(got.AlertRules[0].Rules) != 72 {
		t.Errorf("recorded: %+v, %d rule tables", got.ApplicationSignals, len(got.AlertRules))
	}
	replayed := filepath.Join(dir, "replayed.json")
	driftgate("check", "--quiet", "--config", auditConfig, "--baseline", base, "--live", rec, "--json", replayed)
	if c := findingMessages(t, replayed); !slices.Equal(a, c) {
		t.Errorf("the recorded snapshot's findings differ:\n%v\n%v", a, c)
	}
}
