package cloudformation

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// Kind is the JSON type of a template value.
type Kind int

const (
	Null Kind = iota
	Bool
	Number
	String
	List
	Map
)

// Value is a template value with its position. Short-form intrinsics
// (!Ref x) become their long form ({"Ref": x}), so JSON and YAML templates
// give the same tree.
type Value struct {
	Kind     Kind
	Str      string // String; the text of Number and Bool too
	Num      float64
	Bool     bool
	List     []*Value
	Keys     []string // Map keys in order
	Members  map[string]*Value
	KeyLines map[string]int // Map: the line of each key
	Line     int
	Column   int
}

// Get returns a map member, or nil.
func (v *Value) Get(key string) *Value {
	if v == nil || v.Kind != Map {
		return nil
	}
	return v.Members[key]
}

// Text is a scalar's text, "" for a missing value.
func (v *Value) Text() string {
	if v == nil {
		return ""
	}
	return v.Str
}

// Truth reads a boolean written as a boolean or as "true"/"false".
func (v *Value) Truth() bool { return v != nil && (v.Bool || strings.EqualFold(v.Str, "true")) }

// Int reads a whole number written as a number or a string, 0 when missing.
func (v *Value) Int() int {
	if v == nil {
		return 0
	}
	if v.Kind == Number {
		return int(v.Num)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(v.Str))
	return n
}

// Intrinsic returns the function name and argument of a one-member map whose
// key is Ref, Condition or Fn::*, the shape of every intrinsic.
func (v *Value) Intrinsic() (string, *Value, bool) {
	if v == nil || v.Kind != Map || len(v.Keys) != 1 {
		return "", nil, false
	}
	k := v.Keys[0]
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, v.Members[k], true
	}
	return "", nil, false
}

// shortForms maps YAML tags to their long-form function names.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition", "!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!Join": "Fn::Join",
	"!If": "Fn::If", "!Select": "Fn::Select", "!Split": "Fn::Split", "!FindInMap": "Fn::FindInMap",
	"!Equals": "Fn::Equals", "!Not": "Fn::Not", "!And": "Fn::And", "!Or": "Fn::Or", "!ImportValue": "Fn::ImportValue",
	"!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr", "!GetAZs": "Fn::GetAZs", "!Transform": "Fn::Transform",
	"!ToJsonString": "Fn::ToJsonString", "!Length": "Fn::Length",
}

// convert turns goccy's AST into a Value tree.
func convert(n ast.Node) (*Value, error) {
	if n == nil {
		return &Value{Kind: Null}, nil
	}
	pos := n.GetToken().Position
	v := &Value{Line: pos.Line, Column: pos.Column}
	switch x := n.(type) {
	case *ast.MappingNode:
		v.Kind, v.Members = Map, map[string]*Value{}
		for _, mv := range x.Values {
			if err := v.addMember(mv); err != nil {
				return nil, err
			}
		}
	case *ast.MappingValueNode:
		v.Kind, v.Members = Map, map[string]*Value{}
		if err := v.addMember(x); err != nil {
			return nil, err
		}
	case *ast.SequenceNode:
		v.Kind = List
		for _, e := range x.Values {
			ev, err := convert(e)
			if err != nil {
				return nil, err
			}
			v.List = append(v.List, ev)
		}
	case *ast.TagNode:
		tag := x.Start.Value
		name, ok := shortForms[tag]
		if !ok {
			return nil, fmt.Errorf("line %d: unknown tag %s", pos.Line, tag)
		}
		arg, err := convert(x.Value)
		if err != nil {
			return nil, err
		}
		if name == "Fn::GetAtt" && arg.Kind == String {
			// !GetAtt Resource.Attribute is the list form [Resource, Attribute].
			res, attr, _ := strings.Cut(arg.Str, ".")
			arg = &Value{Kind: List, Line: arg.Line, Column: arg.Column, List: []*Value{
				{Kind: String, Str: res, Line: arg.Line, Column: arg.Column}, {Kind: String, Str: attr, Line: arg.Line, Column: arg.Column}}}
		}
		v.Kind, v.Keys, v.Members = Map, []string{name}, map[string]*Value{name: arg}
	case *ast.AnchorNode:
		return convert(x.Value)
	case *ast.AliasNode:
		return nil, fmt.Errorf("line %d: YAML aliases are not allowed in CloudFormation templates", pos.Line)
	case *ast.NullNode:
		v.Kind = Null
	case *ast.BoolNode:
		v.Kind, v.Bool, v.Str = Bool, x.Value, strconv.FormatBool(x.Value)
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		v.Kind, v.Str = Number, x.GetToken().Value
		f, err := strconv.ParseFloat(strings.ReplaceAll(v.Str, "_", ""), 64)
		if err != nil {
			f, _ = strconv.ParseFloat(fmt.Sprint(x.(ast.ScalarNode).GetValue()), 64)
		}
		v.Num = f
	case *ast.StringNode:
		v.Kind, v.Str = String, x.Value
	case *ast.LiteralNode:
		v.Kind, v.Str = String, x.Value.Value
	default:
		if s, ok := n.(ast.ScalarNode); ok {
			v.Kind, v.Str = String, fmt.Sprint(s.GetValue())
			return v, nil
		}
		return nil, fmt.Errorf("line %d: unsupported YAML node %s", pos.Line, n.Type())
	}
	return v, nil
}

func (v *Value) addMember(mv *ast.MappingValueNode) error {
	key := mv.Key.GetToken().Value
	if _, dup := v.Members[key]; dup {
		return fmt.Errorf("line %d: duplicate key %q", mv.Key.GetToken().Position.Line, key)
	}
	val, err := convert(mv.Value)
	if err != nil {
		return err
	}
	if val.Line == 0 || val.Kind == Null {
		val.Line, val.Column = mv.Key.GetToken().Position.Line, mv.Key.GetToken().Position.Column
	}
	v.Keys = append(v.Keys, key)
	v.Members[key] = val
	if v.KeyLines == nil {
		v.KeyLines = map[string]int{}
	}
	v.KeyLines[key] = mv.Key.GetToken().Position.Line
	return nil
}
