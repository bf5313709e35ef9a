package checks

import (
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/routing"
)

// RenamedAlarm finds alarms this change renames out of PagerDuty's rules.
var RenamedAlarm = &Check{
	ID:    "renamed-alarm",
	Title: "Renamed alarm would stop paging",
	Doc: Doc{
		Summary: "For each alarm this change renames (a plan or template change of its name), runs the " +
			"notification it sends today through the live PagerDuty routing, and the one it would send with " +
			"the new name through the routing as this change leaves it (live, with the plans' routing " +
			"changes laid over it). Reports a rename after which the event no longer reaches the service it " +
			"reaches today: orchestration rules often match on alarm names, and the rename silently stops the page.",
		Example: "A rename from slo-c0ffee-... to checkout-c0ffee-... misses the router rule `matches regex \"^slo-c0ffee-\"`:\n\n" +
			"    alarm slo-c0ffee-availability-page-fast is renamed to checkout-c0ffee-availability-page-fast in this change: PagerDuty routes the old name to checkout-c0ffee but the new one to no service (event orchestration checkout, router rule catch-all)",
		Why: "Nothing fails at apply time; the first sign is an outage nobody was paged for.",
		Fix: "Update the orchestration rules in the same change (or match on something stabler than the name), or keep the name.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"pagerduty", "routing"},
	Needs:           []model.Feed{model.FeedDeclared, model.FeedPagerDuty},
	Run:             runRenamedAlarm,
}

func runRenamedAlarm(pass *Pass) {
	pd := pass.PagerDuty()
	if pd == nil {
		return
	}
	// The new name meets the routing as it will be once this change applies:
	// a change that renames an alarm and updates the rules with it is fine.
	after := pd
	if planned := pass.plannedView(); planned != nil {
		after = planned
	}
	for _, d := range pass.World.Declared {
		if d.Prior == nil || d.Prior.Name == "" || d.Name == "" || d.Prior.Name == d.Name || d.IsUnknown("alarm_name") {
			continue
		}
		old := liveTwin(pass.World, d.Prior)
		renamed := *old
		renamed.Name = d.Name
		routed := after.Routes(&renamed)
		for _, b := range pd.Routes(old) {
			if b.Service == nil || b.Suppressed || stillReaches(routed, b.Service.ID) {
				continue
			}
			where := "no PagerDuty endpoint"
			if len(routed) > 0 {
				a := routed[0]
				switch {
				case a.Suppressed:
					where = "suppression (" + a.Via + ")"
				case a.Service != nil:
					where = "service " + a.Service.Name + " (" + a.Via + ")"
				default:
					where = "no service (" + a.Via + ")"
				}
			}
			pass.Reportf(Finding{Tenant: d.Tenant, Subject: alarmSubject(d), Attribute: "alarm_name", Location: pass.alarmLocation(d), Identity: d.Prior.Name + "->" + d.Name},
				"alarm %s is renamed to %s in this change: PagerDuty routes the old name to %s but the new one to %s",
				d.Prior.Name, d.Name, b.Service.Name, where)
		}
	}
}

// stillReaches says whether some route reaches the service unsuppressed,
// or cannot be judged.
func stillReaches(routes []routing.Route, serviceID string) bool {
	for _, r := range routes {
		if r.Unknown || r.Service != nil && r.Service.ID == serviceID && !r.Suppressed {
			return true
		}
	}
	return false
}
