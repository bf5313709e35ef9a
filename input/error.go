// Package input holds the error type for bad user input: every loader reports
// the file and, where known, the line and column or path of the problem, and
// the CLI maps it to exit code 2.
package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Error is a problem with a file the user gave.
type Error struct {
	File   string
	Line   int
	Column int
	Path   string // JSON or YAML path, e.g. resource_changes[3].change
	Msg    string
	Err    error
}

func (e *Error) Error() string {
	pos := e.File
	if e.Line > 0 {
		pos = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Column)
	}
	msg := e.Msg
	if e.Err != nil && msg == "" {
		msg = e.Err.Error()
	} else if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	msg = shorten(msg, 400)
	if e.Path != "" {
		return fmt.Sprintf("%s: %s (at %s)", pos, msg, shorten(e.Path, 160))
	}
	return pos + ": " + msg
}

// shorten keeps an error readable: a path 30 KB deep says where it starts
// and where it ends.
func shorten(s string, limit int) string {
	r := []rune(s)
	if len(r) <= limit {
		return s
	}
	head := limit / 3
	return string(r[:head]) + " … " + string(r[len(r)-(limit-head):])
}

func (e *Error) Unwrap() error { return e.Err }

// IsInputError reports whether err (or any error it joins or wraps) is bad input.
func IsInputError(err error) bool {
	var ie *Error
	return errors.As(err, &ie)
}

// JSONError turns encoding/json's byte offsets into line:column and a path.
func JSONError(file string, data []byte, err error) *Error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var syn2 *jsontext.SyntacticError
	var sem2 *jsonv2.SemanticError
	switch {
	case errors.As(err, &syn2):
		line, col := Position(data, syn2.ByteOffset)
		return &Error{File: file, Line: line, Column: col, Path: pointerPath(syn2.JSONPointer), Msg: "invalid JSON: " + syn2.Err.Error()}
	case errors.As(err, &sem2) && errors.Is(sem2.Err, jsonv2.ErrUnknownName):
		line, col := Position(data, sem2.ByteOffset)
		parent := pointerPath(sem2.JSONPointer)
		if i := strings.LastIndexByte(parent, '.'); i >= 0 {
			parent = parent[:i]
		} else {
			parent = ""
		}
		return &Error{File: file, Line: line, Column: col, Path: parent, Msg: fmt.Sprintf("unknown field %q", sem2.JSONPointer.LastToken())}
	case errors.As(err, &sem2):
		line, col := Position(data, sem2.ByteOffset)
		msg := "cannot decode value"
		if sem2.JSONKind != 0 && sem2.GoType != nil {
			msg = fmt.Sprintf("expected %s, found JSON %s", sem2.GoType, sem2.JSONKind)
		}
		if sem2.Err != nil {
			msg += ": " + sem2.Err.Error()
		}
		return &Error{File: file, Line: line, Column: col, Path: pointerPath(sem2.JSONPointer), Msg: msg}
	case errors.As(err, &syn):
		line, col := Position(data, syn.Offset)
		return &Error{File: file, Line: line, Column: col, Msg: "invalid JSON: " + syn.Error()}
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := Position(data, int64(len(data)))
		return &Error{File: file, Line: line, Column: col, Msg: "truncated JSON: unexpected end of input"}
	case errors.As(err, &typ):
		line, col := Position(data, typ.Offset)
		return &Error{File: file, Line: line, Column: col, Path: typ.Field,
			Msg: fmt.Sprintf("expected %s, found JSON %s", typ.Type, typ.Value)}
	}
	return &Error{File: file, Err: err}
}

// Position converts a byte offset into a 1-based line and column.
func Position(data []byte, offset int64) (line, col int) {
	offset = max(0, min(offset, int64(len(data))))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// pointerPath renders a JSON pointer (/resource_changes/3/change) as a path
// (resource_changes[3].change).
func pointerPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteString(".")
		}
		b.WriteString(tok)
	}
	return b.String()
}
