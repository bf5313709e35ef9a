package checks

import (
	"fmt"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/routing"
)

// TenantRoute finds a tenant's alarms that page another tenant's on-call,
// and tiers whose urgency does not fit them.
var TenantRoute = &Check{
	ID:    "tenant-route",
	Title: "Alarm pages another tenant's service, or at the wrong urgency",
	Doc: Doc{
		Summary: "Follows each tenant's SLO alarms into PagerDuty as page-routing does. Reports an alarm " +
			"that lands on a service of another tenant (services are tied to tenants by " +
			"`conventions.pagerduty_service`), as an error, and a ticket tier that lands on a high-urgency " +
			"service without a rule lowering its severity, as a warning: people are paged for slow burns. " +
			"Both are judged on live routing and again with the routing the plans change laid over it, so a " +
			"copy-pasted router rule is caught in the pull request, before it applies.",
		Example: "A copy-pasted router rule sends 8a9b0c's pages to 3c4d5e's service:\n\n" +
			"    tenant 8a9b0c tier page-fast: alarm slo-8a9b0c-availability-page-fast pages checkout-3c4d5e, the service of tenant 3c4d5e",
		Why: "The wrong on-call is woken, and the right one never hears of it.",
		Fix: "Fix the router rule's condition or route_to; route ticket tiers to a low-urgency service or set severity in a rule.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"pagerduty", "routing", "tenancy"},
	Needs:           []model.Feed{model.FeedSLO, model.FeedPagerDuty},
	Uses:            []model.Feed{model.FeedDeclared, model.FeedAlarms, model.FeedSNS},
	Run:             runTenantRoute,
}

func runTenantRoute(pass *Pass) {
	if pass.PagerDuty() == nil {
		return
	}
	for _, ta := range sortedTiers(pass.SLO().byTier()) {
		for _, b := range pagers(ta) {
			a := liveTwin(pass.World, b.Alarm)
			pass.judgeRoutes(a, func(_ *routing.View, routes []routing.Route) []routeIssue {
				return tenantRouteIssues(pass, b, a, routes)
			})
		}
	}
}

// tenantRouteIssues judges where an alarm's notifications land.
func tenantRouteIssues(pass *Pass, b *binding, a *model.Alarm, routes []routing.Route) []routeIssue {
	var out []routeIssue
	for _, r := range routes {
		if r.Service == nil || r.Suppressed {
			continue
		}
		f := Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(b.Alarm), Location: pass.alarmLocation(b.Alarm), Identity: a.Name + "/" + r.Service.ID}
		if r.Service.Tenant != "" && r.Service.Tenant != b.Tenant.ID {
			out = append(out, routeIssue{f, fmt.Sprintf("tenant %s tier %s: alarm %s pages %s, the service of tenant %s",
				b.Tenant.ID, b.Tier.Name, a.Name, r.Service.Name, r.Service.Tenant)})
		}
		if b.Tier.Severity == model.SeverityTicket && r.Service.Urgency == "high" && r.Severity != "warning" && r.Severity != "info" {
			f.Severity, f.Identity = SeverityWarning, f.Identity+"/urgency"
			out = append(out, routeIssue{f, fmt.Sprintf("tenant %s ticket tier %s: alarm %s reaches high-urgency service %s%s: slow burns page people",
				b.Tenant.ID, b.Tier.Name, a.Name, r.Service.Name, severityNote(r.Severity))})
		}
	}
	return out
}

func severityNote(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf(" at severity %s", s)
}
