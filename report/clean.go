package report

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
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
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			// an invalid byte: dropped
		case r == '\r' && i < len(s) && s[i] == '\n':
			// CRLF is one break: the LF writes it
		case r == '\r' || r == '\n' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			b.WriteString("⏎")
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || bidi(r):
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
		if r < 0x20 || r >= 0x7f && (r <= 0x9f || r == 0x2028 || r == 0x2029 || bidi(r) || r == utf8.RuneError) {
			return true
		}
	}
	return false
}
