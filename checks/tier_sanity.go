package checks

import (
	"fmt"
	"slices"

	"github.com/driftgate/driftgate/model"
)

// TierSanity checks that an SLO's tiers are ordered as a burn-rate policy must be.
var TierSanity = &Check{
	ID:    "tier-sanity",
	Title: "SLO tiers are out of order",
	Doc: Doc{
		Summary: "Checks each SLO's tiers: a page tier's factor is at least 1 (slower burns do not spend the " +
			"budget within the period and should not wake anyone); factors fall as windows lengthen; and every " +
			"page factor is above every ticket factor.",
		Example: "A page tier over 3 days at 10 % of a 30-day budget:\n\n" +
			"    SLO availability tier page-slow pages at burn factor 0.5, below 1: the burn would not exhaust the budget within 30d",
		Why: "Tiers out of order page for slow burns and ticket for fast ones: people are woken for what " +
			"could wait and sleep through what cannot.",
		Fix: "Recompute the tiers from the workbook table (2 %/1h, 5 %/6h page; 10 %/3d ticket) for the SLO's period.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"slo", "burn-rate"},
	Needs:           []model.Feed{model.FeedSLO},
	Run:             runTierSanity,
}

func runTierSanity(pass *Pass) {
	for _, s := range pass.World.SLOs {
		report := func(tier, format string, args ...any) {
			pass.Reportf(Finding{Subject: s.Ref() + "/" + tier, Location: s.Location, Scope: model.ScopeDeclared, Identity: s.Ref() + "/" + tier + "/" + format}, format, args...)
		}
		tiers := slices.Clone(s.Tiers)
		slices.SortStableFunc(tiers, func(a, b model.AlertTier) int { return int(a.Long - b.Long) })
		for i, t := range tiers {
			f := t.BurnFactor(s.Period)
			if t.Severity == model.SeverityPage && f < 1 {
				report(t.Name, "SLO %s tier %s pages at burn factor %.4g, below 1: the burn would not exhaust the budget within %s",
					s.Ref(), t.Name, f, model.FormatWindow(s.Period))
			}
			if i > 0 {
				prev := tiers[i-1]
				if pf := prev.BurnFactor(s.Period); pf < f && prev.Long != t.Long {
					report(t.Name, "SLO %s tier %s (%s) has burn factor %.4g, above the %.4g of the shorter tier %s (%s): factors must fall as windows lengthen",
						s.Ref(), t.Name, model.FormatWindow(t.Long), f, pf, prev.Name, model.FormatWindow(prev.Long))
				}
			}
		}
		for _, p := range s.Tiers {
			for _, t := range s.Tiers {
				if p.Severity == model.SeverityPage && t.Severity == model.SeverityTicket && p.BurnFactor(s.Period) <= t.BurnFactor(s.Period) {
					report(p.Name, "SLO %s page tier %s has burn factor %s, not above ticket tier %s's %s",
						s.Ref(), p.Name, fmt.Sprintf("%.4g", p.BurnFactor(s.Period)), t.Name, fmt.Sprintf("%.4g", t.BurnFactor(s.Period)))
				}
			}
		}
	}
}
