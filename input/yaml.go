package input

import (
	"errors"
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// ParseYAML parses YAML (or JSON) text after refusing nesting too deep to
// parse safely; errors carry the file, line and column.
func ParseYAML(file string, data []byte) (*ast.File, error) {
	if err := CheckNesting(file, data); err != nil {
		return nil, err
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, YAMLError(file, err)
	}
	return f, nil
}

// CheckJSON refuses text that is not exactly one valid JSON value, with the
// line and column of the first problem: a file named .json must be JSON,
// not the YAML a lenient parser would also accept.
func CheckJSON(file string, data []byte) error {
	if err := CheckNesting(file, data); err != nil {
		return err
	}
	var v jsontext.Value
	if err := jsonv2.Unmarshal(data, &v); err != nil {
		return JSONError(file, data, err)
	}
	return nil
}

// YAMLError turns a goccy/go-yaml error into an Error with line and column.
func YAMLError(file string, err error) error {
	var ie *Error
	if errors.As(err, &ie) {
		ie.File = file
		return ie
	}
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		return &Error{File: file, Line: pos.Line, Column: pos.Column, Msg: ye.GetMessage()}
	}
	return &Error{File: file, Err: err}
}

// DecodeYAML decodes a YAML node strictly (unknown fields are errors).
// goccy/go-yaml v1.19.2 panics on a tag where a list is expected
// (`plans: !x`, goccy/go-yaml#735, fixed upstream after that release); bad
// input must be an error, never a crash.
func DecodeYAML(node ast.Node, v any, strict bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			at := node.GetToken().Position
			if tags := ast.Filter(ast.TagType, node); len(tags) > 0 {
				at = tags[0].GetToken().Position
			}
			err = &Error{Line: at.Line, Column: at.Column, Msg: "value has a YAML tag driftgate cannot read here"}
		}
	}()
	var opts []yaml.DecodeOption
	if strict {
		opts = append(opts, yaml.DisallowUnknownField())
	}
	return yaml.NodeToValue(node, v, opts...)
}

// YAMLProblems collects validation errors, each placed at the position of
// the YAML node its path names, so every problem is reported at once.
type YAMLProblems struct {
	File string
	Root ast.Node
	errs []error
}

// Add records a problem at a YAML path such as $.tenants[2].id.
func (p *YAMLProblems) Add(path, format string, args ...any) {
	e := &Error{File: p.File, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n := p.node(path); n != nil {
		e.Line, e.Column = n.GetToken().Position.Line, n.GetToken().Position.Column
		e.Path = ""
	}
	p.errs = append(p.errs, e)
}

// Line is the line of the node a path names, 0 when there is none.
func (p *YAMLProblems) Line(path string) int {
	if n := p.node(path); n != nil {
		return n.GetToken().Position.Line
	}
	return 0
}

func (p *YAMLProblems) node(path string) ast.Node {
	yp, err := yaml.PathString(path)
	if err != nil || p.Root == nil {
		return nil
	}
	n, err := yp.FilterNode(p.Root)
	if err != nil {
		return nil
	}
	return n
}

// Err joins the problems, or is nil when there are none.
func (p *YAMLProblems) Err() error { return errors.Join(p.errs...) }
