package remedy

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/input"
)

// cloudFormation edits a template (YAML or JSON) in place: the scalar that
// holds the value is rewritten at its position, in its own quoting, and
// nothing else in the file moves.
type cloudFormation struct {
	file  string
	src   []byte
	root  *ast.MappingNode
	edits []span
}

type span struct {
	start, end int
	text       string
}

// properties maps driftgate's (Terraform) attribute names to CloudFormation's.
var properties = map[string]string{"threshold": "Threshold", "evaluation_periods": "EvaluationPeriods", "datapoints_to_alarm": "DatapointsToAlarm"}

func newCloudFormation(file string, src []byte) (editor, error) {
	f, err := input.ParseYAML(file, src)
	if err != nil {
		return nil, err
	}
	for _, doc := range f.Docs {
		if root, ok := doc.Body.(*ast.MappingNode); ok {
			return &cloudFormation{file: file, src: src, root: root}, nil
		}
	}
	return nil, fmt.Errorf("%s is not a template (no mapping at its root)", file)
}

// member is the value of a mapping's key, nil when absent.
func member(n ast.Node, key string) ast.Node {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		return nil
	}
	for _, kv := range m.Values {
		if kv.Key.GetToken().Value == key {
			return kv.Value
		}
	}
	return nil
}

func (c *cloudFormation) value(fix *checks.Fix) (ast.Node, string, error) {
	prop, ok := properties[fix.Attribute]
	if !ok {
		return nil, "", fmt.Errorf("no CloudFormation property for %s", fix.Attribute)
	}
	res := member(member(c.root, "Resources"), fix.Resource)
	if res == nil {
		return nil, prop, fmt.Errorf("no resource %s in %s", fix.Resource, c.file)
	}
	v := member(member(res, "Properties"), prop)
	if v == nil {
		return nil, prop, fmt.Errorf("resource %s in %s sets no %s", fix.Resource, c.file, prop)
	}
	return v, prop, nil
}

func (c *cloudFormation) locate(fix *checks.Fix) (int, string) {
	v, prop, err := c.value(fix)
	if err != nil {
		return 0, err.Error()
	}
	line := v.GetToken().Position.Line
	switch v.(type) {
	case *ast.FloatNode, *ast.IntegerNode, *ast.StringNode:
	default: // !Ref, Fn::FindInMap, ...: the value is chosen elsewhere
		return 0, fmt.Sprintf("%s is `%s` at %s:%d: set it where that value comes from (a parameter, a mapping)",
			prop, strings.Join(strings.Fields(v.String()), " "), c.file, line)
	}
	if _, _, ok := c.span(v); !ok {
		return 0, fmt.Sprintf("%s at %s:%d could not be located in the text", prop, c.file, line)
	}
	return line, ""
}

// span is the byte range of a scalar as written, quotes included, and the
// quote it uses ("" when plain).
func (c *cloudFormation) span(v ast.Node) (int, string, bool) {
	pos := v.GetToken().Position
	start := 0
	for range pos.Line - 1 {
		i := slices.Index(c.src[start:], '\n')
		if i < 0 {
			return 0, "", false
		}
		start += i + 1
	}
	for range pos.Column - 1 {
		_, n := utf8.DecodeRune(c.src[start:])
		if n == 0 {
			return 0, "", false
		}
		start += n
	}
	if start >= len(c.src) {
		return 0, "", false
	}
	quote := ""
	if q := c.src[start]; q == '\'' || q == '"' {
		quote = string(q)
	}
	return start, quote, true
}

func (c *cloudFormation) apply(fix *checks.Fix) {
	v, _, err := c.value(fix)
	if err != nil {
		return
	}
	start, quote, ok := c.span(v)
	if !ok {
		return
	}
	end := start
	if quote != "" {
		i := strings.Index(string(c.src[start+1:]), quote)
		if i < 0 {
			return
		}
		end = start + 1 + i + 1
	} else {
		for end < len(c.src) && !strings.ContainsRune(" \t\r\n,}]#", rune(c.src[end])) {
			end++
		}
	}
	c.edits = append(c.edits, span{start, end, quote + number(fix.Value) + quote})
}

func (c *cloudFormation) bytes() []byte {
	slices.SortFunc(c.edits, func(a, b span) int { return b.start - a.start })
	out := slices.Clone(c.src)
	for _, e := range c.edits {
		out = slices.Concat(out[:e.start], []byte(e.text), out[e.end:])
	}
	return out
}
