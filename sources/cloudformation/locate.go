// Package cloudformation reads CloudFormation templates (JSON or YAML, with
// short-form intrinsics such as !Ref) for what driftgate needs of them: the
// line of each resource, so stack drift points at the template.
package cloudformation

import (
	"os"

	"github.com/goccy/go-yaml/ast"

	"github.com/driftgate/driftgate/input"
)

// Lines maps each resource's logical ID to the line of its key under Resources.
func Lines(path, reported string) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &input.Error{File: reported, Msg: "cannot read template", Err: err}
	}
	f, err := input.ParseYAML(reported, data)
	if err != nil {
		return nil, err
	}
	lines := map[string]int{}
	for _, doc := range f.Docs {
		root, ok := doc.Body.(*ast.MappingNode)
		if !ok {
			continue
		}
		for _, section := range root.Values {
			if section.Key.GetToken().Value != "Resources" {
				continue
			}
			resources, ok := section.Value.(*ast.MappingNode)
			if !ok {
				return nil, &input.Error{File: reported, Line: section.Key.GetToken().Position.Line, Column: section.Key.GetToken().Position.Column,
					Msg: "Resources must be a mapping of logical IDs to resources"}
			}
			for _, r := range resources.Values {
				lines[r.Key.GetToken().Value] = r.Key.GetToken().Position.Line
			}
		}
	}
	return lines, nil
}
