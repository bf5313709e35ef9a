package alertrules

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/internal/pgtest"
	"github.com/driftgate/driftgate/model"
)

const schema = `
CREATE TABLE alert_rules (
	rule_id text PRIMARY KEY,
	tenant_id text,
	service_type text NOT NULL,
	metric text,
	"window" %s,
	threshold_percent %s,
	severity text,
	alarm_name text,
	pagerduty_service text
);
INSERT INTO alert_rules VALUES
	('r-1', '7c3f2e', 'multi_tenant', 'error_rate', %s, 4.80, 'PAGE', 'slo-7c3f2e-availability-page-fast-5m', 'checkout-7c3f2e'),
	('r-2', '7c3f2e', 'multi_tenant', 'error_rate', %s, 1.25, 'ticket', NULL, NULL),
	('r-3', '0a1b2c', 'single_tenant', 'error_rate', NULL, 9, 'page', NULL, NULL);
`

func source(driver string) model.AlertRuleSource {
	cols := map[string]string{}
	for _, c := range []string{"rule_id", "tenant_id", "metric", "window", "threshold_percent", "severity", "alarm_name", "pagerduty_service"} {
		cols[c] = c
	}
	return model.AlertRuleSource{Name: driver + " rules", Driver: driver, Query: "SELECT * FROM alert_rules WHERE service_type = 'multi_tenant' ORDER BY rule_id",
		Table: "alert_rules", Columns: cols, Timeout: 10 * time.Second, Location: model.Location{File: ".driftgate.yml", Line: 7}}
}

func checkRules(t *testing.T, rules []*model.AlertRule) {
	t.Helper()
	if len(rules) != 2 {
		t.Fatalf("got %d rules, want the 2 multi-tenant ones", len(rules))
	}
	r := rules[0]
	if r.Key != "r-1" || r.Tenant != "7c3f2e" || r.Window != 5*time.Minute || !r.Threshold.Known || !model.Near(r.Threshold.Value, 0.048, 1e-12) ||
		r.Severity != "page" || r.AlarmName != "slo-7c3f2e-availability-page-fast-5m" || r.PagerDutyService != "checkout-7c3f2e" || r.Location.Line != 7 {
		t.Errorf("rule r-1 = %+v", r)
	}
	if r := rules[1]; r.Window != 6*time.Hour || r.AlarmName != "" || r.PagerDutyService != "" || !model.Near(r.Threshold.Value, 0.0125, 1e-12) {
		t.Errorf("rule r-2 (NULL alarm and service) = %+v", r)
	}
	if got := rules[0].Ref(); got != "alert_rules rule_id=r-1" {
		t.Errorf("Ref = %q", got)
	}
}

// typeCase is a schema of the fixture with the window and threshold
// columns of one type each, and r-1's and r-2's windows written in it.
type typeCase struct{ name, window, threshold, w1, w2 string }

// testTypes loads the fixture once for each column type and reads it back:
// every type gives the same rules.
func testTypes(t *testing.T, driver, schema string, cases []typeCase, create func(db string) string, exec func(db, sql string)) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := strings.NewReplacer(" ", "_").Replace(tc.name)
			dsn := create(db)
			exec(db, sprintf(schema, tc.window, tc.threshold, tc.w1, tc.w2))
			rules, err := Read(context.Background(), source(driver), dsn)
			if err != nil {
				t.Fatal(err)
			}
			checkRules(t, rules)
		})
	}
}

func TestPostgres(t *testing.T) {
	pg := pgtest.Start(t)
	testTypes(t, "postgres", schema, []typeCase{
		{"interval and numeric", "interval", "numeric(5,2)", "interval '5 minutes'", "interval '6 hours'"},
		{"text and double", "text", "double precision", "'5m'", "'6h'"},
		{"seconds and double", "integer", "double precision", "300", "21600"},
		{"text threshold", "text", "text", "'00:05:00'", "'06:00:00'"},
	}, func(db string) string { return pg.CreateDatabase(t, db) }, func(db, sql string) { pg.Exec(t, db, sql) })

	dsn := pg.CreateDatabase(t, "faults")
	pg.Exec(t, "faults", sprintf(schema, "interval", "numeric", "interval '5m'", "interval '6h'"))
	testFaults(t, faultServer{driver: "postgres", dsn: dsn, password: pg.Password, badPassword: func(pw string) string {
		bad := *pg
		bad.Password = pw
		return bad.DSN("faults")
	}, exec: func(sql string) { pg.Exec(t, "faults", sql) }, refusedPassword: "password authentication failed",
		sleep: "SELECT *, pg_sleep(5) FROM alert_rules", write: "DELETE FROM alert_rules RETURNING *", readOnly: "read-only transaction",
		notDSN: "host=x password=s3cr3t port=notaport"})
}

// faultServer is a database with the fixture's faults table, and how its
// engine says what it refuses.
type faultServer struct {
	driver, dsn, password string
	badPassword           func(password string) string // the DSN with another password
	exec                  func(sql string)
	refusedPassword       string // the server's words for a wrong password
	sleep, write          string // a query past any timeout, one that writes
	readOnly              string // the server's words for a write in a read-only transaction
	notDSN                string // a malformed DSN holding the password s3cr3t
}

// testFaults is what every driver must do with bad rows and failing reads:
// input errors naming the table and key; read failures that say why and
// never print the password; the statement timeout; no writes.
func testFaults(t *testing.T, db faultServer) {
	ctx := context.Background()
	t.Run("missing column", func(t *testing.T) {
		src := source(db.driver)
		src.Columns["threshold_percent"] = "threshold_pct"
		_, err := Read(ctx, src, db.dsn)
		var in *InputError
		if !errors.As(err, &in) || !strings.Contains(err.Error(), `no column "threshold_pct" (for threshold_percent)`) || !strings.Contains(err.Error(), "alert_rules ("+db.driver+" rules)") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("NULL threshold", func(t *testing.T) {
		db.exec("INSERT INTO alert_rules VALUES ('r-9', 'ab34cd', 'multi_tenant', 'error_rate', NULL, NULL, 'page', NULL, NULL)")
		defer db.exec("DELETE FROM alert_rules WHERE rule_id = 'r-9'")
		_, err := Read(ctx, source(db.driver), db.dsn)
		var in *InputError
		if !errors.As(err, &in) || err.Error() != "alert_rules ("+db.driver+" rules) rule_id=r-9: threshold_percent is NULL" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		_, err := Read(ctx, source(db.driver), db.badPassword("hunter2-not-it"))
		var in *InputError
		if err == nil || errors.As(err, &in) {
			t.Fatalf("err = %v, want a read failure", err)
		}
		if strings.Contains(err.Error(), "hunter2-not-it") || strings.Contains(err.Error(), db.password) {
			t.Fatalf("the error prints the password: %v", err)
		}
		if !strings.Contains(err.Error(), db.refusedPassword) {
			t.Errorf("err = %v, want the server's reason", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		src := source(db.driver)
		src.Query = db.sleep
		src.Timeout = 500 * time.Millisecond
		start := time.Now()
		_, err := Read(ctx, src, db.dsn)
		if err == nil || !strings.Contains(err.Error(), "timeout (500ms)") {
			t.Fatalf("err = %v", err)
		}
		if time.Since(start) > 4*time.Second {
			t.Errorf("the query ran on past its timeout: %s", time.Since(start))
		}
	})
	t.Run("read only", func(t *testing.T) {
		src := source(db.driver)
		src.Query = db.write
		_, err := Read(ctx, src, db.dsn)
		if err == nil || !strings.Contains(err.Error(), db.readOnly) {
			t.Fatalf("err = %v", err)
		}
		rules, err := Read(ctx, source(db.driver), db.dsn)
		if err != nil || len(rules) != 2 {
			t.Fatalf("after the refused write: %d rules, %v", len(rules), err)
		}
	})
	t.Run("not a DSN", func(t *testing.T) {
		_, err := Read(ctx, source(db.driver), db.notDSN)
		if err == nil || strings.Contains(err.Error(), "s3cr3t") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(sprintf(schema, "text", "real", "'5m'", "'6h'")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ctx := context.Background()
	rules, err := Read(ctx, source("sqlite"), path)
	if err != nil {
		t.Fatal(err)
	}
	checkRules(t, rules)
	src := source("sqlite")
	src.Query = "DELETE FROM alert_rules RETURNING *"
	if _, err := Read(ctx, src, path); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Fatalf("a write through a sqlite source: %v", err)
	}
	if _, err := Read(ctx, source("sqlite"), filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Fatal("a missing database file read as an empty table")
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
