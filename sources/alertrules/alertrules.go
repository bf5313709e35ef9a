// Package alertrules reads a team's alert rule table (SQL alert_rules) into
// the model as declared alert rules: PostgreSQL through pgx, MySQL and
// MariaDB through go-sql-driver, SQLite through a pure-Go driver. The query runs in a read-only transaction with a statement
// timeout; the DSN comes from the caller (which takes it from the
// environment) and never appears in an error.
package alertrules

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	secret "github.com/driftgate/driftgate/internal/dsn"
	"github.com/driftgate/driftgate/live/snapshot"
	"github.com/driftgate/driftgate/model"
)

// required are the columns every query must return.
var required = []string{"rule_id", "tenant_id", "threshold_percent"}

// InputError is a table whose content is wrong: a missing column, a value
// of the wrong type. It names the table and the rule's key; the run stops
// with exit 2.
type InputError struct {
	Source, Table, Key string
	Msg                string
}

func (e *InputError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("%s (%s): %s", e.Table, e.Source, e.Msg)
	}
	return fmt.Sprintf("%s (%s) rule_id=%s: %s", e.Table, e.Source, e.Key, e.Msg)
}

// Read runs the source's query and returns its rules. An *InputError means
// the rows are wrong; any other error means the table could not be read
// (connection, permissions, timeout) and its checks are not judged. Neither
// contains the DSN or its password.
func Read(ctx context.Context, src model.AlertRuleSource, dsn string) ([]*model.AlertRule, error) {
	rules, err := read(ctx, src, dsn)
	var in *InputError
	if err != nil && !errors.As(err, &in) {
		err = errors.New(secret.Redact(describe(err, src.Timeout), dsn))
	}
	return rules, err
}

func read(ctx context.Context, src model.AlertRuleSource, dsn string) (rules []*model.AlertRule, err error) {
	timeout := src.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	defer func() {
		// A driver that loses the connection as the deadline passes says
		// only that: the deadline is the reason.
		var in *InputError
		if err != nil && !errors.As(err, &in) && errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w (%v)", context.DeadlineExceeded, err)
		}
	}()
	db, err := open(src.Driver, dsn, timeout)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: src.Driver != "sqlite"}) // sqlite: read-only at the file
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	// The server stops the query too, should the client's deadline not reach it.
	if err := serverTimeout(ctx, tx, src.Driver, timeout); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, src.Query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	index, err := columnIndex(src, cols)
	if err != nil {
		return nil, err
	}
	var out []*model.AlertRule
	seen := map[string]bool{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r, err := rule(src, index, vals)
		if err != nil {
			return nil, err
		}
		if seen[r.Key] {
			return nil, &InputError{Source: src.Name, Table: src.Table, Key: r.Key, Msg: "appears twice: rule_id must be unique"}
		}
		seen[r.Key] = true
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// serverTimeout sets the server's own statement timeout for the
// transaction: PostgreSQL's statement_timeout, MySQL's max_execution_time,
// or MariaDB's max_statement_time (MariaDB has no max_execution_time).
func serverTimeout(ctx context.Context, tx *sql.Tx, driver string, timeout time.Duration) error {
	switch driver {
	case "postgres":
		_, err := tx.ExecContext(ctx, fmt.Sprintf("SET LOCAL statement_timeout = %d", timeout.Milliseconds()))
		return err
	case "mysql":
		_, err := tx.ExecContext(ctx, fmt.Sprintf("SET SESSION max_execution_time = %d", timeout.Milliseconds()))
		var my *mysql.MySQLError
		if errors.As(err, &my) && my.Number == 1193 { // unknown system variable: MariaDB
			_, err = tx.ExecContext(ctx, fmt.Sprintf("SET SESSION max_statement_time = %.3f", timeout.Seconds()))
		}
		return err
	}
	return nil
}

// mysqlConfig reads a MySQL DSN in go-sql-driver's form
// (user:pass@tcp(host:3306)/db?params) or as a URL (mysql://user:pass@host:3306/db).
func mysqlConfig(dsn string) (*mysql.Config, error) {
	if !strings.HasPrefix(dsn, "mysql://") {
		return mysql.ParseDSN(dsn)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, errors.New("not a URL")
	}
	c := mysql.NewConfig()
	c.Net, c.Addr, c.DBName = "tcp", u.Host, strings.TrimPrefix(u.Path, "/")
	if u.Port() == "" {
		c.Addr = net.JoinHostPort(u.Hostname(), "3306")
	}
	if u.User != nil {
		c.User = u.User.Username()
		c.Passwd, _ = u.User.Password()
	}
	for k, vs := range u.Query() {
		switch k {
		case "tls":
			c.TLSConfig = vs[0]
		default:
			if c.Params == nil {
				c.Params = map[string]string{}
			}
			c.Params[k] = vs[0]
		}
	}
	return c, nil
}

func open(driver, dsn string, timeout time.Duration) (*sql.DB, error) {
	switch driver {
	case "mysql":
		cfg, err := mysqlConfig(dsn)
		if err != nil {
			return nil, errors.New("the DSN is not a MySQL connection string (user:pass@tcp(host:3306)/db or mysql://user:pass@host:3306/db)")
		}
		// The server's statement timeout and the run's deadline stop a slow
		// query and say so; the socket's own timeouts are only a backstop
		// (a socket timeout alone leaves just "invalid connection").
		cfg.Timeout = timeout
		cfg.ReadTimeout, cfg.WriteTimeout = timeout+5*time.Second, timeout+5*time.Second
		connector, err := mysql.NewConnector(cfg)
		if err != nil {
			return nil, errors.New("the DSN is not a MySQL connection string")
		}
		return sql.OpenDB(connector), nil
	case "postgres":
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, errors.New("the DSN is not a PostgreSQL connection string")
		}
		if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > timeout {
			cfg.ConnectTimeout = timeout
		}
		return sql.OpenDB(stdlib.GetConnector(*cfg)), nil
	case "sqlite":
		// Read-only at the file: mode=ro refuses every write.
		path := strings.TrimPrefix(dsn, "sqlite:")
		return sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(5000)")
	}
	return nil, fmt.Errorf("unknown driver %q", driver)
}

// columnIndex maps each rule column to its position in the result.
func columnIndex(src model.AlertRuleSource, cols []string) (map[string]int, error) {
	at := map[string]int{}
	for i, c := range cols {
		at[strings.ToLower(c)] = i
	}
	index := map[string]int{}
	var missing []string
	for name, col := range src.Columns {
		i, ok := at[strings.ToLower(col)]
		if !ok {
			if slices.Contains(required, name) {
				what := fmt.Sprintf("%q", col)
				if col != name {
					what = fmt.Sprintf("%q (for %s)", col, name)
				}
				missing = append(missing, what)
			}
			continue
		}
		index[name] = i
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, &InputError{Source: src.Name, Table: src.Table,
			Msg: fmt.Sprintf("the query's result has no column %s (it has: %s)", strings.Join(missing, ", "), strings.Join(cols, ", "))}
	}
	return index, nil
}

// rule converts one row.
func rule(src model.AlertRuleSource, index map[string]int, vals []any) (*model.AlertRule, error) {
	get := func(name string) (any, bool) {
		i, ok := index[name]
		if !ok || vals[i] == nil {
			return nil, false
		}
		return vals[i], true
	}
	text := func(name string) string {
		v, ok := get(name)
		if !ok {
			return ""
		}
		return asText(v)
	}
	r := &model.AlertRule{Source: src.Name, Table: src.Table, Location: src.Location,
		Key: text("rule_id"), Tenant: text("tenant_id"), Metric: text("metric"), Severity: strings.ToLower(text("severity")),
		AlarmName: text("alarm_name"), PagerDutyService: text("pagerduty_service")}
	bad := func(format string, args ...any) error {
		return &InputError{Source: src.Name, Table: src.Table, Key: r.Key, Msg: fmt.Sprintf(format, args...)}
	}
	if r.Key == "" {
		return nil, &InputError{Source: src.Name, Table: src.Table, Msg: fmt.Sprintf("a row has no %s (NULL or empty)", src.Columns["rule_id"])}
	}
	if r.Tenant == "" {
		return nil, bad("%s is NULL or empty", src.Columns["tenant_id"])
	}
	v, ok := get("threshold_percent")
	if !ok {
		return nil, bad("%s is NULL", src.Columns["threshold_percent"])
	}
	pct, err := asNumber(v)
	if err != nil || math.IsNaN(pct) || math.IsInf(pct, 0) || pct < 0 || pct > 100 {
		return nil, bad("%s must be a percentage from 0 to 100, found %s", src.Columns["threshold_percent"], asText(v))
	}
	r.Threshold = model.Known(pct / 100)
	if w, ok := get("window"); ok {
		d, err := asWindow(w)
		if err != nil {
			return nil, bad("%s: %v", src.Columns["window"], err)
		}
		r.Window = d
	}
	return r, nil
}

func asText(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case string:
		return x
	case time.Time:
		return x.Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

// asNumber reads integers, floats and NUMERIC (which pgx hands over as text).
func asNumber(v any) (float64, error) {
	switch x := v.(type) {
	case int64:
		return float64(x), nil
	case float64:
		return x, nil
	case float32:
		// A single-precision column (MySQL FLOAT) holds 4.8 as 4.80000019:
		// take the shortest decimal that is that float32, as the user wrote it.
		return strconv.ParseFloat(strconv.FormatFloat(float64(x), 'g', -1, 32), 64)
	}
	return strconv.ParseFloat(strings.TrimSpace(asText(v)), 64)
}

// pgInterval is PostgreSQL's interval output: "1 day 02:00:00", "00:05:00", "2 days".
var pgInterval = regexp.MustCompile(`^(?:(\d+) days?)?\s*(?:(\d+):(\d{2}):(\d{2}(?:\.\d+)?))?$`)

// asWindow reads a window as an interval, a duration ("5m", "1h30m") or a
// number of seconds.
func asWindow(v any) (time.Duration, error) {
	switch x := v.(type) {
	case int64:
		return positive(time.Duration(x) * time.Second)
	case float64:
		return positive(time.Duration(x * float64(time.Second)))
	case time.Duration:
		return positive(x)
	}
	s := strings.TrimSpace(asText(v))
	if m := pgInterval.FindStringSubmatch(s); m != nil && s != "" {
		var d time.Duration
		if m[1] != "" {
			n, _ := strconv.Atoi(m[1])
			d += time.Duration(n) * 24 * time.Hour
		}
		if m[2] != "" {
			h, _ := strconv.Atoi(m[2])
			mi, _ := strconv.Atoi(m[3])
			sec, _ := strconv.ParseFloat(m[4], 64)
			d += time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec*float64(time.Second))
		}
		return positive(d)
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return positive(time.Duration(n * float64(time.Second)))
	}
	d, err := model.ParseWindow(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a window (want an interval, a duration such as 5m, or seconds)", s)
	}
	return d, nil
}

func positive(d time.Duration) (time.Duration, error) {
	if d <= 0 {
		return 0, fmt.Errorf("window must be positive, found %s", d)
	}
	return d, nil
}

// describe turns a driver error into a sentence: the server's message and
// code, or the deadline.
func describe(err error, timeout time.Duration) string {
	var pg *pgconn.PgError
	var my *mysql.MySQLError
	switch {
	case errors.As(err, &pg) && pg.Code == "57014",
		errors.As(err, &my) && (my.Number == 3024 || my.Number == 1969): // MySQL's max_execution_time, MariaDB's max_statement_time
		return fmt.Sprintf("the query was cancelled by the statement timeout (%s)", timeout)
	case errors.As(err, &my):
		return fmt.Sprintf("the server refused: %s (error %d)", my.Message, my.Number)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer within the timeout (%s)", timeout)
	case errors.As(err, &pg):
		return fmt.Sprintf("the server refused: %s (SQLSTATE %s)", pg.Message, pg.Code)
	}
	return err.Error()
}

// Rows records rules for a snapshot, by driftgate's column names.
func Rows(rules []*model.AlertRule) []snapshot.AlertRuleRow {
	out := make([]snapshot.AlertRuleRow, 0, len(rules))
	for _, r := range rules {
		row := snapshot.AlertRuleRow{RuleID: r.Key, TenantID: r.Tenant, Metric: r.Metric, ThresholdPercent: r.Threshold.Value * 100,
			Severity: r.Severity, AlarmName: r.AlarmName, PagerDutyService: r.PagerDutyService}
		if r.Window != 0 {
			row.Window = model.FormatWindow(r.Window)
		}
		out = append(out, row)
	}
	return out
}

// FromRows reads rules recorded in a snapshot, checked as a query's rows are.
func FromRows(src model.AlertRuleSource, rows []snapshot.AlertRuleRow) ([]*model.AlertRule, error) {
	cols := []string{"rule_id", "tenant_id", "metric", "window", "threshold_percent", "severity", "alarm_name", "pagerduty_service"}
	index := map[string]int{}
	for i, c := range cols {
		index[c] = i
	}
	src.Columns = map[string]string{}
	for _, c := range cols {
		src.Columns[c] = c
	}
	var out []*model.AlertRule
	seen := map[string]bool{}
	for _, row := range rows {
		vals := []any{row.RuleID, row.TenantID, row.Metric, row.Window, row.ThresholdPercent, row.Severity, row.AlarmName, row.PagerDutyService}
		for i, v := range vals {
			if s, ok := v.(string); ok && s == "" {
				vals[i] = nil
			}
		}
		r, err := rule(src, index, vals)
		if err != nil {
			return nil, err
		}
		if seen[r.Key] {
			return nil, &InputError{Source: src.Name, Table: src.Table, Key: r.Key, Msg: "appears twice: rule_id must be unique"}
		}
		seen[r.Key] = true
		out = append(out, r)
	}
	return out, nil
}
