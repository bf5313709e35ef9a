package cloudformation

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/driftgate/driftgate/input"
)

// Template is a parsed CloudFormation (or SAM) template.
type Template struct {
	File       string
	Root       *Value
	Parameters map[string]*Value // Parameters section, by name
	Mappings   *Value
	Conditions map[string]*Value
	Resources  []Resource // in template order
}

// Resource is one entry of Resources.
type Resource struct {
	LogicalID  string
	Type       string
	Properties *Value // nil when absent
	Condition  string
	Line       int
}

// Parse reads template text, JSON or YAML. Every structural problem is
// reported with its line.
func Parse(file string, data []byte) (*Template, error) {
	if looksJSON(file) {
		if err := input.CheckJSON(file, data); err != nil {
			return nil, err
		}
	}
	f, err := input.ParseYAML(file, data)
	if err != nil {
		return nil, err
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, &input.Error{File: file, Msg: "template is empty"}
	}
	root, err := convert(f.Docs[0].Body)
	if err != nil {
		return nil, &input.Error{File: file, Msg: err.Error()}
	}
	if root.Kind != Map {
		return nil, &input.Error{File: file, Line: root.Line, Column: root.Column, Msg: "a template is a mapping of sections (Resources, Parameters, ...)"}
	}
	t := &Template{File: file, Root: root, Parameters: map[string]*Value{}, Conditions: map[string]*Value{}, Mappings: root.Get("Mappings")}
	var errs []error
	bad := func(v *Value, format string, args ...any) {
		errs = append(errs, &input.Error{File: file, Line: v.Line, Column: v.Column, Msg: fmt.Sprintf(format, args...)})
	}
	if p := root.Get("Parameters"); p != nil {
		if p.Kind != Map {
			bad(p, "Parameters must be a mapping")
		} else {
			for _, k := range p.Keys {
				t.Parameters[k] = p.Members[k]
			}
		}
	}
	if c := root.Get("Conditions"); c != nil {
		if c.Kind != Map {
			bad(c, "Conditions must be a mapping")
		} else {
			for _, k := range c.Keys {
				t.Conditions[k] = c.Members[k]
			}
		}
	}
	res := root.Get("Resources")
	switch {
	case res == nil:
		errs = append(errs, &input.Error{File: file, Line: root.Line, Msg: "no Resources section"})
	case res.Kind != Map:
		bad(res, "Resources must be a mapping of logical IDs to resources")
	default:
		for _, id := range res.Keys {
			r := res.Members[id]
			if r.Kind != Map {
				bad(r, "resource %s must be a mapping", id)
				continue
			}
			typ := r.Get("Type")
			if typ == nil || typ.Kind != String || typ.Str == "" {
				bad(r, "resource %s has no Type", id)
				continue
			}
			out := Resource{LogicalID: id, Type: typ.Str, Properties: r.Get("Properties"), Line: keyLine(res, id)}
			if c := r.Get("Condition"); c != nil {
				out.Condition = c.Str
				if _, ok := t.Conditions[c.Str]; !ok {
					bad(c, "resource %s uses condition %q, which Conditions does not define", id, c.Str)
				}
			}
			if out.Properties != nil && out.Properties.Kind != Map {
				bad(out.Properties, "resource %s: Properties must be a mapping", id)
				continue
			}
			t.Resources = append(t.Resources, out)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return t, nil
}

// keyLine is the line of a member's key, where a finding about it points.
func keyLine(m *Value, key string) int {
	if l, ok := m.KeyLines[key]; ok {
		return l
	}
	return m.Members[key].Line
}

// looksJSON reports whether a template's name says JSON: file.json, or the
// base version of one (file.json@origin/main).
func looksJSON(file string) bool {
	lower := strings.ToLower(file)
	return strings.HasSuffix(lower, ".json") || strings.Contains(lower, ".json@")
}

// ParseFile reads a template from disk; reported names it in messages.
func ParseFile(path, reported string) (*Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &input.Error{File: reported, Msg: "cannot read template", Err: err}
	}
	return Parse(reported, data)
}

// Resource returns the resource with a logical ID.
func (t *Template) Resource(id string) (Resource, bool) {
	for _, r := range t.Resources {
		if r.LogicalID == id {
			return r, true
		}
	}
	return Resource{}, false
}
