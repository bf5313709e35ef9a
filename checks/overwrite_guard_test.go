package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestOverwriteGuard(t *testing.T) {
	const addr = "aws_cloudwatch_metric_alarm.a0"
	drift := func(w *model.World, path, declared, live string) {
		w.Drifts = append(w.Drifts, model.ResourceDrift{Address: addr, Source: model.SourceTerraform, Location: model.Location{File: "main.tf", Line: 10},
			Changes: []model.AttributeChange{{Path: path, Before: declared, After: live}}})
	}
	plan := func(w *model.World, path, before, after string) {
		w.Planned = map[string][]model.AttributeChange{addr: {{Path: path, Before: before, After: after}}}
	}
	runCases(t, OverwriteGuard, []checkCase{
		{name: "no drift: nothing", mutate: func(w *model.World, s *Settings) { plan(w, "threshold", "4.8", "4") }},
		{name: "drift the plan leaves alone: nothing (terraform-drift reports it)",
			mutate: func(w *model.World, s *Settings) {
				drift(w, "threshold", "4.8", "9")
				plan(w, "alarm_description", "a", "b")
			}},
		{name: "an incident-time threshold the plan sets back is an error: it pages",
			mutate:   func(w *model.World, s *Settings) { drift(w, "threshold", "4.8", "9"); plan(w, "threshold", "9", "4.8") },
			want:     []string{"applying this change reverts what was changed outside Terraform: aws_cloudwatch_metric_alarm.a0 threshold is 9 live and becomes 4.8"},
			severity: []Severity{SeverityError}},
		{name: "a tag edited by hand and overwritten is a warning",
			mutate: func(w *model.World, s *Settings) {
				drift(w, "tags.Team", "sre", "payments")
				plan(w, "tags", "{...}", "{...}")
			},
			want: []string{"tags is \"payments\" live and becomes"}, severity: []Severity{SeverityWarning}},
		{name: "an ignored attribute: nothing",
			mutate: func(w *model.World, s *Settings) {
				drift(w, "threshold", "4.8", "9")
				plan(w, "threshold", "9", "4.8")
				s.Ignore = []IgnoreRule{{Address: addr, Attribute: "threshold"}}
			}},
	})
}
