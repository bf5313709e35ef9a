package input

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// CheckShape compares a YAML document with the Go type it decodes into and
// reports every structural problem at once, in file order and in the
// document's own words: unknown keys (with the keys that are known there), a
// list where a mapping belongs, text where a number belongs. A decoder stops
// at the first problem and names Go fields; this does neither.
func CheckShape(file string, root ast.Node, t reflect.Type) error {
	var errs []*Error
	checkShape(file, root, t, "", &errs)
	slices.SortStableFunc(errs, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return errors.Join(out...)
}

func checkShape(file string, n ast.Node, t reflect.Type, path string, errs *[]*Error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	n = unwrap(n)
	if n == nil || n.Type() == ast.NullType {
		return
	}
	bad := func(format string, args ...any) {
		pos := n.GetToken().Position
		msg := fmt.Sprintf(format, args...)
		if path != "" {
			msg = path + ": " + msg
		}
		*errs = append(*errs, &Error{File: file, Line: pos.Line, Column: pos.Column, Msg: msg})
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := n.(*ast.MappingNode)
		if !ok {
			bad("expected a mapping of keys (%s), found %s", strings.Join(yamlKeys(t), ", "), describe(n))
			return
		}
		fields := map[string]reflect.StructField{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name != "" && name != "-" && f.IsExported() {
				fields[name] = f
			}
		}
		for _, kv := range m.Values {
			key := kv.Key.String()
			f, known := fields[key]
			if !known {
				pos := kv.Key.GetToken().Position
				where := ""
				if path != "" {
					where = path + ": "
				}
				*errs = append(*errs, &Error{File: file, Line: pos.Line, Column: pos.Column,
					Msg: fmt.Sprintf("%sunknown key %q (known here: %s)", where, key, strings.Join(yamlKeys(t), ", "))})
				continue
			}
			checkShape(file, kv.Value, f.Type, join(path, key), errs)
		}
	case reflect.Map:
		m, ok := n.(*ast.MappingNode)
		if !ok {
			bad("expected a mapping, found %s", describe(n))
			return
		}
		for _, kv := range m.Values {
			checkShape(file, kv.Value, t.Elem(), join(path, kv.Key.String()), errs)
		}
	case reflect.Slice:
		s, ok := n.(*ast.SequenceNode)
		if !ok {
			bad("expected a list, found %s", describe(n))
			return
		}
		for i, v := range s.Values {
			checkShape(file, v, t.Elem(), path+"["+strconv.Itoa(i)+"]", errs)
		}
	case reflect.String:
		if !scalar(n) {
			bad("expected text, found %s", describe(n))
		}
	case reflect.Bool:
		if n.Type() != ast.BoolType {
			bad("expected true or false, found %s", describe(n))
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if n.Type() != ast.IntegerType {
			bad("expected a whole number, found %s", describe(n))
		}
	case reflect.Float64, reflect.Float32:
		if n.Type() != ast.IntegerType && n.Type() != ast.FloatType && n.Type() != ast.InfinityType && n.Type() != ast.NanType {
			bad("expected a number, found %s", describe(n))
		}
	}
}

// unwrap looks through tags and anchors to the value.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		default:
			return n
		}
	}
}

func scalar(n ast.Node) bool {
	switch n.Type() {
	case ast.StringType, ast.IntegerType, ast.FloatType, ast.BoolType, ast.LiteralType:
		return true
	}
	return false
}

// describe names what a node is in the words YAML users use.
func describe(n ast.Node) string {
	switch n.Type() {
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.SequenceType:
		return "a list"
	case ast.StringType, ast.LiteralType:
		return fmt.Sprintf("text %q", shorten(n.String(), 40))
	case ast.BoolType:
		return "true/false"
	case ast.IntegerType, ast.FloatType:
		return "the number " + n.String()
	}
	return shorten(n.String(), 40)
}

func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
