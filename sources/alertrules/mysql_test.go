package alertrules

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/internal/mysqltest"
)

// MySQL has no text primary keys and quotes names with backticks.
const mysqlSchema = "CREATE TABLE alert_rules (" +
	"rule_id varchar(64) PRIMARY KEY, tenant_id varchar(64), service_type varchar(32) NOT NULL, metric varchar(64), " +
	"`window` %s, threshold_percent %s, severity varchar(16), alarm_name varchar(255), pagerduty_service varchar(255));" +
	`INSERT INTO alert_rules VALUES
	('r-1', '7c3f2e', 'multi_tenant', 'error_rate', %s, 4.80, 'PAGE', 'slo-7c3f2e-availability-page-fast-5m', 'checkout-7c3f2e'),
	('r-2', '7c3f2e', 'multi_tenant', 'error_rate', %s, 1.25, 'ticket', NULL, NULL),
	('r-3', '0a1b2c', 'single_tenant', 'error_rate', NULL, 9, 'page', NULL, NULL)`

func TestMySQL(t *testing.T) {
	my := mysqltest.Start(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, window, threshold, w1, w2 string
	}{
		{"time and decimal", "TIME", "DECIMAL(5,2)", "'00:05:00'", "'06:00:00'"},
		{"text and double", "varchar(16)", "DOUBLE", "'5m'", "'6h'"},
		{"seconds and float", "INT", "FLOAT", "300", "21600"},
		{"text threshold", "varchar(16)", "varchar(16)", "'300'", "'6h'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := strings.NewReplacer(" ", "_").Replace(tc.name)
			dsn := my.CreateDatabase(t, db)
			my.Exec(t, db, sprintf(mysqlSchema, tc.window, tc.threshold, tc.w1, tc.w2))
			rules, err := Read(ctx, source("mysql"), dsn)
			if err != nil {
				t.Fatal(err)
			}
			checkRules(t, rules)
		})
	}

	dsn := my.CreateDatabase(t, "faults")
	my.Exec(t, "faults", sprintf(mysqlSchema, "TIME", "DECIMAL(5,2)", "'00:05:00'", "'06:00:00'"))
	t.Run("as a URL", func(t *testing.T) {
		rules, err := Read(ctx, source("mysql"), "mysql://"+my.User+":"+my.Password+"@"+my.Host+":"+itoa(my.Port)+"/faults")
		if err != nil || len(rules) != 2 {
			t.Fatalf("%d rules, %v", len(rules), err)
		}
	})
	t.Run("missing column", func(t *testing.T) {
		src := source("mysql")
		src.Columns["threshold_percent"] = "threshold_pct"
		_, err := Read(ctx, src, dsn)
		var in *InputError
		if !errors.As(err, &in) || !strings.Contains(err.Error(), `no column "threshold_pct" (for threshold_percent)`) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("NULL threshold", func(t *testing.T) {
		my.Exec(t, "faults", "INSERT INTO alert_rules VALUES ('r-9', 'ab34cd', 'multi_tenant', 'error_rate', NULL, NULL, 'page', NULL, NULL)")
		defer my.Exec(t, "faults", "DELETE FROM alert_rules WHERE rule_id = 'r-9'")
		_, err := Read(ctx, source("mysql"), dsn)
		if err == nil || err.Error() != "alert_rules (mysql rules) rule_id=r-9: threshold_percent is NULL" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		bad := *my
		bad.Password = "hunter2-not-it"
		_, err := Read(ctx, source("mysql"), bad.DSN("faults"))
		var in *InputError
		if err == nil || errors.As(err, &in) {
			t.Fatalf("err = %v, want a read failure", err)
		}
		if strings.Contains(err.Error(), "hunter2-not-it") || strings.Contains(err.Error(), my.Password) {
			t.Fatalf("the error prints the password: %v", err)
		}
		if !strings.Contains(err.Error(), "Access denied") {
			t.Errorf("err = %v, want the server's reason", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		src := source("mysql")
		src.Query = "SELECT *, SLEEP(5) FROM alert_rules"
		src.Timeout = 500 * time.Millisecond
		start := time.Now()
		_, err := Read(ctx, src, dsn)
		if err == nil || !strings.Contains(err.Error(), "timeout (500ms)") {
			t.Fatalf("err = %v", err)
		}
		if time.Since(start) > 4*time.Second {
			t.Errorf("the query ran on past its timeout: %s", time.Since(start))
		}
	})
	t.Run("read only", func(t *testing.T) {
		src := source("mysql")
		src.Query = "DELETE FROM alert_rules"
		_, err := Read(ctx, src, dsn)
		if err == nil || !strings.Contains(err.Error(), "READ ONLY transaction") {
			t.Fatalf("err = %v", err)
		}
		rules, err := Read(ctx, source("mysql"), dsn)
		if err != nil || len(rules) != 2 {
			t.Fatalf("after the refused DELETE: %d rules, %v", len(rules), err)
		}
	})
	t.Run("not a DSN", func(t *testing.T) {
		_, err := Read(ctx, source("mysql"), "app:s3cr3t@tcp(db")
		if err == nil || strings.Contains(err.Error(), "s3cr3t") {
			t.Fatalf("err = %v", err)
		}
	})
}

func itoa(n int) string { return strings.TrimSpace(sprintf("%d", n)) }
