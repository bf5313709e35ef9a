package terraform

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/hashicorp/go-version"
	tfjson "github.com/hashicorp/terraform-json"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/driftgate/driftgate/input"
)

var formatConstraint = version.MustConstraints(version.NewConstraint(tfjson.PlanFormatVersionConstraints))

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// utf16Decoder turns UTF-16 with a BOM, which PowerShell's redirection
// writes, into UTF-8.
func utf16Decoder() transform.Transformer {
	return unicode.BOMOverride(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
}

// toUTF8 is the in-memory form of what Decode does to a stream; error
// positions are computed on its output.
func toUTF8(data []byte) []byte {
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		if out, _, err := transform.Bytes(utf16Decoder(), data); err == nil {
			return out
		}
	}
	return bytes.TrimPrefix(data, bomUTF8)
}

// errJSON marks a JSON error whose position must be computed from the text.
type errJSON struct{ err error }

func (e errJSON) Error() string { return e.err.Error() }

// Decode parses plan JSON held in memory. file is used in messages only.
func Decode(file string, data []byte) (*Plan, error) {
	p, err := decodeStream(file, bytes.NewReader(data), nil)
	var je errJSON
	if errors.As(err, &je) {
		return nil, input.JSONError(file, toUTF8(data), je.err)
	}
	return p, err
}

// decodeStream parses plan JSON as it is read: a plan of tens of megabytes is
// never held in memory whole. JSON errors come back as errJSON. alarmName,
// when set, is given each alarm's name as its change is read.
func decodeStream(file string, r io.Reader, alarmName func(string)) (*Plan, error) {
	var p Plan
	var opts []jsonv2.Options
	if alarmName != nil {
		opts = append(opts, jsonv2.WithUnmarshalers(jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, l *changeList) error {
			return l.decode(dec, alarmName)
		})))
	}
	if err := streamJSON(file, r, &p, "`terraform show -json PLANFILE`", opts...); err != nil {
		return nil, err
	}
	if p.FormatVersion == "" {
		msg := "no format_version: not a Terraform plan (expected the output of `terraform show -json PLANFILE`)"
		if p.Values && !p.PlannedValues {
			msg = "this is Terraform state, not a plan (it has values but no planned changes): give `terraform show -json PLANFILE`"
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
	if !p.PlannedValues && p.ResourceChanges == nil && p.ResourceDrift == nil {
		msg := "no planned_values, resource_changes or resource_drift: not a Terraform plan (expected the output of `terraform show -json PLANFILE`)"
		if p.Values {
			msg = "this is Terraform state, not a plan (it has values but no planned changes): give `terraform show -json PLANFILE`"
		}
		return nil, &input.Error{File: file, Msg: msg}
	}
	if err := checkActions(file, "resource_changes", p.ResourceChanges); err != nil {
		return nil, err
	}
	if err := checkActions(file, "resource_drift", p.ResourceDrift); err != nil {
		return nil, err
	}
	for i := range p.ResourceDrift {
		fillAddress(&p.ResourceDrift[i])
	}
	for i := range p.ResourceChanges {
		fillAddress(&p.ResourceChanges[i])
	}
	return &p, nil
}

// knownActions are the actions terraform-json defines; a plan with another
// is from a Terraform this build does not understand, and guessing what it
// does to a resource could hide a deletion.
var knownActions = map[tfjson.Action]bool{tfjson.ActionNoop: true, tfjson.ActionCreate: true, tfjson.ActionRead: true,
	tfjson.ActionUpdate: true, tfjson.ActionDelete: true, tfjson.ActionForget: true}

func checkActions(file, key string, list []ResourceChange) error {
	for i := range list {
		for j, a := range list[i].Change.Actions {
			if !knownActions[a] {
				return &input.Error{File: file, Path: fmt.Sprintf("%s[%d].change.actions[%d]", key, i, j),
					Msg: fmt.Sprintf("unknown plan action %q (known: no-op, create, read, update, delete, forget)", a)}
			}
		}
	}
	return nil
}

// streamJSON decodes UTF-8 (with or without BOM) or UTF-16 JSON from r as
// it is read. JSON errors come back as errJSON; want names the expected input.
func streamJSON(file string, r io.Reader, v any, want string, opts ...jsonv2.Options) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var in io.Reader = br
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE):
		in = bufio.NewReaderSize(transform.NewReader(br, utf16Decoder()), 64<<10)
	case bytes.HasPrefix(head, bomUTF8):
		br.Discard(len(bomUTF8))
	}
	if empty(in.(*bufio.Reader)) {
		return &input.Error{File: file, Msg: "file is empty; expected the output of " + want}
	}
	// Duplicate names are checked where members are acted on (decodeObject),
	// not in the hundreds of megabytes of values that are only skipped.
	if err := jsonv2.UnmarshalRead(in, v, append(opts, jsontext.AllowDuplicateNames(true))...); err != nil {
		if errors.Is(err, transform.ErrShortSrc) {
			return &input.Error{File: file, Msg: "cannot decode UTF-16 text", Err: err}
		}
		return errJSON{err}
	}
	return nil
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

// empty reports whether only white space remains.
func empty(r *bufio.Reader) bool {
	for {
		b, err := r.ReadByte()
		if err != nil {
			return true
		}
		if b != ' ' && b != '\t' && b != '\n' && b != '\r' {
			r.UnreadByte()
			return false
		}
	}
}
