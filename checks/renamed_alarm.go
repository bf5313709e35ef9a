package checks

// RenamedAlarm finds alarms this change renames out of PagerDuty's rules.
var RenamedAlarm = &Check{
	ID:    "renamed-alarm",
	Title: "Renamed alarm would stop paging",
	Doc: Doc{
		Summary: "For each alarm this change renames (a plan or template change of its name), runs the " +
			"notification it sends today and the one it would send with the new name through the live " +
			"PagerDuty routing. Reports a rename after which the event no longer reaches the service it " +
			"reaches today: orchestration rules often match on alarm names, and the rename silently stops the page.",
		Example: "A rename from slo-c0ffee-... to checkout-c0ffee-... misses the router rule `matches regex \"^slo-c0ffee-\"`:\n\n" +
			"    alarm slo-c0ffee-availability-page-fast is renamed to checkout-c0ffee-availability-page-fast in this change: PagerDuty routes the old name to checkout-c0ffee but the new one to no service (event orchestration checkout, router rule catch-all)",
		Why: "Nothing fails at apply time; the first sign is an outage nobody was paged for.",
		Fix: "Update the orchestration rules in the same change (or match on something stabler than the name), or keep the name.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"pagerduty", "routing"},
	Run:             runRenamedAlarm,
}

func runRenamedAlarm(pass *Pass) {
	pd := pass.PagerDuty()
	if pd == nil {
		return
	}
	for _, d := range pass.World.Declared {
		if d.Prior == nil || d.Prior.Name == "" || d.Name == "" || d.Prior.Name == d.Name || d.IsUnknown("alarm_name") {
			continue
		}
		old := liveTwin(pass.World, d.Prior)
		renamed := *old
		renamed.Name = d.Name
		before, after := pd.routes(old), pd.routes(&renamed)
		for i, b := range before {
			if b.Service == nil || b.Suppressed || i >= len(after) {
				continue
			}
			a := after[i]
			if a.Unknown || a.Service != nil && a.Service.ID == b.Service.ID && !a.Suppressed {
				continue
			}
			where := "no service (" + a.Via + ")"
			if a.Suppressed {
				where = "suppression (" + a.Via + ")"
			} else if a.Service != nil {
				where = "service " + a.Service.Name + " (" + a.Via + ")"
			}
			pass.Reportf(Finding{Tenant: d.Tenant, Subject: alarmSubject(d), Attribute: "alarm_name", Location: pass.alarmLocation(d), Identity: d.Prior.Name + "->" + d.Name},
				"alarm %s is renamed to %s in this change: PagerDuty routes the old name to %s but the new one to %s",
				d.Prior.Name, d.Name, b.Service.Name, where)
		}
	}
}
