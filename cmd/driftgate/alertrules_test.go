package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/live/snapshot"
)

// demoConfigWith is the demo's config without its inputs (the test names
// them) and with extra sections, written to a temporary directory.
func demoConfigWith(t *testing.T, extra string) string {
	t.Helper()
	data, err := os.ReadFile("fixtures/demo/.driftgate.yml")
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("fixtures/demo")
	text := regexp.MustCompile(`(?m)^inputs:\n(?:  .*\n)+`).ReplaceAllString(string(data), "")
	text = strings.ReplaceAll(text, "alerting-shared: cloudformation/", "alerting-shared: "+abs+"/cloudformation/")
	return writeFile(t, t.TempDir(), ".driftgate.yml", text+"\n"+extra)
}

func sqliteRules(t *testing.T, rows string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rules.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE alert_rules (rule_id TEXT PRIMARY KEY, tenant_id TEXT, service_type TEXT, metric TEXT,
		"window" TEXT, threshold_percent REAL, severity TEXT, alarm_name TEXT, pagerduty_service TEXT);` + rows); err != nil {
		t.Fatal(err)
	}
	return path
}

const rulesSource = `alert_rules:
  - name: rules-db
    driver: sqlite
    dsn_env: DRIFTGATE_TEST_RULES_DSN
`

// The 7c3f2e story from a SQL table: CloudWatch pages at 5.2 % while the
// table and PagerDuty say 4.8 %; a wrong table stops the run naming it; an
// unreadable one is inconclusive and its DSN is never printed.
func TestAlertRulesFromSQL(t *testing.T) {
	repoRoot(t)
	cfg := demoConfigWith(t, rulesSource)
	run := func(extra ...string) (cliResult, string) {
		out := filepath.Join(t.TempDir(), "r.json")
		args := append([]string{"check", "--quiet", "--config", cfg, "--live", "fixtures/demo/live.json", "--plan", "fixtures/demo/plan.json", "--json", out, "--fail-on", "never"}, extra...)
		r := driftgate(args...)
		data, _ := os.ReadFile(out)
		return r, string(data)
	}

	t.Setenv("DRIFTGATE_TEST_RULES_DSN", sqliteRules(t, `INSERT INTO alert_rules VALUES
		('r-1', '7c3f2e', 'multi_tenant', 'error_rate', '5m', 4.8, 'page', 'slo-7c3f2e-availability-page-fast-5m', 'checkout-7c3f2e'),
		('r-2', '7c3f2e', 'single_tenant', 'error_rate', '5m', 1.0, 'page', 'nothing-of-ours', NULL);`))
	r, report := run()
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := "tenant 7c3f2e 5m error_rate (alert_rules rule_id=r-1): CloudWatch pages at 5.2% while alert_rules and PagerDuty say 4.8% (drift 8.33%"
	if !strings.Contains(report, want) {
		t.Errorf("the three-way drift is not reported:\n%s", report)
	}
	if strings.Contains(report, "r-2") {
		t.Error("the default query's WHERE service_type = 'multi_tenant' was not applied")
	}

	t.Setenv("DRIFTGATE_TEST_RULES_DSN", sqliteRules(t, `ALTER TABLE alert_rules RENAME COLUMN threshold_percent TO threshold;`))
	r, report = run()
	if r.code != 2 || !strings.Contains(r.stderr, `alert_rules (rules-db): the query's result has no column "threshold_percent"`) {
		t.Errorf("a missing column: exit %d, %s", r.code, r.stderr)
	}
	if !strings.Contains(report, `no column \"threshold_percent\"`) {
		t.Error("the requested report does not say why the run stopped")
	}

	secret := filepath.Join(t.TempDir(), "s3cr3t-dir", "rules.db")
	t.Setenv("DRIFTGATE_TEST_RULES_DSN", secret)
	r, report = run()
	if r.code != 3 || !strings.Contains(report, `"SQL alert rules rules-db could not be read completely: unable to open database file`) {
		t.Errorf("an unreadable table: exit %d\n%s", r.code, report)
	}
	if strings.Contains(r.stdout+r.stderr+report, "s3cr3t") {
		t.Error("the DSN was printed")
	}

	t.Setenv("DRIFTGATE_TEST_RULES_DSN", "")
	r, report = run()
	if r.code != 0 || !strings.Contains(report, "DRIFTGATE_TEST_RULES_DSN is not set") {
		t.Errorf("no DSN: exit %d; the report must say the table was skipped and why", r.code)
	}
}

const registrySource = `slo_registry:
  - dynamodb: {table: SloRegistry, region: us-east-1}
`

// demoWithRegistry is the demo's snapshot with an SLO registry recorded in it.
func demoWithRegistry(t *testing.T, items string) string {
	t.Helper()
	data, err := os.ReadFile("fixtures/demo/live.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var list []any
	if err := json.Unmarshal([]byte(items), &list); err != nil {
		t.Fatal(err)
	}
	doc["slo_registry"] = []any{map[string]any{"table": "SloRegistry", "region": "us-east-1", "complete": true, "items": list}}
	out, _ := json.Marshal(doc)
	return writeFile(t, t.TempDir(), "live.json", string(out))
}

const registryItems = `[
	{"tenant_id": {"S": "7c3f2e"}, "service": {"S": "checkout"}, "slo": {"S": "availability"}, "objective": {"N": "99.5"}},
	{"tenant_id": {"S": "0a1b2c"}, "service": {"S": "checkout"}, "slo": {"S": "availability"}, "objective": {"N": "99.9"}}
]`

// The registry raised tenant 7c3f2e's objective to 99.5 % and its alarms
// were left at its bucket's 99.67 %: said once, at the registry's config
// line, from the snapshot and from DynamoDB alike; a registry that cannot be
// read makes the run inconclusive, a bad item stops it naming the item.
func TestSLORegistry(t *testing.T) {
	repoRoot(t)
	cfg := demoConfigWith(t, registrySource)
	check := func(live string, extra ...string) (cliResult, string) {
		out := filepath.Join(t.TempDir(), "r.json")
		args := append([]string{"check", "--quiet", "--config", cfg, "--live", live, "--plan", "fixtures/demo/plan.json", "--json", out, "--fail-on", "never"}, extra...)
		r := driftgate(args...)
		data, _ := os.ReadFile(out)
		return r, string(data)
	}
	want := "tenant 7c3f2e SLO checkout/availability: dynamodb SloRegistry (us-east-1) says 99.5%, its 6 alarms are set for 99.67%"

	snap := demoWithRegistry(t, registryItems)
	r, offline := check(snap)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(offline, want) || strings.Count(offline, `"check": "registry-objective"`) != 1 {
		t.Errorf("the registry disagreement is not reported once:\n%s", offline)
	}

	s, err := snapshot.Load(snap, "live.json")
	if err != nil {
		t.Fatal(err)
	}
	sb := startSandboxOf(t, s)
	sb.ScanPageBytes = 200 // one item a page
	r, online := check("aws", "--sweep", "--until", demoUntil)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !slices.Equal(findingsOf(t, offline), findingsOf(t, online)) {
		t.Errorf("DynamoDB and the snapshot disagree:\n%v\n%v", findingsOf(t, offline), findingsOf(t, online))
	}
	if calls := sb.Calls()["Scan"]; calls != 2 {
		t.Errorf("%d Scan calls, want one per item at this page size", calls)
	}

	// driftgate snapshot records the registry and the SQL rules, so the
	// whole audit replays offline; the DSN stays out of the file.
	cfgBoth := demoConfigWith(t, registrySource+rulesSource)
	dsn := sqliteRules(t, `INSERT INTO alert_rules VALUES ('r-1', '7c3f2e', 'multi_tenant', 'error_rate', '5m', 4.8, 'page', 'slo-7c3f2e-availability-page-fast-5m', 'checkout-7c3f2e');`)
	t.Setenv("DRIFTGATE_TEST_RULES_DSN", dsn)
	recorded := filepath.Join(t.TempDir(), "recorded.json")
	if r := driftgate("snapshot", "--config", cfgBoth, "--until", demoUntil, "--out", recorded); r.code != 0 {
		t.Fatalf("snapshot: exit %d %s", r.code, r.stderr)
	}
	data, _ := os.ReadFile(recorded)
	if strings.Contains(string(data), dsn) || !strings.Contains(string(data), `"rule_id": "r-1"`) || !strings.Contains(string(data), `"table": "SloRegistry"`) {
		t.Errorf("the snapshot must record the registry and the rules, never the DSN")
	}
	scans := sb.Calls()["Scan"]
	t.Setenv("DRIFTGATE_TEST_RULES_DSN", "")
	replay := filepath.Join(t.TempDir(), "replay.json")
	driftgate("check", "--quiet", "--config", cfgBoth, "--live", recorded, "--plan", "fixtures/demo/plan.json", "--json", replay, "--fail-on", "never")
	replayed, _ := os.ReadFile(replay)
	if !strings.Contains(string(replayed), strings.Replace(want, "6 alarms are", "6 alarms and 1 alert rule are", 1)) || !strings.Contains(string(replayed), "CloudWatch pages at 5.2% while alert_rules and PagerDuty say 4.8%") {
		t.Errorf("the replay lost the registry or the rules:\n%s", replayed)
	}
	if sb.Calls()["Scan"] != scans {
		t.Error("a replay must not scan DynamoDB")
	}

	sb.Faults.FailOps = map[string]bool{"Scan": true}
	r, report := check("aws", "--sweep", "--until", demoUntil)
	if r.code != 3 || !strings.Contains(report, `"scope": "dynamodb SloRegistry (us-east-1)"`) || strings.Contains(report, "registry-objective\",\n      \"severity") {
		t.Errorf("an unreadable registry: exit %d\n%s", r.code, report)
	}

	r, _ = check(demoWithRegistry(t, `[{"tenant_id": {"S": "7c3f2e"}, "service": {"S": "checkout"}, "objective": {"S": "high"}}]`))
	if r.code != 2 || !strings.Contains(r.stderr, "SLO registry SloRegistry tenant_id=7c3f2e: objective: want a number (N), found S") {
		t.Errorf("a bad item: exit %d, %s", r.code, r.stderr)
	}
}
