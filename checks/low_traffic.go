package checks

import "github.com/driftgate/driftgate/model"

// LowTraffic flags tiers where a single failed request pages.
var LowTraffic = &Check{
	ID:    "low-traffic",
	Title: "A single error can fire the tier",
	Doc: Doc{
		Summary: "With `events_per_minute` set for a tenant, one error among N events in the short window is " +
			"an error ratio of 1/N; when N < 1/(b·B) that single error reaches the tier's threshold. Reports " +
			"each such tenant and tier with the expected events and the bound.",
		Example: "A tenant with 10 requests a minute on a 99.9 % SLO:\n\n" +
			"    tenant 8a9b0c SLO availability tier page-fast: about 50 events fall in the 5m window, fewer than 69.44 = 1/(14.4 × 0.1%), so one failed request (2%) fires it",
		Why: "At low traffic a burn-rate alert measures luck, not reliability: one timeout pages someone at night.",
		Fix: "Alert on a longer short window for low-traffic tenants, add synthetic traffic, or use a minimum-events guard in the math expression.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"slo", "burn-rate"},
	Needs:           []model.Feed{model.FeedSLO},
	Run:             runLowTraffic,
}

func runLowTraffic(pass *Pass) {
	for _, s := range pass.World.SLOs {
		for _, t := range pass.World.Tenants {
			if t.EventsPerMinute <= 0 || !s.Scope.Includes(t) {
				continue
			}
			budget := model.Budget(s.ObjectiveFor(t))
			for _, tier := range s.Tiers {
				b := tier.BurnFactor(s.Period)
				events := t.EventsPerMinute * tier.Short.Minutes()
				bound := model.SingleErrorEvents(b, budget)
				if events >= bound {
					continue
				}
				pass.Reportf(Finding{Tenant: t.ID, Subject: s.Ref() + "/" + tier.Name, Location: s.Location, Scope: model.ScopeDeclared, Identity: t.ID + "/" + s.Ref() + "/" + tier.Name},
					"tenant %s SLO %s tier %s: about %.4g events fall in the %s window, fewer than %.4g = 1/(%.4g × %s), so one failed request (%s) fires it",
					t.ID, s.Ref(), tier.Name, events, model.FormatWindow(tier.Short), bound, b, pct(budget), pct(1/events))
			}
		}
	}
}
