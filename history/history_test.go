package history

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/internal/pgtest"
)

func finding(fp, check string) checks.Finding {
	return checks.Finding{Fingerprint: fp, Check: check, Severity: checks.SeverityError, Tenant: "7c3f2e",
		Subject: `module.tenant["7c3f2e"].aws_cloudwatch_metric_alarm.page_fast_short["availability"]`}
}

func all(string, string) bool { return true }

func open(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// eachStore runs a test on SQLite (a temporary file) and on a real
// PostgreSQL server the test starts (skipped when none is installed, unless
// DRIFTGATE_REQUIRE_POSTGRES is set); newURL names a fresh, empty store.
func eachStore(t *testing.T, test func(t *testing.T, newURL func() string)) {
	t.Run("sqlite", func(t *testing.T) {
		test(t, func() string { return "sqlite:" + filepath.Join(t.TempDir(), "h.db") })
	})
	t.Run("postgres", func(t *testing.T) {
		pg := pgtest.Start(t)
		n := 0
		test(t, func() string {
			n++
			return pg.CreateDatabase(t, fmt.Sprintf("history%d", n))
		})
	})
}

func TestLifecycleAcrossRuns(t *testing.T) { eachStore(t, testLifecycleAcrossRuns) }

func testLifecycleAcrossRuns(t *testing.T, newURL func() string) {
	ctx := context.Background()
	s := open(t, newURL())
	day := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	run := func(n int, scope string, judged func(string, string) bool, fs ...checks.Finding) *checks.History {
		t.Helper()
		h, err := s.Record(ctx, Run{Scope: scope, Started: day.AddDate(0, 0, n), Result: "fail"}, fs, judged)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	h := run(0, "nightly", all, finding("a", "alarm-drift"), finding("b", "dead-alarm"), finding("c", "alarm-drift"))
	if !h.Previous.IsZero() || len(h.Resolved) != 0 || h.Tag("a") != "new" || !strings.Contains(h.Summary(), "first run") {
		t.Fatalf("first run: %+v %s", h, h.Summary())
	}
	// A PR run is another scope: it neither sees nor disturbs the nightly one.
	if h := run(1, "refs/pull/7/merge", all, finding("z", "alarm-drift")); !h.Previous.IsZero() {
		t.Errorf("scopes must not mix: %+v", h)
	}
	// Day 2: a persists, c is fixed, d is new; b's check could not look (metrics
	// unread), so b is neither found nor resolved.
	h = run(2, "nightly", func(c, _ string) bool { return c != "dead-alarm" }, finding("a", "alarm-drift"), finding("d", "alarm-drift"))
	if got := h.Tag("a"); got != "persisting since 2026-11-01 (2 runs)" {
		t.Errorf("a: %q", got)
	}
	if h.Tag("d") != "new" || h.Tag("nope") != "" {
		t.Errorf("d: %q", h.Tag("d"))
	}
	if len(h.Resolved) != 1 || h.Resolved[0].Fingerprint != "c" || !h.Resolved[0].FirstSeen.Equal(day) || h.Resolved[0].Check != "alarm-drift" {
		t.Errorf("resolved: %+v", h.Resolved)
	}
	if want := "1 new, 1 persisting (the oldest since 2026-11-01), 1 resolved since the previous run (2026-11-01 02:00 UTC)"; h.Summary() != want {
		t.Errorf("summary %q\nwant    %q", h.Summary(), want)
	}
	// Day 3: c comes back; it is new again relative to day 2, first seen on day 0.
	h = run(3, "nightly", all, finding("a", "alarm-drift"), finding("c", "alarm-drift"))
	if l := h.Lifecycle["c"]; l.State != "new" || l.Runs != 2 || !l.FirstSeen.Equal(day) {
		t.Errorf("c again: %+v", l)
	}
	if l := h.Lifecycle["a"]; l.Runs != 4-1 { // days 0, 2, 3
		t.Errorf("a runs: %+v", l)
	}
	// With --fail-on-new the result is known only once the history says
	// what is new: a run of only persisting findings passes, and is recorded so.
	if _, err := s.Record(ctx, Run{Scope: "nightly", Started: day.AddDate(0, 0, 4), Result: "fail", ResultOf: func(h *checks.History) string {
		if h.Tag("a") == "new" || h.Tag("c") == "new" {
			return "fail"
		}
		return "pass"
	}}, []checks.Finding{finding("a", "alarm-drift"), finding("c", "alarm-drift")}, all); err != nil {
		t.Fatal(err)
	}
	if tr, err := s.Trend(ctx, "nightly", 1); err != nil || len(tr.Runs) != 1 || tr.Runs[0].Result != "pass" {
		t.Errorf("the recorded result: %+v %v", tr, err)
	}
	var types []string
	rows, _ := s.db.Query(`SELECT DISTINCT resource_type FROM findings`)
	for rows.Next() {
		var ty string
		rows.Scan(&ty)
		types = append(types, ty)
	}
	rows.Close()
	if len(types) != 1 || types[0] != "aws_cloudwatch_metric_alarm" {
		t.Errorf("resource types %v", types)
	}
}

func TestSchemaIsVersionedAndReopens(t *testing.T) { eachStore(t, testSchemaIsVersionedAndReopens) }

func testSchemaIsVersionedAndReopens(t *testing.T, newURL func() string) {
	ctx := context.Background()
	path := newURL()
	s := open(t, path)
	if _, err := s.Record(ctx, Run{Scope: "x", Started: time.Now(), Result: "pass"}, []checks.Finding{finding("a", "alarm-drift")}, all); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path) // migrations run once; the data stays
	h, err := s.Record(ctx, Run{Scope: "x", Started: time.Now(), Result: "pass"}, []checks.Finding{finding("a", "alarm-drift")}, all)
	if err != nil || h.Tag("a") == "new" {
		t.Fatalf("after reopening: %v %+v", err, h)
	}
	if _, err := s.db.Exec(`UPDATE schema_version SET version = 99`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "schema version 99 is newer") {
		t.Errorf("a newer schema: %v", err)
	}
}

// Shards of a sweep record at once into one store; on PostgreSQL they also
// create it at once (the migration takes an advisory lock).
func TestShardsWriteAtOnce(t *testing.T) { eachStore(t, testShardsWriteAtOnce) }

func testShardsWriteAtOnce(t *testing.T, newURL func() string) {
	path := newURL()
	if strings.HasPrefix(path, "sqlite:") {
		open(t, path).Close() // created once, as the first shard would
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			s, err := Open(context.Background(), path)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			var fs []checks.Finding
			for j := range 200 {
				fs = append(fs, finding(fmt.Sprintf("%d-%d", i, j), "alarm-drift"))
			}
			_, err = s.Record(context.Background(), Run{Scope: fmt.Sprintf("nightly shard %d/8", i+1), Started: time.Now(), Result: "fail"}, fs, all)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	s := open(t, path)
	var runs, findings int
	s.db.QueryRow(`SELECT COUNT(*) FROM runs`).Scan(&runs)
	s.db.QueryRow(`SELECT COUNT(*) FROM findings`).Scan(&findings)
	if runs != 8 || findings != 1600 {
		t.Errorf("%d runs, %d findings", runs, findings)
	}
}

func TestBadStores(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o500)
	for url, want := range map[string]string{
		"postgres://driftgate:hunter2@127.0.0.1:1/x?connect_timeout=5": "history: postgres:…: failed to connect",
		"mysql://u:hunter2@h/x":                                     `"mysql:…": want sqlite:PATH or postgres://…`,
		"sqlite:" + filepath.Join(ro, "h.db"):                       "history: " + ro,
		"sqlite:" + filepath.Join(dir, "no", "such", "dir", "h.db"): "history:",
	} {
		_, err := Open(ctx, url)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "hunter2") {
			if os.Geteuid() == 0 && strings.HasPrefix(url, "sqlite:"+ro) {
				continue // root writes anywhere
			}
			t.Errorf("%s: %v, want %q and no password", url, err, want)
		}
	}
}

// A store written by the first schema is migrated forward with its history:
// the lifecycle table is filled from the runs already recorded.
func TestMigrationKeepsTheHistory(t *testing.T) { eachStore(t, testMigrationKeepsTheHistory) }

func testMigrationKeepsTheHistory(t *testing.T, newURL func() string) {
	ctx := context.Background()
	path := newURL()
	driver, dsn, first := "pgx", path, (&Store{pg: true}).migration(0)
	if file, ok := strings.CutPrefix(path, "sqlite:"); ok {
		driver, dsn, first = "sqlite", "file:"+file, (&Store{}).migration(0)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`CREATE TABLE schema_version (version INTEGER NOT NULL)`, `INSERT INTO schema_version VALUES (1)`, first,
		`INSERT INTO runs (scope, started_at, result) VALUES ('nightly', '2026-11-01T02:00:00.000000000Z', 'fail'), ('nightly', '2026-11-02T02:00:00.000000000Z', 'fail')`,
		`INSERT INTO findings (run_id, fingerprint, check_id, severity, subject) VALUES (1, 'a', 'alarm-drift', 'error', 's'), (2, 'a', 'alarm-drift', 'error', 's')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	s := open(t, path)
	h, err := s.Record(ctx, Run{Scope: "nightly", Started: time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC), Result: "fail"},
		[]checks.Finding{finding("a", "alarm-drift")}, all)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Tag("a"); got != "persisting since 2026-11-01 (3 runs)" {
		t.Errorf("after migrating: %q", got)
	}
	var version int
	s.db.QueryRow(`SELECT version FROM schema_version`).Scan(&version)
	if version != len(migrations) {
		t.Errorf("schema version %d, want %d", version, len(migrations))
	}
}

// A pull request's run is compared with its base branch's last run, not with
// its own previous push: what the branch already had persists (since the
// base first had it), what the PR adds stays new on every push.
func TestPullRequestComparesWithItsBase(t *testing.T) {
	eachStore(t, testPullRequestComparesWithItsBase)
}

func testPullRequestComparesWithItsBase(t *testing.T, newURL func() string) {
	ctx := context.Background()
	s := open(t, newURL())
	day := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	for i, fs := range [][]checks.Finding{{finding("a", "alarm-drift")}, {finding("a", "alarm-drift"), finding("b", "alarm-drift")}} {
		if _, err := s.Record(ctx, Run{Scope: "refs/heads/main", Started: day.AddDate(0, 0, i), Result: "fail"}, fs, all); err != nil {
			t.Fatal(err)
		}
	}
	for push := range 2 {
		h, err := s.Record(ctx, Run{Scope: "refs/pull/9/merge", Base: "refs/heads/main", Started: day.AddDate(0, 0, 2+push), Result: "fail"},
			[]checks.Finding{finding("a", "alarm-drift"), finding("c", "alarm-drift")}, all)
		if err != nil {
			t.Fatal(err)
		}
		if h.Tag("a") != "persisting since 2026-11-01 (2 runs)" || h.Tag("c") != "new" {
			t.Errorf("push %d: a %q, c %q", push, h.Tag("a"), h.Tag("c"))
		}
		if len(h.Resolved) != 1 || h.Resolved[0].Fingerprint != "b" || h.Base != "refs/heads/main" ||
			!strings.Contains(h.Summary(), "1 new, 1 persisting (the oldest since 2026-11-01) on refs/heads/main's last run (2026-11-02 02:00 UTC), 1 of its findings gone") {
			t.Errorf("push %d: %+v\n%s", push, h.Resolved, h.Summary())
		}
	}
	// The base's own history is untouched by the PR's runs.
	h, err := s.Record(ctx, Run{Scope: "refs/heads/main", Started: day.AddDate(0, 0, 5), Result: "fail"}, []checks.Finding{finding("c", "alarm-drift")}, all)
	if err != nil || h.Tag("c") != "new" || !h.Previous.Equal(day.AddDate(0, 0, 1)) {
		t.Errorf("base after the PR: %v %q %v", err, h.Tag("c"), h.Previous)
	}
}

// A run larger than one batch is recorded whole: every finding once, every
// lifecycle counted, duplicates of a fingerprint within a run kept once.
func TestLargeRunsAreRecordedInBatches(t *testing.T) { eachStore(t, testLargeRuns) }

func testLargeRuns(t *testing.T, newURL func() string) {
	ctx := context.Background()
	s := open(t, newURL())
	var fs []checks.Finding
	for i := range 2*recordBatch + 17 {
		fs = append(fs, finding(fmt.Sprintf("fp%05d", i), "alarm-drift"))
	}
	fs = append(fs, fs[3]) // the same finding reported twice
	day := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	for n := range 2 {
		h, err := s.Record(ctx, Run{Scope: "nightly", Started: day.AddDate(0, 0, n), Result: "fail"}, fs, all)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Lifecycle) != len(fs)-1 {
			t.Fatalf("run %d: %d lifecycles, want %d", n, len(h.Lifecycle), len(fs)-1)
		}
		for fp, l := range h.Lifecycle {
			if l.Runs != n+1 || (n == 0) != (l.State == "new") || !l.FirstSeen.Equal(day) {
				t.Fatalf("run %d: %s %+v", n, fp, l)
			}
		}
	}
	var rows int
	s.db.QueryRow(`SELECT COUNT(*) FROM findings`).Scan(&rows)
	if rows != 2*(len(fs)-1) {
		t.Errorf("%d finding rows, want %d", rows, 2*(len(fs)-1))
	}
}
