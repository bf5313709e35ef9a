package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/internal/pgtest"
)

// Two runs of the demo into one history: the second says what persists and
// since when; an edit that fixes one finding makes it resolved; a store that
// cannot be written makes the run inconclusive, never silently unrecorded.
func TestHistoryAcrossRuns(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "h.db")
	first := filepath.Join(dir, "1.json")
	r := driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--history", db, "--history-scope", "nightly", "--json", first)
	if r.code != 1 || !strings.Contains(r.stdout, "  history: first run of this scope recorded: ") || !strings.Contains(r.stdout, " · new\n") ||
		!strings.Contains(r.stdout, "dead-alarm") {
		t.Fatalf("first run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The second run drops the expired ignore rule's finding: the FinOps tags rule
	// is removed from the config, so expired-ignore stops firing.
	cfg := demoConfig(t, func(s string) string {
		start := strings.Index(s, "\nignore:\n")
		end := strings.Index(s, "\nslos:\n")
		return s[:start] + s[end:]
	})
	second, sarifFile := filepath.Join(dir, "2.json"), filepath.Join(dir, "2.sarif")
	r = driftgate("check", "--config", cfg, "--history", db, "--history-scope", "nightly", "--json", second, "--sarif", sarifFile)
	var sarifDoc struct {
		Runs []struct {
			Results []struct{ BaselineState string }
		}
	}
	sarifData, _ := os.ReadFile(sarifFile)
	if err := json.Unmarshal(sarifData, &sarifDoc); err != nil || len(sarifDoc.Runs) != 1 || len(sarifDoc.Runs[0].Results) == 0 {
		t.Fatalf("SARIF: %v", err)
	}
	for _, res := range sarifDoc.Runs[0].Results {
		if res.BaselineState != "unchanged" {
			t.Errorf("SARIF baselineState %q on an unchanged estate", res.BaselineState)
			break
		}
	}
	if !strings.Contains(r.stdout, "resolved: expired-ignore") || !strings.Contains(r.stdout, " · persisting since ") {
		t.Errorf("second run:\n%s%s", r.stdout, r.stderr)
	}
	var doc struct {
		Summary struct {
			History struct {
				Resolved []struct{ Check string }
			}
		}
		Findings []struct {
			Check     string
			Lifecycle *struct {
				State string
				Runs  int
			}
		}
	}
	data, _ := os.ReadFile(second)
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	fresh := 0
	for _, f := range doc.Findings {
		switch {
		case f.Lifecycle == nil:
			t.Fatalf("%s has no lifecycle", f.Check)
		case f.Lifecycle.State == "new":
			fresh++
		case f.Lifecycle.Runs != 2:
			t.Errorf("%s: %+v", f.Check, f.Lifecycle)
		}
	}
	if len(doc.Summary.History.Resolved) != 1 || doc.Summary.History.Resolved[0].Check != "expired-ignore" {
		t.Errorf("resolved %+v", doc.Summary.History.Resolved)
	}
	// The expired rule ignored nothing: every other finding persists.
	if fresh != 0 {
		t.Errorf("%d findings new on an unchanged estate", fresh)
	}

	// An ignore rule hides the dead alarms: hidden is not resolved.
	ignoring := demoConfig(t, func(s string) string {
		return strings.Replace(s, "\nignore:\n", "\nignore:\n  - address: '*'\n    checks: [dead-alarm]\n    reason: bench\n    until: 2999-01-01\n", 1)
	})
	r = driftgate("check", "--config", ignoring, "--history", db, "--history-scope", "nightly")
	if !strings.Contains(r.stdout, "  history: ") || strings.Contains(r.stdout, "resolved: dead-alarm") || strings.Contains(r.stdout, "error   dead-alarm") {
		t.Errorf("an ignored finding must not be resolved:\n%s", r.stdout)
	}

	// The trend: three runs of the nightly scope; the last hides the dead alarms
	// by an ignore rule, which resolves nothing.
	r = driftgate("history", "--history", db, "--scope", "nightly", "--runs", "2")
	lines := strings.Split(r.stdout, "\n")
	if r.code != 0 || len(lines) < 5 || !strings.HasPrefix(lines[0], "scope nightly, last 2 run(s)") ||
		!strings.Contains(r.stdout, "latest run by tenant:") || !strings.Contains(r.stdout, "latest run by check:") {
		t.Fatalf("history: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var trend struct {
		Runs []struct {
			Result        string
			Counts        map[string]int
			New, Resolved int
		}
		ByCheck map[string]map[string]int `json:"by_check"`
	}
	r = driftgate("history", "--history", db, "--scope", "nightly", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &trend); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if len(trend.Runs) != 3 || trend.Runs[0].New == 0 || trend.Runs[1].New != 0 || trend.Runs[1].Resolved != 1 ||
		trend.Runs[2].Resolved != 0 || trend.ByCheck["dead-alarm"] != nil || trend.ByCheck["alarm-drift"]["error"] == 0 {
		t.Errorf("trend %+v", trend)
	}

	// --fail-on-new: on an unchanged estate only the locked checks block.
	third := filepath.Join(dir, "3.json")
	driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--history", db, "--history-scope", "adopted")
	driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--history", db, "--history-scope", "adopted", "--fail-on-new", "--json", third)
	var doc3 struct {
		Summary  struct{ Blocking int }
		Findings []struct{ Check, Severity string }
	}
	data, _ = os.ReadFile(third)
	if err := json.Unmarshal(data, &doc3); err != nil {
		t.Fatal(err)
	}
	locked := 0
	for _, f := range doc3.Findings {
		if f.Severity == "error" && (f.Check == "page-routing" || f.Check == "tenant-route") {
			locked++
		}
	}
	if locked == 0 || doc3.Summary.Blocking != locked {
		t.Errorf("--fail-on-new: %d blocking, want the %d locked findings", doc3.Summary.Blocking, locked)
	}
	if r := driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--fail-on-new"); r.code != 2 || !strings.Contains(r.stderr, "--fail-on-new needs a run history") {
		t.Errorf("--fail-on-new without a history: exit %d %s", r.code, r.stderr)
	}

	// history.url in the config: a sqlite path beside the config file, the
	// config's scope, and enough for --fail-on-new.
	cfgDir := t.TempDir()
	histCfg := filepath.Join(cfgDir, "driftgate.yml")
	os.WriteFile(histCfg, []byte("version: 1\nhistory:\n  url: sqlite:runs/h.db\n  scope: nightly\n"), 0o644)
	os.Mkdir(filepath.Join(cfgDir, "runs"), 0o755)
	for range 2 {
		if r := driftgate("check", "--config", histCfg, "--plan", "fixtures/demo/plan.json", "--fail-on-new", "--quiet"); r.code == 2 {
			t.Fatalf("history.url: exit %d %s", r.code, r.stderr)
		}
	}
	if rr := driftgate("history", "--history", "sqlite:"+filepath.Join(cfgDir, "runs", "h.db"), "--scope", "nightly", "--json"); rr.code != 0 || strings.Count(rr.stdout, `"started"`) != 2 {
		t.Errorf("history.url: the config's store should hold 2 runs of scope nightly: exit %d\n%s%s", rr.code, rr.stdout, rr.stderr)
	}

	r = driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--fail-on", "never", "--history", "sqlite:"+filepath.Join(dir, "missing", "dir", "h.db"))
	if r.code != 3 || !strings.Contains(r.stdout, "inconclusive: the run history could not be recorded: history: ") {
		t.Errorf("an unwritable history: exit %d\n%s", r.code, r.stdout)
	}
	r = driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--quiet", "--fail-on", "never", "--history", "postgres://dg:hunter2@db/dg")
	if r.code != 3 || strings.Contains(r.stdout+r.stderr, "hunter2") {
		t.Errorf("a DSN: exit %d, printed %s%s", r.code, r.stdout, r.stderr)
	}
}

// A nightly sweep with a history puts the trend of open findings into its job
// summary as a chart; a pull request's summary does not.
func TestActionSweepSummaryChartsTheTrend(t *testing.T) {
	repoRoot(t)
	gh := newFakeGitHub(t)
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "h.db")
	var summary string
	for range 2 {
		env := newRunnerEnv(t, gh.srv.URL, false, demoInputs(t.TempDir(), map[string]string{"history": db}))
		env.vars["GITHUB_EVENT_NAME"] = "schedule"
		env.vars["GITHUB_REF"] = "refs/heads/main"
		os.WriteFile(env.vars["GITHUB_EVENT_PATH"], []byte(`{"schedule":"17 3 * * *"}`), 0o644)
		env.run(t)
		data, _ := os.ReadFile(env.summary)
		summary = string(data)
	}
	if !strings.Contains(summary, "### Open findings over the last 2 runs") || !strings.Contains(summary, "```mermaid\nxychart-beta\n") ||
		!strings.Contains(summary, "**History**: 0 new, ") {
		t.Errorf("the sweep's summary has no trend:\n%s", summary)
	}
	env := newRunnerEnv(t, gh.srv.URL, false, demoInputs(t.TempDir(), map[string]string{"history": db}))
	env.vars["GITHUB_REF"], env.vars["GITHUB_BASE_REF"] = "refs/pull/42/merge", "main"
	env.run(t)
	data, _ := os.ReadFile(env.summary)
	if strings.Contains(string(data), "xychart") || !strings.Contains(string(data), "on refs/heads/main") {
		t.Errorf("a pull request is compared with main and has no chart:\n%s", data)
	}
}

// The same history kept in a real PostgreSQL server, as teams share it:
// runs recorded, lifecycles computed, the trend read back; a wrong password
// is inconclusive and never printed.
func TestHistoryOnPostgres(t *testing.T) {
	repoRoot(t)
	pg := pgtest.Start(t)
	url := pg.CreateDatabase(t, "drift_history")
	for run := range 2 {
		out := filepath.Join(t.TempDir(), "r.json")
		r := driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--history", url, "--history-scope", "nightly", "--json", out)
		if r.code != 1 {
			t.Fatalf("run %d: exit %d %s", run, r.code, r.stderr)
		}
		data, _ := os.ReadFile(out)
		want := `"state": "new"`
		if run == 1 {
			want = `"state": "persisting"`
		}
		if !strings.Contains(string(data), want) || run == 1 && strings.Contains(string(data), `"state": "new"`) {
			t.Errorf("run %d: want every finding %s", run, want)
		}
	}
	r := driftgate("history", "--history", url, "--scope", "nightly")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "scope nightly, last 2 run(s)") {
		t.Errorf("history on PostgreSQL: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	wrong := strings.Replace(url, pg.Password, "not-the-password-42", 1)
	r = driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--fail-on", "never", "--history", wrong)
	if r.code != 3 || !strings.Contains(r.stdout, "the run history could not be recorded: history: postgres:…") ||
		strings.Contains(r.stdout+r.stderr, "not-the-password-42") {
		t.Errorf("a wrong password: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
