package report

import (
	"regexp"
	"strings"
	"unicode"
)

// ansi matches terminal escape sequences: CSI (ESC [ ... final), OSC
// (ESC ] ... BEL or ST) and two-byte escapes.
var ansi = regexp.MustCompile(`\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]`)

// bidi reports the Unicode bidirectional embedding, override and isolate
// controls, which can make text read differently from what it is.
func bidi(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// OneLine makes a user-controlled value safe to print inside one line of
// driftgate's output: line breaks of every kind become a visible "⏎", so no
// value can start a line of its own (a workflow command such as
// "::add-mask::" only acts at the start of a line); terminal escapes, other
// C0 and C1 controls and bidi controls are removed; tabs become spaces.
func OneLine(s string) string {
	if !needsCleaning(s) {
		return s
	}
	s = ansi.ReplaceAllString(s, "")
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue // CRLF is one break
			}
			b.WriteString("⏎")
		case r == '\n' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			b.WriteString("⏎")
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || bidi(r) || r == unicode.ReplacementChar && strings.HasPrefix(s[i:], "\xef\xbf\xbd") == false:
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// needsCleaning is the fast path: most values are plain printable text.
func needsCleaning(s string) bool {
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && (r <= 0x9f || r == 0x2028 || r == 0x2029 || bidi(r) || r == unicode.ReplacementChar) {
			return true
		}
	}
	return false
}
