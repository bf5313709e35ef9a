package checks

import (
	"fmt"

	"github.com/driftgate/driftgate/model"
)

// WindowPairing checks the long and short windows of each tier.
var WindowPairing = &Check{
	ID:    "window-pairing",
	Title: "Long and short windows of a tier do not pair",
	Doc: Doc{
		Summary: "In a multiwindow tier the short window confirms the long one is still burning, so: short < " +
			"long <= the SLO period, short near 1/12 of long (between 1/24 and 1/6), and both windows alert at " +
			"the same burn factor. Reports SLO tiers that break the window rules, and tenants whose long and " +
			"short alarms of one tier use different thresholds.",
		Example: "The 5m alarm was raised but its 1h partner was not:\n\n" +
			"    tenant 7c3f2e SLO availability tier page-fast: the long window (1h) alarms at 4.8% but the short window (5m) at 5.2%; both must use the tier's factor",
		Why: "With different factors the pair no longer means \"burning now and for a while\": the alert " +
			"fires late, or resets early and flaps.",
		Fix: "Give both windows the tier's threshold b·B, and keep the short window near 1/12 of the long one.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"slo", "burn-rate"},
	Needs:           []model.Feed{model.FeedSLO},
	Uses:            []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runWindowPairing,
}

func runWindowPairing(pass *Pass) {
	for _, s := range pass.World.SLOs {
		for _, t := range s.Tiers {
			var problem string
			switch ratio := float64(t.Short) / float64(t.Long); {
			case t.Short >= t.Long:
				problem = "the short window must be shorter than the long one"
			case t.Long > s.Period:
				problem = fmt.Sprintf("the long window exceeds the SLO period %s", model.FormatWindow(s.Period))
			case ratio < 1.0/24 || ratio > 1.0/6:
				problem = fmt.Sprintf("the short window is 1/%.3g of the long one, far from the workbook's 1/12", 1/ratio)
			}
			if problem != "" {
				pass.Reportf(Finding{Severity: SeverityWarning, Subject: s.Ref() + "/" + t.Name, Location: s.Location, Scope: model.ScopeDeclared, Identity: s.Ref() + "/" + t.Name},
					"SLO %s tier %s (long %s, short %s): %s", s.Ref(), t.Name, model.FormatWindow(t.Long), model.FormatWindow(t.Short), problem)
			}
		}
	}
	type key struct{ tenant, slo, tier string }
	pairs := map[key][2]*binding{}
	var order []key
	for _, b := range pass.SLO().Bound {
		if b.Window == 0 || !b.Alarm.ThresholdRatio.Known {
			continue
		}
		k := key{b.Tenant.ID, b.SLO.Ref(), b.Tier.Name}
		p, seen := pairs[k]
		if !seen {
			order = append(order, k)
		}
		if b.Long {
			p[0] = b
		} else {
			p[1] = b
		}
		pairs[k] = p
	}
	for _, k := range order {
		long, short := pairs[k][0], pairs[k][1]
		if long == nil || short == nil {
			continue // tenant-coverage reports a missing window
		}
		if model.Near(long.Alarm.ThresholdRatio.Value, short.Alarm.ThresholdRatio.Value, pass.Settings.SLOTolerance) {
			continue
		}
		a := short.Alarm
		// The window off the tier's threshold is the one to change.
		var fix *Fix
		want := short.Threshold()
		switch {
		case model.Near(long.Alarm.ThresholdRatio.Value, want, pass.Settings.SLOTolerance):
			fix = fixThreshold(a, want)
		case model.Near(a.ThresholdRatio.Value, want, pass.Settings.SLOTolerance):
			fix = fixThreshold(long.Alarm, want)
		}
		pass.Reportf(Finding{Tenant: k.tenant, Subject: alarmSubject(a), Attribute: "threshold", Location: pass.alarmLocation(a), Identity: k.tenant + "/" + k.slo + "/" + k.tier, Fix: fix},
			"tenant %s SLO %s tier %s: the long window (%s) alarms at %s but the short window (%s) at %s; both must use the tier's factor",
			k.tenant, k.slo, k.tier, model.FormatWindow(long.Window), pct(long.Alarm.ThresholdRatio.Value),
			model.FormatWindow(short.Window), pct(a.ThresholdRatio.Value))
	}
}
