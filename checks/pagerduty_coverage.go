package checks

import "github.com/driftgate/driftgate/model"

// PagerDutyCoverage matches tenants with PagerDuty services.
var PagerDutyCoverage = &Check{
	ID:    "pagerduty-coverage",
	Title: "Tenant without a PagerDuty service, or service without a tenant",
	Doc: Doc{
		Summary: "With `conventions.pagerduty_service` tying services to tenants, reports each configured " +
			"tenant that has no service (warning) and each service whose name claims a tenant that is not " +
			"configured (note): a leftover of an offboarded tenant, or a typo in the name. Services count as the " +
			"change leaves them: created in the plans, or gone when the plans delete them.",
		Example: "    tenant f00d42 has no PagerDuty service (conventions.pagerduty_service matches none)",
		Why: "A tenant without a service has nowhere for its pages to go; a stale service keeps paging rules " +
			"and people attached to a tenant that is gone.",
		Fix: "Create the tenant's service (or fix its name), and remove services of tenants that left.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"pagerduty", "tenancy"},
	Needs:           []model.Feed{model.FeedPagerDuty},
	Uses:            []model.Feed{model.FeedDeclared},
	Run:             runPagerDutyCoverage,
}

func runPagerDutyCoverage(pass *Pass) {
	pd := pass.PagerDuty()
	if pd == nil {
		return
	}
	// Services count as they will be once the change applies: a tenant
	// onboarded with its service in the same PR has one.
	has, named := map[string]bool{}, false
	services := pd.PD.Services
	if planned := pass.plannedView(); planned != nil {
		services = planned.PD.Services
	}
	for _, s := range services {
		if s.Tenant != "" {
			has[s.Tenant], named = true, true
		}
	}
	if pass.World.Routing != nil {
		for _, s := range pass.World.Routing.Services {
			if s.Tenant != "" && s.Declared != nil && s.Declared.Action == model.ActionCreate {
				has[s.Tenant], named = true, true
			}
		}
	}
	if !named {
		return // no naming convention in use: nothing to match
	}
	configured := pass.World.Configured
	if configured == nil {
		configured = map[string]bool{}
		for _, t := range pass.World.Tenants {
			configured[t.ID] = true
		}
	}
	for _, t := range pass.World.Tenants {
		if !has[t.ID] {
			pass.Reportf(Finding{Tenant: t.ID, Subject: "tenant " + t.ID, Location: pass.World.Anchor, Identity: t.ID},
				"tenant %s has no PagerDuty service (conventions.pagerduty_service matches none)", t.ID)
		}
	}
	for _, s := range pd.PD.Services {
		if s.Tenant != "" && !configured[s.Tenant] {
			pass.Reportf(Finding{Severity: SeverityNote, Subject: s.Name, Location: pass.World.Anchor, Identity: s.ID},
				"PagerDuty service %s (%s) is named for tenant %s, which is not configured", s.Name, s.ID, s.Tenant)
		}
	}
}
