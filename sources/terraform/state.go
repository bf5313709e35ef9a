package terraform

import (
	"errors"
	"fmt"
	"os"

	"github.com/go-json-experiment/json/jsontext"
	version "github.com/hashicorp/go-version"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/driftgate/driftgate/input"
)

var stateConstraint = version.MustConstraints(version.NewConstraint(tfjson.StateFormatVersionConstraints))

// StateFile mirrors the state `terraform show -json` prints without a plan
// file: the managed resources of the root and child modules.
type StateFile struct {
	// FormatVersion is the state JSON format version.
	FormatVersion string `json:"format_version"`
	// TerraformVersion wrote the state.
	TerraformVersion string `json:"terraform_version"`
	// Values is the module tree; absent in an empty state.
	Values *StateContent `json:"values"`
	// ResourceChanges and PlannedValues are only noted, to tell a plan given
	// as state.
	ResourceChanges present `json:"resource_changes"`
	PlannedValues   present `json:"planned_values"`
}

// StateContent is the state's root module.
type StateContent struct {
	RootModule StateContentModule `json:"root_module"`
}

// StateContentModule is one module and its children.
type StateContentModule struct {
	Resources    []StateContentResource `json:"resources"`
	ChildModules []StateContentModule   `json:"child_modules"`
}

// StateContentResource is one resource instance with its values.
type StateContentResource struct {
	Address string              `json:"address"`
	Mode    tfjson.ResourceMode `json:"mode"`
	Type    string              `json:"type"`
	Name    string              `json:"name"`
	Index   jsontext.Value      `json:"index"`
	// Values are the attribute values; SensitiveValues marks the sensitive
	// ones with true, as before_sensitive does in plans.
	Values          jsontext.Value `json:"values"`
	SensitiveValues jsontext.Value `json:"sensitive_values"`
}

// LoadState reads a Terraform state as declared configuration: every managed
// alarm and PagerDuty/SNS routing resource, as a plan that changes nothing
// would show them, with .tf lines from opts.SourceDir. Sensitive values stay
// hidden as in plans. The result's Plan is the state's description; it is
// not a plan, and carries no drift.
func LoadState(file string, opts Options) (*Loaded, error) {
	if opts.Rel == nil {
		opts.Rel = func(p string) string { return p }
	}
	reported := opts.Rel(file)
	f, err := openFile(file, "state")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var st StateFile
	err = streamJSON(reported, f, &st, "`terraform show -json` (without a plan file)")
	var je errJSON
	if errors.As(err, &je) {
		data, rerr := os.ReadFile(file)
		if rerr != nil {
			return nil, &input.Error{File: reported, Msg: "cannot read state", Err: rerr}
		}
		return nil, input.JSONError(reported, toUTF8(data), je.err)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case bool(st.ResourceChanges) || bool(st.PlannedValues):
		return nil, &input.Error{File: reported, Msg: "this is a Terraform plan, not a state: give it with --plan"}
	case st.FormatVersion == "":
		return nil, &input.Error{File: reported, Path: "format_version", Msg: "no format_version: not a Terraform state (expected `terraform show -json` without a plan file)"}
	}
	v, err := version.NewVersion(st.FormatVersion)
	if err != nil {
		return nil, &input.Error{File: reported, Path: "format_version", Msg: fmt.Sprintf("invalid format_version %q", st.FormatVersion), Err: err}
	}
	if !stateConstraint.Check(v) {
		return nil, &input.Error{File: reported, Path: "format_version",
			Msg: fmt.Sprintf("unsupported state format_version %q (driftgate reads %s)", st.FormatVersion, tfjson.StateFormatVersionConstraints)}
	}
	// A state is what a plan that changes nothing shows: every resource a
	// no-op with before = after, which the plan mapping already reads.
	p := &Plan{FormatVersion: st.FormatVersion, TerraformVersion: st.TerraformVersion, PlannedValues: true}
	noop := tfjson.Actions{tfjson.ActionNoop}
	if st.Values != nil {
		var walk func(m *StateContentModule)
		walk = func(m *StateContentModule) {
			for _, r := range m.Resources {
				if r.Mode != tfjson.ManagedResourceMode || !IsAlarmType(r.Type) && !routingTypes[r.Type] {
					continue
				}
				p.ResourceChanges = append(p.ResourceChanges, ResourceChange{Address: r.Address, Mode: r.Mode, Type: r.Type, Name: r.Name, Index: r.Index,
					Change: Change{Actions: noop, Before: r.Values, After: r.Values, BeforeSensitive: r.SensitiveValues, AfterSensitive: r.SensitiveValues}})
			}
			for i := range m.ChildModules {
				walk(&m.ChildModules[i])
			}
		}
		walk(&st.Values.RootModule)
	}
	return mapPlan(file, p, opts)
}
