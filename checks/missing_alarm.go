package checks

import "github.com/driftgate/driftgate/model"

// MissingAlarm reports declared alarms that should exist live but do not.
var MissingAlarm = &Check{
	ID:    "missing-alarm",
	Title: "Declared alarm is not live",
	Doc: Doc{
		Summary: "Reports alarms the plan keeps or updates (so they should already exist) that are absent " +
			"from live CloudWatch. Alarms the plan creates or deletes are not expected live and are not reported.",
		Example: "Terraform's plan keeps `slo-1a2b3c-availability-ticket-1d` unchanged, but no live alarm has that name:\n\n" +
			"    alarm slo-1a2b3c-availability-ticket-1d is declared (no-op in the plan) but does not exist in live CloudWatch",
		Why: "Someone deleted the alarm outside the code, or the plan was made without refreshing. Until the " +
			"next apply nothing watches that signal, and the plan does not show it will be re-created.",
		Fix: "Run `terraform plan` with refresh (the default) so the alarm is re-created, and find out who removed it.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"drift", "cloudwatch"},
	Needs:           []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runMissingAlarm,
}

func runMissingAlarm(pass *Pass) {
	if pass.World.Live == nil {
		return
	}
	live := pass.LiveByName()
	for _, decl := range pass.World.Declared {
		d := decl.Compared() // a sensitive name is looked up, never shown
		if d.Action == model.ActionDelete || !d.Action.ExpectedLive() || d.Name == "" || d.IsUnknown("alarm_name") {
			continue
		}
		if _, ok := live[d.LiveName()]; ok {
			continue
		}
		name, identity := d.LiveName(), d.Name
		if decl.IsSensitive("alarm_name") {
			name, identity = decl.Label(), d.Address
		}
		pass.Reportf(Finding{Tenant: decl.Tenant, Subject: decl.Address, Location: decl.Location, Identity: identity},
			"alarm %s is declared (%s in the plan) but does not exist in live CloudWatch", name, d.Action)
	}
}
