package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/go-version"
	tfjson "github.com/hashicorp/terraform-json"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/driftgate/driftgate/input"
)

var formatConstraint = version.MustConstraints(version.NewConstraint(tfjson.PlanFormatVersionConstraints))

// toUTF8 accepts UTF-8 (with or without BOM) and UTF-16 with a BOM, which
// PowerShell's redirection writes.
func toUTF8(data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		dec := unicode.BOMOverride(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
		out, _, err := transform.Bytes(dec, data)
		return out, err
	}
	return bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}), nil
}

// Decode parses plan JSON. file is used in error messages only.
func Decode(file string, data []byte) (*Plan, error) {
	data, err := toUTF8(data)
	if err != nil {
		return nil, &input.Error{File: file, Msg: "cannot decode UTF-16 text", Err: err}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &input.Error{File: file, Msg: "file is empty; expected the output of `terraform show -json PLANFILE`"}
	}
	var p Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, input.JSONError(file, data, err)
	}
	if p.FormatVersion == "" {
		msg := "no format_version: not a Terraform plan (expected the output of `terraform show -json PLANFILE`)"
		if p.Values != nil && p.PlannedValues == nil {
			msg = "this is a Terraform state, not a plan (run `terraform show -json PLANFILE`)"
		}
		return nil, &input.Error{File: file, Path: "format_version", Msg: msg}
	}
	v, err := version.NewVersion(p.FormatVersion)
	if err != nil {
		return nil, &input.Error{File: file, Path: "format_version", Msg: fmt.Sprintf("invalid format_version %q", p.FormatVersion), Err: err}
	}
	if !formatConstraint.Check(v) {
		return nil, &input.Error{File: file, Path: "format_version",
			Msg: fmt.Sprintf("unsupported plan format_version %q (driftgate reads %s)", p.FormatVersion, tfjson.PlanFormatVersionConstraints)}
	}
	for i := range p.ResourceDrift {
		fillAddress(&p.ResourceDrift[i])
	}
	for i := range p.ResourceChanges {
		fillAddress(&p.ResourceChanges[i])
	}
	return &p, nil
}

// fillAddress rebuilds the address that old plans omit from drift entries.
func fillAddress(rc *ResourceChange) {
	if rc.Address != "" {
		return
	}
	var b strings.Builder
	if rc.ModuleAddress != "" {
		b.WriteString(rc.ModuleAddress + ".")
	}
	if rc.Mode == tfjson.DataResourceMode {
		b.WriteString("data.")
	}
	b.WriteString(rc.Type + "." + rc.Name)
	if len(rc.Index) > 0 && string(rc.Index) != "null" {
		b.WriteString("[" + string(rc.Index) + "]")
	}
	rc.Address = b.String()
}
