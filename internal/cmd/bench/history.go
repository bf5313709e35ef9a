package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"time"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/history"
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

	findings := make([]checks.Finding, n)
	for i := range findings {
		fp := fmt.Sprintf("f%05d", i+(runs+1)/30*50+10)
		findings[i] = checks.Finding{Fingerprint: fp, Check: "alarm-drift", Severity: checks.SeverityError,
			Tenant: fmt.Sprintf("t%03d", i%500), Subject: "alarm " + fp}
	}
	start = time.Now()
	store, err = history.Open(ctx, "sqlite:"+path)
	if err != nil {
		fail(err)
	}
	h, err := store.Record(ctx, history.Run{Scope: "nightly", Started: time.Now(), Result: "fail"}, findings, func(string, string) bool { return true })
	if err != nil {
		fail(err)
	}
	store.Close()
	took := time.Since(start)
	fmt.Printf("\nhistory (SQLite): recording a %d-finding run against %d runs (%d finding rows, filled in %s): %s (%s; %s), %.2fx the check's wall (%s)\n",
		n, runs, n*runs, fill.Round(time.Millisecond), took.Round(time.Millisecond), h.Summary(), "lifecycle of every finding and the resolved list",
		float64(took)/float64(checkWall), checkWall.Round(time.Millisecond))
}
