package checks

import (
	"fmt"
	"time"

	"github.com/driftgate/driftgate/model"
)

// BurnFactorMismatch compares each declared alarm's burn factor with the one
// its SLO tier derives.
var BurnFactorMismatch = &Check{
	ID:    "burn-factor-mismatch",
	Title: "Alarm threshold does not match its SLO tier's burn factor",
	Doc: Doc{
		Summary: "For every declared alarm tied to an SLO tier, the burn factor it implements, b = threshold / B, " +
			"must equal the factor the tier derives, p·T/w (or states), within `checks.slo_tolerance_percent` " +
			"(1 % by default). When the alarm's factor matches the tier at another common period (7, 28 or 30 " +
			"days), the message says so: the SLO's period changed and the thresholds did not follow.",
		Example: "The SLO moved from 30 to 28 days; the 1h page alarm still pages at 1.44 %:\n\n" +
			"    alarm slo-7c3f2e-availability-page-fast-1h (tenant 7c3f2e, SLO availability (99.9% over 28d), tier page-fast 1h): " +
			"threshold 1.44% is a burn factor of 14.4, the tier needs 13.44 (threshold 1.344%, drift 7.14%); 14.4 is this tier's factor over 30d",
		Why: "A factor that does not follow p·T/w pages earlier or later than the budget policy promises: too " +
			"early wakes people for burns the budget absorbs, too late spends budget nobody was told about.",
		Fix: "Set the threshold to b·B with b = p·T/w for the SLO's current period, or restore the period the " +
			"thresholds were computed for.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"slo", "burn-rate"},
	Needs:           []model.Feed{model.FeedSLO},
	NeedsAny:        []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runBurnFactorMismatch,
}

var commonPeriods = []time.Duration{7 * 24 * time.Hour, 28 * 24 * time.Hour, 30 * 24 * time.Hour}

func runBurnFactorMismatch(pass *Pass) {
	explained := registryMismatched(pass) // registry-objective names the cause once
	for _, b := range pass.SLO().Bound {
		a := b.Alarm
		if explained[a] || a.Source == model.SourceLive || a.Kind == model.KindComposite || !a.ThresholdRatio.Known || a.ThresholdRatio.Value > 1 {
			continue // live alarms: threshold-parity; unreachable ones: unreachable-threshold
		}
		got, want := a.ThresholdRatio.Value/b.Budget(), b.Factor()
		if model.Near(got, want, pass.Settings.SLOTolerance) {
			continue
		}
		hint := ""
		for _, p := range commonPeriods {
			if p != b.SLO.Period && b.Tier.Factor == 0 && model.Near(got, b.Tier.BurnFactor(p), pass.Settings.SLOTolerance) {
				hint = fmt.Sprintf("; %.4g is this tier's factor over %s", got, model.FormatWindow(p))
			}
		}
		pass.Reportf(Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(a), Attribute: "threshold", Location: pass.alarmLocation(a), Scope: model.ScopeOf(a), Identity: a.Name,
			Fix:      fixThreshold(a, want*b.Budget()),
			Evidence: map[string]string{"factor": fmt.Sprintf("%.4g", got), "tier_factor": fmt.Sprintf("%.4g", want), "tier_threshold": pct(b.Threshold())}},
			"alarm %s (tenant %s, SLO %s, tier %s %s): threshold %s is a burn factor of %.4g, the tier needs %.4g (threshold %s, drift %s)%s",
			a.Name, b.Tenant.ID, sloLabel(b.SLO.Ref(), b.Objective, b.SLO.Period), b.Tier.Name, model.FormatWindow(b.Window),
			pct(a.ThresholdRatio.Value), got, want, pct(b.Threshold()), percent(model.RelativeDrift(a.ThresholdRatio.Value, b.Threshold())), hint)
	}
}
