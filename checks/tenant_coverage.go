package checks

import (
	"fmt"
	"strings"

	"github.com/driftgate/driftgate/model"
)

// TenantCoverage checks that every tenant has the full alarm set of its SLOs.
var TenantCoverage = &Check{
	ID:    "tenant-coverage",
	Title: "Tenant lacks part of its SLO's alarm set",
	Doc: Doc{
		Summary: "For every SLO and every tenant it applies to, every tier needs its long and short window " +
			"alarms, and someone must be notified when the tier fires: the tier's composite alarm has enabled " +
			"alarm actions or, without a composite, the window alarms do. Counts the alarms that will exist " +
			"after this plan: declared ones the plan keeps, changes or creates, and undeclared live ones.",
		Example: "Tenant 3c4d5e has no page alarms at all:\n\n" +
			"    tenant 3c4d5e SLO availability tier page-fast: no long window (1h) alarm, no short window (5m) alarm, and nothing is notified",
		Why: "A tenant without a page tier burns its whole budget before anyone hears of it; in a " +
			"multi-tenant service that is usually the tenant onboarded last.",
		Fix: "Add the missing alarms (for example by adding the tenant to the module's for_each), with actions on the tier's composite.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"slo", "tenancy"},
	Needs:           []model.Feed{model.FeedSLO},
	NeedsAny:        []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runTenantCoverage,
}

func runTenantCoverage(pass *Pass) {
	tiers := pass.SLO().byTier()
	for _, s := range pass.World.SLOs {
		for _, tenant := range pass.World.Tenants {
			if !s.Scope.Includes(tenant) || tenant.Implicit && !hasAlarms(tiers, tenant.ID) {
				continue // the implicit tenant exists only as far as alarms do
			}
			for _, tier := range s.Tiers {
				ta := tiers[tierKey{tenant.ID, s.Ref(), tier.Name}]
				if ta == nil {
					ta = &tierAlarms{}
				}
				var missing []string
				if ta.Long == nil {
					missing = append(missing, fmt.Sprintf("no long window (%s) alarm", model.FormatWindow(tier.Long)))
				}
				if ta.Short == nil {
					missing = append(missing, fmt.Sprintf("no short window (%s) alarm", model.FormatWindow(tier.Short)))
				}
				if !tierNotifies(ta) {
					missing = append(missing, "nothing is notified")
				}
				if len(missing) == 0 {
					continue
				}
				loc, subject := s.Location, s.Ref()+"/"+tier.Name
				for _, b := range []*binding{ta.Composite, ta.Long, ta.Short} {
					if b != nil {
						loc, subject = pass.alarmLocation(b.Alarm), alarmSubject(b.Alarm)
						break
					}
				}
				msg := strings.Join(missing, ", ")
				if i := strings.LastIndex(msg, ", "); i > 0 {
					msg = msg[:i] + ", and " + msg[i+2:]
				}
				pass.Reportf(Finding{Tenant: tenant.ID, Subject: subject, Location: loc, Identity: tenant.ID + "/" + s.Ref() + "/" + tier.Name},
					"tenant %s SLO %s tier %s: %s", tenant.ID, s.Ref(), tier.Name, msg)
			}
		}
	}
}

// hasAlarms reports whether any alarm is bound to one of the tenant's tiers.
func hasAlarms(tiers map[tierKey]*tierAlarms, tenant string) bool {
	for k := range tiers {
		if k.Tenant == tenant {
			return true
		}
	}
	return false
}

func tierNotifies(ta *tierAlarms) bool {
	if ta.Composite != nil {
		return notifies(ta.Composite.Alarm)
	}
	return ta.Long != nil && notifies(ta.Long.Alarm) || ta.Short != nil && notifies(ta.Short.Alarm)
}
