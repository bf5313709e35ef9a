// Package history records runs and their findings in a database and says,
// for each finding, whether it is new or since when it persists, and which
// of the previous run's findings were resolved. SQLite (pure Go, the binary
// stays static) is the embedded store: `sqlite:PATH`.
package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	Scope        string
	Started      time.Time
	Commit, Ref  string
	Event        string
	Result       string
	InputsDigest string
}

// Record stores the run and its findings and returns what the history says
// of them. judged reports whether a check judged the finding's scope in this
// run: a previous finding of a check not judged now is not resolved.
func (s *Store) Record(ctx context.Context, run Run, findings []checks.Finding, judged func(check string) bool) (*checks.History, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	h := &checks.History{Lifecycle: map[string]checks.Lifecycle{}}
	var prevID int64
	var prevAt string
	switch err := tx.QueryRowContext(ctx, `SELECT id, started_at FROM runs WHERE scope = ? ORDER BY started_at DESC, id DESC LIMIT 1`,
		run.Scope).Scan(&prevID, &prevAt); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, err
	default:
		h.Previous, _ = time.Parse(timeLayout, prevAt)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO runs (scope, started_at, commit_sha, ref, event, result, inputs_digest) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		run.Scope, run.Started.UTC().Format(timeLayout), run.Commit, run.Ref, run.Event, run.Result, run.InputsDigest)
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
	for _, f := range findings {
		if _, err := ins.ExecContext(ctx, id, f.Fingerprint, f.Check, f.Severity.String(), f.Tenant, f.Scope, resourceType(f.Subject), f.Subject); err != nil {
			return nil, err
		}
	}
	// Each finding of this run: how many runs of the scope had it, since when,
	// and whether the previous run had it.
	rows, err := tx.QueryContext(ctx, `SELECT f.fingerprint, MIN(r.started_at), COUNT(*), MAX(r.id = ?)
		FROM findings f JOIN runs r ON r.id = f.run_id
		WHERE r.scope = ? AND f.fingerprint IN (SELECT fingerprint FROM findings WHERE run_id = ?)
		GROUP BY f.fingerprint`, prevID, run.Scope, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var fp, first string
		var n int
		var inPrev bool
		if err := rows.Scan(&fp, &first, &n, &inPrev); err != nil {
			rows.Close()
			return nil, err
		}
		l := checks.Lifecycle{State: "new", Runs: n}
		l.FirstSeen, _ = time.Parse(timeLayout, first)
		if inPrev {
			l.State = "persisting"
		}
		h.Lifecycle[fp] = l
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if prevID != 0 {
		if h.Resolved, err = resolved(ctx, tx, run.Scope, prevID, id, judged); err != nil {
			return nil, err
		}
	}
	return h, tx.Commit()
}

// resolved lists the previous run's findings this run does not have, of
// checks this run judged.
func resolved(ctx context.Context, tx *sql.Tx, scope string, prevID, id int64, judged func(string) bool) ([]checks.Resolved, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.fingerprint, p.check_id, p.severity, p.tenant, p.subject,
			(SELECT MIN(r.started_at) FROM findings f JOIN runs r ON r.id = f.run_id WHERE r.scope = ? AND f.fingerprint = p.fingerprint)
		FROM findings p WHERE p.run_id = ? AND p.fingerprint NOT IN (SELECT fingerprint FROM findings WHERE run_id = ?)
		ORDER BY p.check_id, p.tenant, p.subject`, scope, prevID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []checks.Resolved
	for rows.Next() {
		var r checks.Resolved
		var first string
		if err := rows.Scan(&r.Fingerprint, &r.Check, &r.Severity, &r.Tenant, &r.Subject, &first); err != nil {
			return nil, err
		}
		if !judged(r.Check) {
			continue
		}
		r.FirstSeen, _ = time.Parse(timeLayout, first)
		out = append(out, r)
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
