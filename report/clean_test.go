package report

import "testing"

func TestOneLine(t *testing.T) {
	cases := map[string]string{
		"plain alarm name":                     "plain alarm name",
		"a\n::add-mask::x":                     "a⏎::add-mask::x",
		"a\r\nb\rc\u2028d\u0085e":              "a⏎b⏎c⏎d⏎e",
		"\x1b[31mred\x1b[0m":                   "red",
		"\x1b]8;;http://x\x07link\x1b]8;;\x07": "link",
		"left\u202eright\u2066iso\u2069":       "leftrightiso",
		"tab\there\x00nul\x7fdel\u009fc1":      "tab herenuldelc1",
		"ünïcødé stays, so does \ufffd":        "ünïcødé stays, so does \ufffd",
		"bad \xff byte":                        "bad  byte",
	}
	for in, want := range cases {
		if got := OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
