package checks

import "github.com/driftgate/driftgate/model"

// MissingDataPages flags page tiers that treat missing data as breaching.
var MissingDataPages = &Check{
	ID:    "missing-data-pages",
	Title: "Page tier treats missing data as breaching",
	Doc: Doc{
		Summary: "Reports window alarms of page tiers with `treat_missing_data = breaching`: a tenant with no " +
			"traffic in a window, or a metric pipeline hiccup, then pages as if the whole budget were burning.",
		Example: "    alarm slo-5e6f70-availability-page-fast-5m (tenant 5e6f70, tier page-fast): treat_missing_data is breaching, so a window without data pages",
		Why:     "Quiet tenants and delayed metrics are normal; paging on them trains people to ignore pages.",
		Fix:     "Use notBreaching (or missing) for error-ratio windows, and alert on missing data separately, as a ticket.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"slo", "cloudwatch"},
	Needs:           []model.Feed{model.FeedSLO},
	NeedsAny:        []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runMissingDataPages,
}

func runMissingDataPages(pass *Pass) {
	for _, b := range pass.SLO().Bound {
		a := b.Alarm
		if b.Window == 0 || b.Tier.Severity != model.SeverityPage || a.TreatMissingData != "breaching" {
			continue
		}
		pass.Reportf(Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(a), Attribute: "treat_missing_data", Location: pass.alarmLocation(a), Scope: model.ScopeOf(a), Identity: a.Name},
			"alarm %s (tenant %s, tier %s): treat_missing_data is breaching, so a window without data pages", a.Name, b.Tenant.ID, b.Tier.Name)
	}
}
