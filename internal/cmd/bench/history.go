package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"time"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/history"
	"github.com/driftgate/driftgate/internal/pgtest"
)

// historyBench records a run of n findings against a SQLite history that
// already holds `runs` such runs (most findings persisting, a few new and
// resolved each day), and compares the time with the check's own wall.
func historyBench(dir string, n, runs int, checkWall time.Duration) {
	ctx := context.Background()
	path := filepath.Join(dir, "history.db")
	store, err := history.Open(ctx, "sqlite:"+path)
	if err != nil {
		fail(err)
	}
	store.Close()
	// The past runs go in directly: recording each through Record would
	// time the fill, not the run.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		fail(err)
	}
	start := time.Now()
	tx, err := db.Begin()
	if err != nil {
		fail(err)
	}
	insRun, _ := tx.Prepare(`INSERT INTO runs (id, scope, started_at, result) VALUES (?, 'nightly', ?, 'fail')`)
	insFinding, _ := tx.Prepare(`INSERT INTO findings (run_id, fingerprint, check_id, severity, tenant, resource_type, subject) VALUES (?, ?, 'alarm-drift', 'error', ?, 'aws_cloudwatch_metric_alarm', ?)`)
	day := time.Now().UTC().AddDate(0, 0, -runs)
	for r := 1; r <= runs; r++ {
		if _, err := insRun.Exec(r, day.AddDate(0, 0, r-1).Format("2006-01-02T15:04:05.000000000Z")); err != nil {
			fail(err)
		}
		for i := range n {
			fp := fmt.Sprintf("f%05d", i+r/30*50) // every 30 days 50 are fixed and 50 appear
			if _, err := insFinding.Exec(r, fp, fmt.Sprintf("t%03d", i%500), "alarm "+fp); err != nil {
				fail(err)
			}
		}
	}
	// As recording them would have left it.
	if _, err := tx.Exec(`INSERT INTO lifecycle (scope, fingerprint, first_seen, runs, last_run)
		SELECT r.scope, f.fingerprint, MIN(r.started_at), COUNT(*), MAX(r.id) FROM findings f JOIN runs r ON r.id = f.run_id
		GROUP BY r.scope, f.fingerprint`); err != nil {
		fail(err)
	}
	if err := tx.Commit(); err != nil {
		fail(err)
	}
	db.Close()
	fill := time.Since(start)

	recordBench("SQLite", "sqlite:"+path, n, runs, fill, checkWall)
	historyBenchPostgres(n, runs, checkWall)
}

// recordBench times opening the store and recording one run of n findings.
func recordBench(label, url string, n, runs int, fill, checkWall time.Duration) {
	ctx := context.Background()
	findings := make([]checks.Finding, n)
	for i := range findings {
		fp := fmt.Sprintf("f%05d", i+(runs+1)/30*50+10)
		findings[i] = checks.Finding{Fingerprint: fp, Check: "alarm-drift", Severity: checks.SeverityError,
			Tenant: fmt.Sprintf("t%03d", i%500), Subject: "alarm " + fp}
	}
	start := time.Now()
	store, err := history.Open(ctx, url)
	if err != nil {
		fail(err)
	}
	h, err := store.Record(ctx, history.Run{Scope: "nightly", Started: time.Now(), Result: "fail"}, findings, func(string, string) bool { return true })
	if err != nil {
		fail(err)
	}
	store.Close()
	took := time.Since(start)
	fmt.Printf("\nhistory (%s): recording a %d-finding run against %d runs (%d finding rows, filled in %s): %s (%s; %s), %.2fx the check's wall (%s)\n",
		label, n, runs, n*runs, fill.Round(time.Millisecond), took.Round(time.Millisecond), h.Summary(), "lifecycle of every finding and the resolved list",
		float64(took)/float64(checkWall), checkWall.Round(time.Millisecond))
}

// historyBenchPostgres is the same on a throwaway PostgreSQL server, filled
// server-side; skipped, and said so, where PostgreSQL is not installed.
func historyBenchPostgres(n, runs int, checkWall time.Duration) {
	pg, err := pgtest.Launch()
	if err != nil {
		fmt.Printf("\nhistory (PostgreSQL): skipped: %v\n", err)
		return
	}
	defer pg.Stop()
	if err := pg.Run("postgres", "CREATE DATABASE history"); err != nil {
		fail(err)
	}
	url := pg.DSN("history")
	store, err := history.Open(context.Background(), url)
	if err != nil {
		fail(err)
	}
	store.Close()
	start := time.Now()
	if err := pg.Run("history", fmt.Sprintf(`
		INSERT INTO runs (id, scope, started_at, result)
			SELECT r, 'nightly', to_char((now() AT TIME ZONE 'utc') - (%[1]d - r + 1) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.US"000Z"'), 'fail'
			FROM generate_series(1, %[1]d) r;
		SELECT setval(pg_get_serial_sequence('runs', 'id'), %[1]d);
		INSERT INTO findings (run_id, fingerprint, check_id, severity, tenant, resource_type, subject)
			SELECT r, 'f' || lpad((i + r / 30 * 50)::text, 5, '0'), 'alarm-drift', 'error', 't' || lpad((i %% 500)::text, 3, '0'),
				'aws_cloudwatch_metric_alarm', 'alarm f' || lpad((i + r / 30 * 50)::text, 5, '0')
			FROM generate_series(1, %[1]d) r, generate_series(0, %[2]d - 1) i;
		INSERT INTO lifecycle (scope, fingerprint, first_seen, runs, last_run)
			SELECT r.scope, f.fingerprint, MIN(r.started_at), COUNT(*), MAX(r.id) FROM findings f JOIN runs r ON r.id = f.run_id
			GROUP BY r.scope, f.fingerprint;
		ANALYZE;`, runs, n)); err != nil {
		fail(err)
	}
	recordBench("PostgreSQL", url, n, runs, time.Since(start), checkWall)
}
