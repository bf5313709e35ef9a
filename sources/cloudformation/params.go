package cloudformation

import (
	"encoding/json"
	"os"

	"github.com/driftgate/driftgate/input"
)

// LoadParameters reads a parameters file in any of the usual shapes: the
// AWS CLI's [{"ParameterKey": k, "ParameterValue": v}], CodePipeline's
// {"Parameters": {k: v}}, or a plain {k: v}.
func LoadParameters(path, reported string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &input.Error{File: reported, Msg: "cannot read parameters", Err: err}
	}
	var list []struct{ ParameterKey, ParameterValue string }
	if json.Unmarshal(data, &list) == nil {
		out := map[string]string{}
		for _, p := range list {
			out[p.ParameterKey] = p.ParameterValue
		}
		return out, nil
	}
	var wrapped struct{ Parameters map[string]string }
	if json.Unmarshal(data, &wrapped) == nil && wrapped.Parameters != nil {
		return wrapped.Parameters, nil
	}
	var plain map[string]string
	if err := json.Unmarshal(data, &plain); err != nil {
		return nil, &input.Error{File: reported, Msg: `parameters must be [{"ParameterKey","ParameterValue"}], {"Parameters": {...}} or {"Key": "Value"} with string values`, Err: err}
	}
	return plain, nil
}
