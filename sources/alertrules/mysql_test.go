package alertrules

import (
	"context"
	"strconv"
	"testing"

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
	testTypes(t, "mysql", mysqlSchema, []typeCase{
		{"time and decimal", "TIME", "DECIMAL(5,2)", "'00:05:00'", "'06:00:00'"},
		{"text and double", "varchar(16)", "DOUBLE", "'5m'", "'6h'"},
		{"seconds and float", "INT", "FLOAT", "300", "21600"},
		{"text threshold", "varchar(16)", "varchar(16)", "'300'", "'6h'"},
	}, func(db string) string { return my.CreateDatabase(t, db) }, func(db, sql string) { my.Exec(t, db, sql) })

	dsn := my.CreateDatabase(t, "faults")
	my.Exec(t, "faults", sprintf(mysqlSchema, "TIME", "DECIMAL(5,2)", "'00:05:00'", "'06:00:00'"))
	t.Run("as a URL", func(t *testing.T) {
		rules, err := Read(context.Background(), source("mysql"), "mysql://"+my.User+":"+my.Password+"@"+my.Host+":"+strconv.Itoa(my.Port)+"/faults")
		if err != nil || len(rules) != 2 {
			t.Fatalf("%d rules, %v", len(rules), err)
		}
	})
	testFaults(t, faultServer{driver: "mysql", dsn: dsn, password: my.Password, badPassword: func(pw string) string {
		bad := *my
		bad.Password = pw
		return bad.DSN("faults")
	}, exec: func(sql string) { my.Exec(t, "faults", sql) }, refusedPassword: "Access denied",
		sleep: "SELECT *, SLEEP(5) FROM alert_rules", write: "DELETE FROM alert_rules", readOnly: "READ ONLY transaction",
		notDSN: "app:s3cr3t@tcp(db"})
}
