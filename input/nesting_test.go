package input

import (
	"strings"
	"testing"
)

func TestCheckNesting(t *testing.T) {
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	cases := []struct {
		name, text string
		refuse     bool
	}{
		{"a real config", "version: 1\ntenants:\n  - id: a\n    bucket: gold\nchecks: {disable: [x, y]}\n", false},
		{"flow sequences 100,000 deep", "a: " + deep("[", "]", 100000), true},
		{"flow maps 300 deep", "a: " + deep("{a: ", "}", 300), true},
		{"JSON 300 deep", deep(`{"a":`, "}", 300), true},
		{"block sequences on one line", strings.Repeat("- ", 100000) + "x\n", true},
		{"250 levels is allowed", "a: " + deep("[", "]", 250), false},
		{"brackets inside quotes do not count", `a: "` + strings.Repeat("[", 1000) + `"` + "\nb: '" + strings.Repeat("{", 1000) + "'\n", false},
		{"an apostrophe in a plain scalar opens nothing", "a: it's\nb: " + deep("[", "]", 300), true},
		{"brackets in comments do not count", "a: 1 # " + strings.Repeat("[", 1000) + "\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckNesting("f.yml", []byte(c.text))
			if (err != nil) != c.refuse {
				t.Fatalf("refused=%v, want %v: %v", err != nil, c.refuse, err)
			}
			if err != nil && (!strings.Contains(err.Error(), "f.yml:") || len(err.Error()) > 200) {
				t.Errorf("want a short error with the position: %q", err)
			}
		})
	}
}
