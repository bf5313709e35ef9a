// Package dsn keeps database connection strings out of messages: a DSN
// carries a password, and no report, log or error may show it.
package dsn

import (
	"net/url"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

// Redact removes the DSN and its password (as written, and URL-escaped)
// from a message.
func Redact(msg, dsn string) string {
	if dsn == "" {
		return msg
	}
	var secrets []string
	if cfg, err := pgx.ParseConfig(dsn); err == nil && cfg.Password != "" {
		secrets = append(secrets, cfg.Password, url.QueryEscape(cfg.Password), url.PathEscape(cfg.Password))
	}
	if cfg, err := mysql.ParseDSN(dsn); err == nil && cfg.Passwd != "" {
		secrets = append(secrets, cfg.Passwd)
	}
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			secrets = append(secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
	}
	secrets = append(secrets, dsn)
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "(redacted)")
		}
	}
	return msg
}
