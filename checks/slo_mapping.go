package checks

import "github.com/driftgate/driftgate/model"

// SLOMapping reports alarms whose names claim a tenant, SLO, tier or window
// that does not exist.
var SLOMapping = &Check{
	ID:    "slo-mapping",
	Title: "Alarm claims a tenant, SLO or tier that does not exist",
	Doc: Doc{
		Summary: "Alarms are tied to a tenant, SLO, tier and window by the naming conventions in " +
			"`conventions`. Reports alarms, declared or live, whose name claims a tenant that is not " +
			"configured, an SLO that is not defined or does not apply to that tenant, a tier the SLO does not " +
			"have, or a window that is neither of the tier's. Runs only when SLOs are given.",
		Example: "An alarm for an offboarded tenant is still declared:\n\n" +
			"    alarm slo-ab12cd-availability-page-fast-5m is tied to no SLO tier: tenant \"ab12cd\" is not configured",
		Why: "Such an alarm is checked against nothing: its thresholds may be anything, and nobody notices " +
			"when it pages the wrong people or never pages at all.",
		Fix: "Rename the alarm to the convention, add the tenant or SLO to the config, or delete the alarm.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"slo", "tenancy"},
	Needs:           []model.Feed{model.FeedSLO},
	NeedsAny:        []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runSLOMapping,
}

func runSLOMapping(pass *Pass) {
	for _, o := range pass.SLO().Orphans {
		a := o.Alarm
		pass.Reportf(Finding{Tenant: a.Tenant, Subject: alarmSubject(a), Location: pass.alarmLocation(a), Scope: model.ScopeOf(a), Identity: a.Name},
			"alarm %s is tied to no SLO tier: %s", a.Name, o.Reason)
	}
}
