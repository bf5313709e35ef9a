package remedy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/driftgate/driftgate/checks"
)

// terraform edits a .tf file: hclsyntax finds the value and where it comes
// from, hclwrite writes it back with the file's formatting and comments.
type terraform struct {
	file   string
	src    []byte
	syntax *hclsyntax.Body
	write  *hclwrite.File
}

func newTerraform(file string, src []byte) (editor, error) {
	f, diags := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s does not parse: %s", file, diags.Error())
	}
	w, diags := hclwrite.ParseConfig(src, file, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s does not parse: %s", file, diags.Error())
	}
	return &terraform{file: file, src: src, syntax: f.Body.(*hclsyntax.Body), write: w}, nil
}

// resourceAddress splits an instance address into its module path and the
// resource's type and name: module.t["a"].aws_x.y["k"] -> module.t["a"], aws_x, y.
var resourceAddress = regexp.MustCompile(`^(?:(.*)\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?$`)

func (t *terraform) block(fix *checks.Fix) (*hclsyntax.Block, string, string, error) {
	m := resourceAddress.FindStringSubmatch(fix.Resource)
	if m == nil {
		return nil, "", "", fmt.Errorf("%q is not a resource address", fix.Resource)
	}
	for _, b := range t.syntax.Blocks {
		if b.Type == "resource" && len(b.Labels) == 2 && b.Labels[0] == m[2] && b.Labels[1] == m[3] {
			return b, m[1], m[2], nil
		}
	}
	return nil, "", "", fmt.Errorf("no resource %q %q in %s", m[2], m[3], t.file)
}

func (t *terraform) locate(fix *checks.Fix) (int, string) {
	b, module, _, err := t.block(fix)
	if err != nil {
		return 0, err.Error()
	}
	attr, ok := b.Body.Attributes[fix.Attribute]
	if !ok {
		return 0, fmt.Sprintf("resource %s at %s:%d sets no %s", fix.Resource, t.file, b.DefRange().Start.Line, fix.Attribute)
	}
	where := fmt.Sprintf("%s is `%s` at %s:%d", fix.Attribute, t.text(attr.Expr.Range()), t.file, attr.SrcRange.Start.Line)
	for _, rep := range []string{"for_each", "count"} {
		if r, ok := b.Body.Attributes[rep]; ok {
			return 0, fmt.Sprintf("%s, in a block repeated by %s (%s:%d): set it where this instance's value is chosen%s",
				where, rep, t.file, r.SrcRange.Start.Line, from(attr.Expr))
		}
	}
	if strings.Contains(module, "[") {
		return 0, fmt.Sprintf("%s, shared by every instance of %s: set it where this instance's value is chosen%s", where, moduleCall(module), from(attr.Expr))
	}
	lit, ok := attr.Expr.(*hclsyntax.LiteralValueExpr)
	if !ok || lit.Val.Type() != cty.Number {
		return 0, where + from(attr.Expr)
	}
	return attr.SrcRange.Start.Line, ""
}

func (t *terraform) apply(fix *checks.Fix) {
	_, _, typ, err := t.block(fix)
	if err != nil {
		return
	}
	m := resourceAddress.FindStringSubmatch(fix.Resource)
	if b := t.write.Body().FirstMatchingBlock("resource", []string{typ, m[3]}); b != nil {
		b.Body().SetAttributeValue(fix.Attribute, cty.NumberFloatVal(fix.Value))
	}
}

func (t *terraform) bytes() []byte { return t.write.Bytes() }

func (t *terraform) text(r hcl.Range) string {
	if r.End.Byte > len(t.src) || r.Start.Byte > r.End.Byte {
		return "?"
	}
	return strings.Join(strings.Fields(string(t.src[r.Start.Byte:r.End.Byte])), " ")
}

// from names what an expression's value comes from: "; the value comes from var.x, local.y".
func from(e hclsyntax.Expression) string {
	var names []string
	for _, v := range e.Variables() {
		name := v.RootName()
		if len(v) > 1 {
			if a, ok := v[1].(hcl.TraverseAttr); ok {
				name += "." + a.Name
			}
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "; the value comes from " + strings.Join(names, ", ")
}

// moduleCall strips the instance keys: module.t["a"].module.u -> module.t.module.u.
func moduleCall(module string) string {
	return regexp.MustCompile(`\[[^\]]*\]`).ReplaceAllString(module, "")
}
