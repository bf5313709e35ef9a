// Package terraform loads Terraform plan JSON (terraform show -json) into the
// model. Its types mirror the parts of the plan format driftgate reads, using
// hashicorp/terraform-json's types and version rules; values of resources no
// check reads are skipped without being materialised.
package terraform

import (
	"github.com/go-json-experiment/json/jsontext"
	tfjson "github.com/hashicorp/terraform-json"
)

// Plan is the subset of tfjson.Plan that driftgate reads.
type Plan struct {
	// FormatVersion is the plan JSON format version; terraform-json's
	// PlanFormatVersionConstraints decide which are accepted.
	FormatVersion string `json:"format_version"`
	// TerraformVersion is the Terraform version that wrote the plan.
	TerraformVersion string `json:"terraform_version"`
	// ResourceDrift lists changes Terraform detected outside of Terraform
	// while refreshing, in the shape of resource_changes.
	ResourceDrift []ResourceChange `json:"resource_drift"`
	// ResourceChanges lists what the plan will do to each resource instance,
	// decoded as it streams (see changeList).
	ResourceChanges changeList `json:"resource_changes"`
	// RelevantAttributes lists the attributes that contributed to the plan.
	RelevantAttributes []tfjson.ResourceAttribute `json:"relevant_attributes"`
	// Configuration carries the module tree, used to find .tf sources.
	Configuration *Configuration `json:"configuration"`
	// Complete is false for partial plans (targeting, deferred changes,
	// errors); absent in plans before format 1.2.
	Complete *bool `json:"complete"`
	// Errored is true when planning failed part-way.
	Errored bool `json:"errored"`
	// PriorState is the state the plan started from; only which values are
	// sensitive is read from it.
	PriorState *State `json:"prior_state"`

	// PlannedValues and Values are only noted, to tell plans from state
	// files; their contents repeat resource_changes and are skipped.
	PlannedValues present `json:"planned_values"`
	Values        present `json:"values"`
}

// ResourceChange mirrors tfjson.ResourceChange, keeping values raw so only the
// resource types driftgate models are decoded.
type ResourceChange struct {
	// Address is the absolute instance address; old plans' drift entries lack it.
	Address string `json:"address"`
	// ModuleAddress is the module part of Address, empty for the root module.
	ModuleAddress string `json:"module_address"`
	// Mode is managed or data.
	Mode tfjson.ResourceMode `json:"mode"`
	// Type is the resource type, e.g. aws_cloudwatch_metric_alarm.
	Type string `json:"type"`
	// Name is the resource name in configuration.
	Name string `json:"name"`
	// Index is the count or for_each key, a number or a string.
	Index jsontext.Value `json:"index"`
	// Change is the planned (or drifted) change.
	Change Change `json:"change"`

	// mapped holds the alarm's values mapped while streaming, where they
	// were not kept raw in Change.
	mapped mappedSides
}

// Change mirrors tfjson.Change with raw values.
type Change struct {
	// Actions is the planned operation, e.g. ["no-op"] or ["delete","create"].
	Actions tfjson.Actions `json:"actions"`
	// Before and After are the object before and after the change.
	Before jsontext.Value `json:"before"`
	After  jsontext.Value `json:"after"`
	// AfterUnknown marks values known only after apply with true.
	AfterUnknown jsontext.Value `json:"after_unknown"`
	// BeforeSensitive and AfterSensitive mark sensitive leaves with true.
	BeforeSensitive jsontext.Value `json:"before_sensitive"`
	AfterSensitive  jsontext.Value `json:"after_sensitive"`
}

// Configuration is the module tree of the plan's configuration section.
type Configuration struct {
	RootModule ConfigModule `json:"root_module"`
}

// ConfigModule is one module in the configuration tree.
type ConfigModule struct {
	ModuleCalls map[string]ModuleCall `json:"module_calls"`
}

// ModuleCall is a module block: where its source is and what it contains.
type ModuleCall struct {
	Source string       `json:"source"`
	Module ConfigModule `json:"module"`
}

// present records that a member exists and skips its value unread.
type present bool

// UnmarshalJSONFrom implements json/v2's streaming unmarshaler.
func (p *present) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*p = true
	return skipTree(dec)
}

// skipTree skips a value that may be a module tree of any size (planned
// values, a state's values), reading each element of a "resources" array in
// one pass: a fifth cheaper than skipping it token by token, and never more
// than one resource held at a time.
func skipTree(dec *jsontext.Decoder) error {
	kind := dec.PeekKind()
	if kind != '{' && kind != '[' {
		_, err := dec.ReadValue() // a scalar, or the error of what is there
		return err
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for {
		switch dec.PeekKind() {
		case '}', ']':
			_, err := dec.ReadToken()
			return err
		case 0:
			_, err := dec.ReadToken() // the error that stopped the peek
			return err
		}
		if kind == '[' {
			if err := skipTree(dec); err != nil {
				return err
			}
			continue
		}
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		if tok.String() == "resources" && dec.PeekKind() == '[' {
			err = skipEach(dec)
		} else {
			err = skipTree(dec)
		}
		if err != nil {
			return err
		}
	}
}

// skipEach skips an array, reading each element in one pass.
func skipEach(dec *jsontext.Decoder) error {
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != ']' {
		if _, err := dec.ReadValue(); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// skipped is a value of one resource read in one pass and dropped: cheaper
// than the token by token skipping of a member no field names.
type skipped struct{}

// UnmarshalJSONFrom implements json/v2's streaming unmarshaler.
func (*skipped) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	_, err := dec.ReadValue()
	return err
}
