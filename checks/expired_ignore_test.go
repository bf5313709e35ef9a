package checks

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

func TestExpiredIgnore(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	rule := func(until string) IgnoreRule {
		r := IgnoreRule{Address: "aws_cloudwatch_metric_alarm.a0", Reason: "accepted at adoption", Location: model.Location{File: ".driftgate.yml", Line: 52}}
		if until != "" {
			u, _ := time.Parse(time.DateOnly, until)
			r.Until = u.AddDate(0, 0, 1)
		}
		return r
	}
	runCases(t, ExpiredIgnore, []checkCase{
		{name: "no expiry: nothing", mutate: func(w *model.World, s *Settings) { s.Now, s.Ignore = now, []IgnoreRule{rule("")} }},
		{name: "its last day is today: still in force", mutate: func(w *model.World, s *Settings) { s.Now, s.Ignore = now, []IgnoreRule{rule("2026-12-04")} }},
		{name: "past its last day: reported at its line",
			mutate: func(w *model.World, s *Settings) { s.Now, s.Ignore = now, []IgnoreRule{rule("2026-11-30")} },
			want:   []string{`ignore rule at .driftgate.yml:52 ("accepted at adoption") expired on 2026-11-30: what it ignored is reported again`}},
	})
}

// An expired rule ignores nothing; a locked check is never ignored; scopes
// narrow what a rule ignores.
func TestIgnoreRulesExpireLockAndScope(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	f := &Finding{Subject: "stack-a/PageFast", Tenant: "7c3f2e", Scope: "1/us-east-1", Attribute: "Threshold"}
	cases := []struct {
		name    string
		rule    IgnoreRule
		locked  bool
		ignored bool
	}{
		{"by address", IgnoreRule{Address: "stack-a/*"}, false, true},
		{"expired yesterday", IgnoreRule{Address: "stack-a/*", Until: now.Add(-time.Hour)}, false, false},
		{"a locked check", IgnoreRule{Address: "stack-a/*"}, true, false},
		{"by tenant", IgnoreRule{Tenant: "7c3f2e"}, false, true},
		{"another tenant", IgnoreRule{Tenant: "c0ffee"}, false, false},
		{"by account and region", IgnoreRule{Account: "1", Region: "us-east-1"}, false, true},
		{"another region", IgnoreRule{Region: "eu-west-1"}, false, false},
		{"by stack", IgnoreRule{Stack: "stack-a"}, false, true},
		{"another stack", IgnoreRule{Stack: "stack-b"}, false, false},
		{"by stack and attribute", IgnoreRule{Stack: "stack-a", Attribute: "Alarm*"}, false, false},
	}
	for _, c := range cases {
		s := &Settings{Now: now, Ignore: []IgnoreRule{c.rule}, Locked: map[string]bool{"alarm-drift": c.locked}}
		if got := s.ignored("alarm-drift", f); got != c.ignored {
			t.Errorf("%s: ignored %v, want %v", c.name, got, c.ignored)
		}
	}
}
