package model

import (
	"slices"
	"testing"
)

func TestParseAlarmRule(t *testing.T) {
	cases := []struct {
		rule string
		refs []string
		top  string
	}{
		{`ALARM("a") AND ALARM("b")`, []string{"a", "b"}, "AND"},
		{`(ALARM(a) AND ALARM(b)) OR (ALARM("c") AND NOT OK("d"))`, []string{"a", "b", "c", "d"}, "OR"},
		{`ALARM("arn:aws:cloudwatch:us-east-1:123:alarm:x y") OR TRUE`, []string{"x y"}, "OR"},
		{`AT_LEAST(2, ALARM, ("a", "b", "c"))`, []string{"a", "b", "c"}, "AT_LEAST"},
		{`ALARM("a") AND ALARM("b") AND ALARM("c")`, []string{"a", "b", "c"}, "AND"},
	}
	for _, c := range cases {
		n, err := ParseAlarmRule(c.rule)
		if err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		if got := AlarmRefs(c.rule); !slices.Equal(got, c.refs) || n.Op != c.top {
			t.Errorf("%s: refs %v top %s; want %v %s", c.rule, got, n.Op, c.refs, c.top)
		}
	}
	for _, bad := range []string{`ALARM("a"`, `ALARM("a") AND`, `"unterminated`, `ALARM("a") ALARM("b")`, ``} {
		if _, err := ParseAlarmRule(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestCanonicalRulesIgnoreHowTheyAreWritten(t *testing.T) {
	same := []string{
		`ALARM("a") AND ALARM("b")`,
		`alarm(a)  and  ALARM(b)`,
		`ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:a") AND (ALARM(b))`,
	}
	for _, r := range same[1:] {
		if CanonicalRule(r) != CanonicalRule(same[0]) {
			t.Errorf("%q and %q should compare equal: %q vs %q", r, same[0], CanonicalRule(r), CanonicalRule(same[0]))
		}
	}
	if CanonicalRule(`ALARM(a) OR ALARM(b)`) == CanonicalRule(same[0]) {
		t.Error("OR and AND must differ")
	}
	// The usual style is its own canonical form; mixed operators keep
	// their grouping, and only there are parentheses written.
	for in, want := range map[string]string{
		`ALARM("a") AND ALARM("b")`:            `ALARM("a") AND ALARM("b")`,
		`(alarm(a) and ALARM(b)) or ok(c)`:     `(ALARM("a") AND ALARM("b")) OR OK("c")`,
		`ALARM(a) AND (ALARM(b) AND ALARM(c))`: `ALARM("a") AND ALARM("b") AND ALARM("c")`,
		`NOT (ALARM(a) OR ALARM(b))`:           `NOT (ALARM("a") OR ALARM("b"))`,
	} {
		if got := CanonicalRule(in); got != want {
			t.Errorf("CanonicalRule(%q) = %q, want %q", in, got, want)
		}
	}
}
