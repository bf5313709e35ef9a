package input

import "strconv"

// MaxNesting is the deepest nesting driftgate reads in YAML or JSON input.
// Real configs, templates and SLO specs nest a few dozen levels at most; a
// file nested far deeper is refused before any parser sees it, in one pass,
// because YAML parsers take time and memory that grow much faster than the
// depth (100,000 levels once took minutes and gigabytes).
const MaxNesting = 256

var nestingMsg = "nested more than " + strconv.Itoa(MaxNesting) + " levels deep; driftgate refuses input this deep"

// CheckNesting scans YAML or JSON text once and refuses it when flow
// collections ([ and {), block sequence entries ("- - -") and indentation
// nest deeper than MaxNesting. Quoted scalars and comments do not count. It
// never parses: it only bounds what a parser will be given.
func CheckNesting(file string, data []byte) error {
	var (
		flow          int // open [ and {
		indent        int // leading spaces, and "- " entries, of the line
		dashes        int // block sequence entries opened on the line
		lineStart     = true
		prev          byte // last non-blank byte of the line outside quotes
		quote         byte // the quote a scalar is open with
		comment       bool
		line, lineBeg = 1, 0
	)
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			line, lineBeg = line+1, i+1
			lineStart, indent, dashes, prev, comment = true, 0, 0, 0, false
			continue
		}
		if comment {
			continue
		}
		switch quote {
		case '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				quote = 0
			}
			continue
		case '\'':
			if c == '\'' {
				if i+1 < len(data) && data[i+1] == '\'' {
					i++ // '' is an escaped quote
				} else {
					quote = 0
				}
			}
			continue
		}
		if lineStart {
			switch {
			case c == ' ':
				indent++
				continue
			case c == '-' && (i+1 == len(data) || data[i+1] == ' ' || data[i+1] == '\n'):
				dashes++
				indent++
				continue
			}
			lineStart = false
			// Two columns of indentation make a level; each "- " one more.
			if indent/2+dashes+flow > MaxNesting {
				return &Error{File: file, Line: line, Column: i - lineBeg + 1, Msg: nestingMsg}
			}
		}
		switch c {
		case ' ', '\t', '\r':
			continue
		case '"', '\'':
			// A quote opens a scalar only where a value starts; inside a
			// plain scalar (it's) it is a character like any other.
			if prev == 0 || prev == ':' || prev == ',' || prev == '[' || prev == '{' || prev == '-' || prev == '?' {
				quote = c
			}
		case '#':
			if i == 0 || data[i-1] == ' ' || data[i-1] == '\t' {
				comment = true
				continue
			}
		case '[', '{':
			flow++
			if indent/2+dashes+flow > MaxNesting {
				return &Error{File: file, Line: line, Column: i - lineBeg + 1, Msg: nestingMsg}
			}
		case ']', '}':
			if flow > 0 {
				flow--
			}
		}
		prev = c
	}
	return nil
}
