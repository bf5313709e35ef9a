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

func TestOverwriteGuardForATemplate(t *testing.T) {
	runCases(t, OverwriteGuard, []checkCase{
		{name: "a template alarm this change updates, drifted in its stack: the deployment reverts the drift",
			mutate: func(w *model.World, s *Settings) {
				d := declared(w, "slo-7c3f2e-availability-page-fast-5m")
				prior := *d
				d.Source, d.Address, d.Action, d.Prior = model.SourceCloudFormation, "alarms/PageFast5m", model.ActionUpdate, &prior
				w.Live.Drifts = []model.ResourceDrift{{Address: "alarms/PageFast5m", Source: model.SourceCloudFormation, Stack: "alarms", LogicalID: "PageFast5m",
					Scope: "1/us-east-1", Changes: []model.AttributeChange{{Path: "Threshold", Before: "4.8", After: "5.2"}}}}
			},
			want: []string{"deploying this change reverts what was changed outside CloudFormation: alarms/PageFast5m Threshold is 5.2 live " +
				"(the deployed template says 4.8); this change updates the resource, and the stack update overwrites the live value"},
			severity: []Severity{SeverityError}},
		{name: "the same drift when this change leaves the alarm alone: nothing (cloudformation-drift reports it)",
			mutate: func(w *model.World, s *Settings) {
				d := declared(w, "slo-7c3f2e-availability-page-fast-5m")
				d.Source, d.Address = model.SourceCloudFormation, "alarms/PageFast5m"
				w.Live.Drifts = []model.ResourceDrift{{Address: "alarms/PageFast5m", Source: model.SourceCloudFormation,
					Changes: []model.AttributeChange{{Path: "Threshold", Before: "4.8", After: "5.2"}}}}
			}},
	})
}
