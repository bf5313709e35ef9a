package checks

import (
	"fmt"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/routing"
)

// ThresholdParity compares the SLO-derived, declared and live thresholds.
var ThresholdParity = &Check{
	ID:    "threshold-parity",
	Title: "Live threshold departs from what the SLO derives",
	Doc: Doc{
		Summary: "For each tenant's SLO window alarm, the thresholds of every system should agree: the one the SLO derives " +
			"(b·B), the declared one (plan or template) and the live CloudWatch one. Reports every live alarm " +
			"whose threshold departs from the SLO beyond `checks.drift_tolerance_percent`, with all three values, " +
			"which side departs, and the drift as |live - SLO| / SLO. When the live state includes PagerDuty, " +
			"an orchestration rule that matches the alarm's event on its Trigger threshold " +
			"(`event.custom_details.Trigger.Threshold matches \"4.8\"`) is PagerDuty's copy of the threshold, " +
			"and is compared with CloudWatch's: drift |CloudWatch - PagerDuty| / PagerDuty. Thresholds annotated in " +
			"the config (`pagerduty.thresholds`) are compared the same way, with the live threshold or, offline, " +
			"the declared one. (burn-factor-mismatch " +
			"reports declared thresholds that depart; alarm-drift compares declared with live attribute by attribute.)",
		Example: "Tenant 7c3f2e's 5m page alarm was raised in the console; PagerDuty still escalates at 4.8 %:\n\n" +
			"    tenant 7c3f2e SLO availability tier page-fast 5m: live CloudWatch pages at 5.2% but the SLO derives 4.8% (declared 4.8%, agrees with the SLO); drift 8.33%\n" +
			"    tenant 7c3f2e SLO availability tier page-fast 5m: CloudWatch pages at 5.2% but PagerDuty escalates at 4.8% (drift 8.33%, rule \"7c3f2e fast page\" in the router of event orchestration checkout)",
		Why: "The SLO is the contract; the live alarm is what wakes people. When they disagree the budget " +
			"policy is fiction, whatever the code says.",
		Fix: "Re-apply the declared alarm (or fix the SLO if the live value is the intended one), and find out who changed it.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"slo", "drift", "cloudwatch"},
	Needs:           []model.Feed{model.FeedSLO},
	NeedsAny:        []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Uses:            []model.Feed{model.FeedPagerDuty},
	Run:             runThresholdParity,
}

func runThresholdParity(pass *Pass) {
	live := pass.LiveByName()
	annotatedParity(pass, live)
	if pass.World.Live == nil {
		return
	}
	pagerDutyParity(pass, live)
	explained := registryMismatched(pass) // registry-objective names the cause once
	for _, b := range pass.SLO().Bound {
		if b.Window == 0 {
			continue
		}
		l, ok := live[b.Alarm.Name]
		if !ok || !l.Threshold.Known {
			continue
		}
		liveRatio := l.ThresholdRatio
		if b.Alarm.Source != model.SourceLive {
			// The live alarm was classified on its own; read its unit the way the declared one was.
			liveRatio = scaleLike(b.Alarm, l)
		}
		if !liveRatio.Known {
			continue
		}
		if explained[b.Alarm] && b.Alarm.ThresholdRatio.Known && model.Near(liveRatio.Value, b.Alarm.ThresholdRatio.Value, pass.Settings.SLOTolerance) {
			continue // live is what the alarm was set to, for another objective than the registry's
		}
		want := b.Threshold()
		drift := model.RelativeDrift(liveRatio.Value, want)
		if drift <= pass.Settings.DriftTolerance || model.Near(liveRatio.Value, want, 1e-9) {
			continue
		}
		declared := "not declared"
		if b.Alarm.Source != model.SourceLive && b.Alarm.ThresholdRatio.Known {
			d := b.Alarm.ThresholdRatio.Value
			agrees := "agrees with the SLO"
			if !model.Near(d, want, pass.Settings.SLOTolerance) {
				agrees = "also departs from the SLO"
			}
			declared = fmt.Sprintf("declared %s, %s", pct(d), agrees)
		}
		a := b.Alarm
		f := Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(a), Attribute: "threshold", Location: pass.alarmLocation(a), Identity: a.Name, Scope: model.ScopeOf(l),
			Evidence: map[string]string{"slo": pct(want), "live": pct(liveRatio.Value), "drift": percent(drift)}}
		suffix := ""
		if restores(a, want, pass.Settings.SLOTolerance) {
			f.Severity, suffix = SeverityNote, "; this plan restores the SLO's value"
		}
		pass.Reportf(f, "tenant %s SLO %s tier %s %s: live CloudWatch pages at %s but the SLO derives %s (%s); drift %s%s",
			b.Tenant.ID, b.SLO.Ref(), b.Tier.Name, model.FormatWindow(b.Window), pct(liveRatio.Value), pct(want), declared, percent(drift), suffix)
	}
}

// scaleLike reads a live threshold in the unit of its declared twin.
func scaleLike(declared, live *model.Alarm) model.Number {
	if !declared.Threshold.Known || !declared.ThresholdRatio.Known || declared.Threshold.Value == 0 {
		return live.ThresholdRatio
	}
	return model.Known(live.Threshold.Value * declared.ThresholdRatio.Value / declared.Threshold.Value)
}

// restores reports whether the plan changes the alarm's threshold to the
// SLO's value: the drift is real now, but applying this change ends it.
func restores(a *model.Alarm, want, tolerance float64) bool {
	return a.Prior != nil && a.ThresholdRatio.Known && a.Prior.ThresholdRatio.Known &&
		model.Near(a.ThresholdRatio.Value, want, tolerance) && !model.Near(a.Prior.ThresholdRatio.Value, a.ThresholdRatio.Value, 1e-9)
}

// pagerDutyParity compares PagerDuty's copies of thresholds with CloudWatch's.
func pagerDutyParity(pass *Pass, live map[string]*model.Alarm) {
	pd := pass.PagerDuty()
	if pd == nil {
		return
	}
	for _, b := range pass.SLO().Bound {
		if b.Window == 0 {
			continue
		}
		a := b.Alarm
		if l, ok := live[a.Name]; ok {
			a = l
		}
		if !a.Threshold.Known {
			continue
		}
		scale := 1.0
		if b.Alarm.Threshold.Known && b.Alarm.ThresholdRatio.Known && b.Alarm.Threshold.Value != 0 {
			scale = b.Alarm.ThresholdRatio.Value / b.Alarm.Threshold.Value
		}
		for _, tr := range pd.ThresholdRules(a) {
			drift := model.RelativeDrift(a.Threshold.Value, tr.Threshold)
			if drift <= pass.Settings.DriftTolerance || model.Near(a.Threshold.Value, tr.Threshold, 1e-9) {
				continue
			}
			pass.Reportf(Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(b.Alarm), Attribute: "threshold", Location: pass.alarmLocation(b.Alarm),
				Identity: b.Alarm.Name + "/pagerduty/" + tr.Ref.Rule.ID,
				Evidence: map[string]string{"cloudwatch": pct(a.Threshold.Value * scale), "pagerduty": pct(tr.Threshold * scale), "drift": percent(drift)}},
				"tenant %s SLO %s tier %s %s: CloudWatch pages at %s but PagerDuty escalates at %s (drift %s, rule %s in the %s)",
				b.Tenant.ID, b.SLO.Ref(), b.Tier.Name, model.FormatWindow(b.Window), pct(a.Threshold.Value*scale), pct(tr.Threshold*scale),
				percent(drift), routing.Label(tr.Ref.Rule), tr.Ref.Where)
		}
	}
}

// annotatedParity compares the PagerDuty thresholds annotated in the config
// with CloudWatch's: the live alarm's, else the declared one's.
func annotatedParity(pass *Pass, live map[string]*model.Alarm) {
	if len(pass.Settings.PagerDutyThresholds) == 0 {
		return
	}
	for _, b := range pass.SLO().Bound {
		if b.Window == 0 {
			continue
		}
		a, ratio, where := b.Alarm, b.Alarm.ThresholdRatio, "declared"
		if l, ok := live[a.Name]; ok {
			a, ratio, where = l, l.ThresholdRatio, "live"
			if b.Alarm.Source != model.SourceLive {
				ratio = scaleLike(b.Alarm, l)
			}
		} else if a.Source == model.SourceLive {
			where = "live"
		}
		if !ratio.Known {
			continue
		}
		for _, t := range pass.Settings.PagerDutyThresholds {
			if t.Tenant != b.Tenant.ID || t.SLO != "" && t.SLO != b.SLO.Name || t.Tier != "" && t.Tier != b.Tier.Name || t.Window != 0 && t.Window != b.Window {
				continue
			}
			drift := model.RelativeDrift(ratio.Value, t.Ratio)
			if drift <= pass.Settings.DriftTolerance || model.Near(ratio.Value, t.Ratio, 1e-9) {
				continue
			}
			note := ""
			if t.Note != "" {
				note = ": " + t.Note
			}
			pass.Reportf(Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(b.Alarm), Attribute: "threshold", Location: pass.alarmLocation(b.Alarm), Scope: model.ScopeOf(a),
				Identity: fmt.Sprintf("%s/pagerduty-annotation/%g", b.Alarm.Name, t.Ratio),
				Evidence: map[string]string{"cloudwatch": pct(ratio.Value), "pagerduty": pct(t.Ratio), "drift": percent(drift)}},
				"tenant %s SLO %s tier %s %s: CloudWatch (%s) pages at %s but PagerDuty escalates at %s (drift %s, annotated at %s:%d%s)",
				b.Tenant.ID, b.SLO.Ref(), b.Tier.Name, model.FormatWindow(b.Window), where, pct(ratio.Value), pct(t.Ratio), percent(drift),
				t.Location.File, t.Location.Line, note)
		}
	}
}
