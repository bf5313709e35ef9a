package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
