package terraform

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// State mirrors the part of a plan's prior_state (or of `terraform show
// -json` state) that says which values are sensitive; values are skipped.
type State struct {
	Values *StateValues `json:"values"`
}

// StateValues is a state's module tree.
type StateValues struct {
	RootModule StateModule `json:"root_module"`
}

// StateModule is one module of a state.
type StateModule struct {
	Resources    []StateResource `json:"resources"`
	ChildModules []StateModule   `json:"child_modules"`
}

// StateResource is one resource instance of a state.
type StateResource struct {
	Address string `json:"address"`
	// SensitiveValues marks sensitive leaves with true, like before_sensitive.
	SensitiveValues jsontext.Value `json:"sensitive_values"`
	// Values are not read, only passed over in one pass.
	Values skipped `json:"values"`
}

// sensitivity is, for every resource address any part of the plan marks
// sensitive somewhere, the union of all its marks: either side of its change,
// either side of its drift entry, and its prior state. A value marked on one
// side is sensitive on both: a rotated secret's old value is as secret as
// its new one.
func sensitivity(p *Plan) (map[string]any, error) {
	out := map[string]any{}
	add := func(address string, raw jsontext.Value) error {
		if !hasTrue(raw) {
			return nil
		}
		var marks any
		if err := jsonv2.Unmarshal(raw, &marks); err != nil {
			return err
		}
		out[address] = unionMarks(out[address], marks)
		return nil
	}
	for _, list := range [][]ResourceChange{p.ResourceChanges, p.ResourceDrift} {
		for i := range list {
			c := &list[i].Change
			if err := add(list[i].Address, c.BeforeSensitive); err != nil {
				return nil, err
			}
			if err := add(list[i].Address, c.AfterSensitive); err != nil {
				return nil, err
			}
		}
	}
	if p.PriorState != nil && p.PriorState.Values != nil {
		var walk func(m *StateModule) error
		walk = func(m *StateModule) error {
			for _, r := range m.Resources {
				if err := add(r.Address, r.SensitiveValues); err != nil {
					return err
				}
			}
			for i := range m.ChildModules {
				if err := walk(&m.ChildModules[i]); err != nil {
					return err
				}
			}
			return nil
		}
		if err := walk(&p.PriorState.Values.RootModule); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// unionMarks merges two marker trees: true anywhere wins below it.
func unionMarks(a, b any) any {
	switch {
	case a == nil || a == false:
		return b
	case b == nil || b == false:
		return a
	case a == true || b == true:
		return true
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		out := make(map[string]any, len(am)+len(bm))
		for k, v := range am {
			out[k] = v
		}
		for k, v := range bm {
			out[k] = unionMarks(out[k], v)
		}
		return out
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok {
		out := make([]any, max(len(al), len(bl)))
		for i := range out {
			var x, y any
			if i < len(al) {
				x = al[i]
			}
			if i < len(bl) {
				y = bl[i]
			}
			out[i] = unionMarks(x, y)
		}
		return out
	}
	// Shapes disagree (a list on one side, an object on the other): the
	// whole value is treated as sensitive rather than guessed at.
	return true
}

// markedKeys lists the top-level attributes a marker tree marks anywhere
// within, as topLevelKeys does for raw markers.
func markedKeys(marks any) []string {
	m, _ := marks.(map[string]any)
	var keys []string
	for k, v := range m {
		if marked(v) {
			keys = append(keys, k)
		}
	}
	return keys
}

// marksJSON encodes a marker tree for the decoders that take raw markers.
func marksJSON(marks any) jsontext.Value {
	if marks == nil {
		return nil
	}
	b, err := jsonv2.Marshal(marks)
	if err != nil {
		return jsontext.Value("true") // unencodable: hide everything
	}
	return b
}
