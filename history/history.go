// Package history records runs and their findings in a database and says,
// for each finding, whether it is new or since when it persists, and which
// of the previous run's findings were resolved. SQLite (pure Go, the binary
// stays static) is the embedded store: `sqlite:PATH`.
package history

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/driftgate/driftgate/checks"
)

// Store is an open run history.
type Store struct {
	db *sql.DB
}

// Open opens (and migrates) the store a URL names.
func Open(ctx context.Context, url string) (*Store, error) {
	path, ok := strings.CutPrefix(url, "sqlite:")
	switch {
	case ok && strings.ContainsAny(path, "?#"):
		return nil, fmt.Errorf("history: %s: a path with ? or # cannot be opened", path)
	case ok && path != "":
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return nil, errors.New("history: PostgreSQL is not supported yet; use sqlite:PATH")
	default:
		return nil, fmt.Errorf("history: %q: want sqlite:PATH", redactURL(url))
	}
	// Shards of a sweep record at once: every transaction takes the write
	// lock when it begins (a deferred one could not upgrade under WAL and
	// would fail at once) and waits up to 10 s for it.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", path, err)
	}
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("history: %s: %w", path, err)
	}
	return s, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// redactURL keeps a URL's scheme only: DSNs carry passwords.
func redactURL(u string) string {
	if scheme, _, ok := strings.Cut(u, ":"); ok {
		return scheme + ":…"
	}
	return "…"
}

// migrations, in order; the store's schema_version is how many have run.
var migrations = []string{
	`CREATE TABLE runs (
		id INTEGER PRIMARY KEY,
		scope TEXT NOT NULL,
		started_at TEXT NOT NULL,
		commit_sha TEXT NOT NULL DEFAULT '',
		ref TEXT NOT NULL DEFAULT '',
		event TEXT NOT NULL DEFAULT '',
		result TEXT NOT NULL,
		inputs_digest TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX runs_scope_time ON runs(scope, started_at);
	CREATE TABLE findings (
		run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
		fingerprint TEXT NOT NULL,
		check_id TEXT NOT NULL,
		severity TEXT NOT NULL,
		tenant TEXT NOT NULL DEFAULT '',
		scope TEXT NOT NULL DEFAULT '',
		resource_type TEXT NOT NULL DEFAULT '',
		subject TEXT NOT NULL,
		UNIQUE (run_id, fingerprint)
	);
	CREATE INDEX findings_fingerprint ON findings(fingerprint);
	CREATE INDEX findings_tenant ON findings(tenant);
	CREATE INDEX findings_severity ON findings(severity);
	CREATE INDEX findings_resource_type ON findings(resource_type);`,
	// 2: what each finding's lifecycle needs, kept as runs are recorded
	// instead of aggregated over the whole history on every run.
	`CREATE TABLE lifecycle (
		scope TEXT NOT NULL,
		fingerprint TEXT NOT NULL,
		first_seen TEXT NOT NULL,
		runs INTEGER NOT NULL,
		last_run INTEGER NOT NULL,
		PRIMARY KEY (scope, fingerprint)
	);
	INSERT INTO lifecycle (scope, fingerprint, first_seen, runs, last_run)
		SELECT r.scope, f.fingerprint, MIN(r.started_at), COUNT(*), MAX(r.id)
		FROM findings f JOIN runs r ON r.id = f.run_id GROUP BY r.scope, f.fingerprint;`,
	// 3: how many findings each run resolved, as Record judged it (a finding
	// an ignore rule hid, or whose check was not judged, is not resolved).
	`ALTER TABLE runs ADD COLUMN resolved INTEGER;`,
}

func (s *Store) migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var version int
	switch err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&version); {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version VALUES (0)`); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this driftgate knows (%d): upgrade driftgate", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, len(migrations)); err != nil {
		return err
	}
	return tx.Commit()
}

// Run is one run to record.
type Run struct {
	// Scope groups runs that judge the same thing: the previous run of the
	// same scope is what "new" and "resolved" are relative to.
	Scope string
	// Base, when set, is the scope this run is compared with instead of its
	// own: a pull request's run is new or resolved relative to the last run
	// of its base branch, not to its own previous push.
	Base         string
	Started      time.Time
	Commit, Ref  string
	Event        string
	Result       string
	InputsDigest string
}

// Record stores the run and its findings and returns what the history says
// of them. judged reports whether this run judged a previous finding's check
// and did not hide it by an ignore rule: only then is its absence resolved.
//
// The lifecycle table keeps, per scope and fingerprint, when it was first
// seen and in how many runs, so a run costs its own findings and the
// previous run's, whatever the length of the history.
func (s *Store) Record(ctx context.Context, run Run, findings []checks.Finding, judged func(check, fingerprint string) bool) (*checks.History, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	h := &checks.History{Scope: run.Scope, Lifecycle: map[string]checks.Lifecycle{}}
	var prevID int64
	var prevAt string
	base := cmp.Or(run.Base, run.Scope)
	if base != run.Scope {
		h.Base = base
	}
	switch err := tx.QueryRowContext(ctx, `SELECT id, started_at FROM runs WHERE scope = ? ORDER BY started_at DESC, id DESC LIMIT 1`,
		base).Scan(&prevID, &prevAt); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, err
	default:
		h.Previous, _ = time.Parse(timeLayout, prevAt)
	}
	previous, err := runFindings(ctx, tx, prevID)
	if err != nil {
		return nil, err
	}
	started := run.Started.UTC().Format(timeLayout)
	res, err := tx.ExecContext(ctx, `INSERT INTO runs (scope, started_at, commit_sha, ref, event, result, inputs_digest) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		run.Scope, started, run.Commit, run.Ref, run.Event, run.Result, run.InputsDigest)
	if err != nil {
		return nil, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO findings (run_id, fingerprint, check_id, severity, tenant, scope, resource_type, subject)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, fingerprint) DO NOTHING`)
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	seen, err := tx.PrepareContext(ctx, `INSERT INTO lifecycle (scope, fingerprint, first_seen, runs, last_run) VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (scope, fingerprint) DO UPDATE SET runs = lifecycle.runs + 1, last_run = excluded.last_run
		RETURNING first_seen, runs`)
	if err != nil {
		return nil, err
	}
	defer seen.Close()
	for _, f := range findings {
		if _, done := h.Lifecycle[f.Fingerprint]; done {
			continue
		}
		if _, err := ins.ExecContext(ctx, id, f.Fingerprint, f.Check, f.Severity.String(), f.Tenant, f.Scope, resourceType(f.Subject), f.Subject); err != nil {
			return nil, err
		}
		var first string
		l := checks.Lifecycle{State: "new"}
		if err := seen.QueryRowContext(ctx, run.Scope, f.Fingerprint, started, id).Scan(&first, &l.Runs); err != nil {
			return nil, err
		}
		if _, ok := previous[f.Fingerprint]; ok {
			l.State = "persisting"
			if base != run.Scope { // since when the base has had it
				if err := tx.QueryRowContext(ctx, `SELECT first_seen, runs FROM lifecycle WHERE scope = ? AND fingerprint = ?`,
					base, f.Fingerprint).Scan(&first, &l.Runs); err != nil && !errors.Is(err, sql.ErrNoRows) {
					return nil, err
				}
			}
		}
		l.FirstSeen, _ = time.Parse(timeLayout, first)
		h.Lifecycle[f.Fingerprint] = l
	}
	// The previous run's findings this run judged and does not have.
	for _, r := range previous {
		if _, still := h.Lifecycle[r.Fingerprint]; still || !judged(r.Check, r.Fingerprint) {
			continue
		}
		var first string
		err := tx.QueryRowContext(ctx, `SELECT first_seen FROM lifecycle WHERE scope = ? AND fingerprint = ?`, base, r.Fingerprint).Scan(&first)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		r.FirstSeen, _ = time.Parse(timeLayout, first)
		h.Resolved = append(h.Resolved, r)
	}
	slices.SortFunc(h.Resolved, func(a, b checks.Resolved) int {
		return cmp.Or(cmp.Compare(a.Check, b.Check), cmp.Compare(a.Tenant, b.Tenant), cmp.Compare(a.Subject, b.Subject))
	})
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET resolved = ? WHERE id = ?`, len(h.Resolved), id); err != nil {
		return nil, err
	}
	return h, tx.Commit()
}

// runFindings are one run's findings by fingerprint; none for run 0.
func runFindings(ctx context.Context, tx *sql.Tx, runID int64) (map[string]checks.Resolved, error) {
	out := map[string]checks.Resolved{}
	if runID == 0 {
		return out, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT fingerprint, check_id, severity, tenant, subject FROM findings WHERE run_id = ?`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r checks.Resolved
		if err := rows.Scan(&r.Fingerprint, &r.Check, &r.Severity, &r.Tenant, &r.Subject); err != nil {
			return nil, err
		}
		out[r.Fingerprint] = r
	}
	return out, rows.Err()
}

// resourceType is a Terraform address's resource type, "" for other subjects.
func resourceType(subject string) string {
	for _, part := range strings.Split(subject, ".") {
		if strings.HasPrefix(part, "aws_") || strings.HasPrefix(part, "pagerduty_") {
			if i := strings.IndexByte(part, '['); i >= 0 {
				part = part[:i]
			}
			return part
		}
	}
	return ""
}

// timeLayout sorts as text: fixed width, always UTC.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// RunSummary is one recorded run and its findings by severity.
type RunSummary struct {
	Started  time.Time      `json:"started"`
	Commit   string         `json:"commit,omitempty"`
	Result   string         `json:"result"`
	Counts   map[string]int `json:"counts"`   // by severity
	New      int            `json:"new"`      // not in the scope's run before
	Resolved int            `json:"resolved"` // as the run recorded them
}

// Trend is the last n runs of a scope, oldest first, and the latest run's
// findings by tenant and by check.
type Trend struct {
	Scope    string                    `json:"scope"`
	Runs     []RunSummary              `json:"runs"`
	ByTenant map[string]map[string]int `json:"by_tenant"` // tenant -> severity -> count
	ByCheck  map[string]map[string]int `json:"by_check"`
}

// Trend reads the history of a scope.
func (s *Store) Trend(ctx context.Context, scope string, n int) (*Trend, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, started_at, commit_sha, result, resolved FROM runs WHERE scope = ? ORDER BY started_at DESC, id DESC LIMIT ?`, scope, n+1)
	if err != nil {
		return nil, err
	}
	type runRow struct {
		id       int64
		resolved sql.NullInt64
		RunSummary
	}
	var runs []runRow
	for rows.Next() {
		var r runRow
		var at string
		if err := rows.Scan(&r.id, &at, &r.Commit, &r.Result, &r.resolved); err != nil {
			rows.Close()
			return nil, err
		}
		r.Started, _ = time.Parse(timeLayout, at)
		r.Counts = map[string]int{"error": 0, "warning": 0, "note": 0}
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Reverse(runs)
	t := &Trend{Scope: scope, Runs: []RunSummary{}, ByTenant: map[string]map[string]int{}, ByCheck: map[string]map[string]int{}}
	for i, r := range runs {
		if err := s.countInto(ctx, `SELECT severity, COUNT(*) FROM findings WHERE run_id = ? GROUP BY severity`, r.Counts, r.id); err != nil {
			return nil, err
		}
		if i == 0 && len(runs) > n {
			continue // only the run before the first shown, to count its news
		}
		var prev int64
		if i > 0 {
			prev = runs[i-1].id
		}
		const gone = `SELECT COUNT(*) FROM findings WHERE run_id = ? AND fingerprint NOT IN (SELECT fingerprint FROM findings WHERE run_id = ?)`
		if err := s.db.QueryRowContext(ctx, gone, r.id, prev).Scan(&r.New); err != nil {
			return nil, err
		}
		switch {
		case r.resolved.Valid:
			r.Resolved = int(r.resolved.Int64)
		case prev != 0: // recorded before migration 3: what is gone
			if err := s.db.QueryRowContext(ctx, gone, prev, r.id).Scan(&r.Resolved); err != nil {
				return nil, err
			}
		}
		t.Runs = append(t.Runs, r.RunSummary)
	}
	if len(runs) == 0 {
		return t, nil
	}
	last := runs[len(runs)-1].id
	for key, into := range map[string]map[string]map[string]int{"tenant": t.ByTenant, "check_id": t.ByCheck} {
		rows, err := s.db.QueryContext(ctx, `SELECT `+key+`, severity, COUNT(*) FROM findings WHERE run_id = ? GROUP BY `+key+`, severity`, last)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k, sev string
			var c int
			if err := rows.Scan(&k, &sev, &c); err != nil {
				rows.Close()
				return nil, err
			}
			if into[k] == nil {
				into[k] = map[string]int{}
			}
			into[k][sev] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (s *Store) countInto(ctx context.Context, q string, into map[string]int, args ...any) error {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var c int
		if err := rows.Scan(&k, &c); err != nil {
			return err
		}
		into[k] = c
	}
	return rows.Err()
}
