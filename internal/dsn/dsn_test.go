package dsn

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, c := range []struct{ dsn, msg string }{
		{"postgres://app:hunter2@db:5432/x", "dial postgres://app:hunter2@db:5432/x: refused for hunter2"},
		{"postgres://app:p%40ss%2Fw@db/x", "password p@ss/w and p%40ss%2Fw rejected"},
		{"host=db user=app password=s3cr3t dbname=x", "connect host=db user=app password=s3cr3t dbname=x: s3cr3t"},
		{"app:hunter2@tcp(db:3306)/x", "Error 1045: Access denied for app with hunter2"},
		{"mysql://app:hunter2@db:3306/x", "dial mysql://app:hunter2@db:3306/x: hunter2"},
	} {
		got := Redact(c.msg, c.dsn)
		for _, secret := range []string{"hunter2", "p@ss/w", "p%40ss%2Fw", "s3cr3t"} {
			if strings.Contains(got, secret) {
				t.Errorf("%q leaks %q", got, secret)
			}
		}
		if !strings.Contains(got, "(redacted)") {
			t.Errorf("%q: nothing was redacted", got)
		}
	}
	if got := Redact("plain", ""); got != "plain" {
		t.Errorf("no DSN: %q", got)
	}
}
