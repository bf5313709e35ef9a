package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/routing"
)

// AlertRuleParity compares a team's SQL alert rules with CloudWatch,
// PagerDuty and the SLOs.
var AlertRuleParity = &Check{
	ID:    "alert-rule-parity",
	Title: "SQL alert rule departs from CloudWatch, PagerDuty or the SLO",
	Doc: Doc{
		Summary: "Teams that keep their alert rules in an `alert_rules` table (config `alert_rules:`) have three copies of each " +
			"threshold: the table's, CloudWatch's and PagerDuty's (an orchestration rule on the alarm's Trigger threshold). " +
			"Each rule is joined to its alarm (by `alarm_name`, else by tenant and window among the SLO alarms) and the three are " +
			"compared: any copy that departs from the table by more than `checks.drift_tolerance_percent` is reported with all " +
			"values and the drift |copy - table| / table. A rule whose alarm exists nowhere, a tenant's SLO alarm without a rule " +
			"(for tenants the table covers), and a rule whose threshold departs from what its SLO tier derives are reported too. " +
			"The finding names the table and the rule's key; code scanning shows it at the config entry that declares the table.",
		Example: "Tenant 7c3f2e's 5m page alarm was raised in the console; the table and PagerDuty still say 4.8 %:\n\n" +
			"    tenant 7c3f2e 5m error_rate (alert_rules rule_id=r-7c3f2e-page-5m): CloudWatch pages at 5.2% while alert_rules and PagerDuty say 4.8% (drift 8.33%)",
		Why: "The table is what the team reviews and what the audit queries; CloudWatch and PagerDuty are what wake people. " +
			"A threshold that differs between them means someone is paged at a level nobody agreed to, or not paged at all.",
		Fix: "Make the three agree: re-apply the declared alarm, correct the row, or update PagerDuty's rule, whichever side departs.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"drift", "sql", "pagerduty", "cloudwatch"},
	Needs:           []model.Feed{model.FeedAlertRules},
	NeedsAny:        []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Uses:            []model.Feed{model.FeedPagerDuty, model.FeedSLO},
	Run:             runAlertRuleParity,
}

// ruleCopy is one system's copy of a rule's threshold.
type ruleCopy struct {
	system string
	ratio  float64
	where  string // which PagerDuty rule, when it is PagerDuty's
}

func runAlertRuleParity(pass *Pass) {
	w := pass.World
	live := pass.LiveByName()
	declared := map[string]*model.Alarm{}
	for _, a := range w.Declared {
		if a.Action != model.ActionDelete {
			declared[a.LiveName()] = a
		}
	}
	byTenantWindow := map[string][]*binding{}
	byAlarm := map[string]*binding{}
	for _, b := range pass.SLO().Bound {
		if b.Window == 0 {
			continue
		}
		byAlarm[b.Alarm.Name] = b
		k := b.Tenant.ID + "/" + model.FormatWindow(b.Window)
		byTenantWindow[k] = append(byTenantWindow[k], b)
	}
	reads := w.FeedReads()
	everyLiveAlarm, _ := reads.Available(model.FeedAllAlarms)
	explained := registryMismatched(pass) // registry-objective names the cause once
	covered := map[string]bool{}          // tenants with rules
	ruled := map[string]bool{}            // alarms a rule names or was joined to
	for _, r := range w.AlertRules {
		covered[r.Tenant] = true
		name := r.AlarmName
		b := byAlarm[name]
		if name == "" && r.Window != 0 {
			if bs := byTenantWindow[r.Tenant+"/"+model.FormatWindow(r.Window)]; len(bs) == 1 {
				b, name = bs[0], bs[0].Alarm.Name
			}
		}
		if name == "" {
			continue // nothing to join on: the rule names no alarm and no single SLO alarm has its window
		}
		ruled[name] = true
		l, d := live[name], declared[name]
		if l == nil && d == nil {
			if everyLiveAlarm || w.Live == nil && len(w.Declared) > 0 {
				ruleWithoutAlarm(pass, r, name, everyLiveAlarm)
			}
			continue
		}
		copies := ruleCopies(pass, l, d)
		reportRuleParity(pass, r, copies, l, d)
		if b != nil {
			ruleAgainstSLO(pass, r, b, explained)
		}
	}
	// SLO alarms of covered tenants that no rule names.
	for _, b := range pass.SLO().Bound {
		if b.Window == 0 || !covered[b.Tenant.ID] || ruled[b.Alarm.Name] {
			continue
		}
		a := b.Alarm
		pass.Reportf(Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(a), Severity: SeverityWarning, Location: pass.alarmLocation(a),
			Identity: a.Name + "/no-rule", Scope: model.ScopeOf(a)},
			"tenant %s alarm %s (SLO %s tier %s %s) has no rule in %s, which has rules for this tenant",
			b.Tenant.ID, a.Name, b.SLO.Ref(), b.Tier.Name, model.FormatWindow(b.Window), ruleTables(w.AlertRules))
	}
}

// ruleCopies are CloudWatch's and PagerDuty's thresholds for the rule's alarm, as ratios.
func ruleCopies(pass *Pass, l, d *model.Alarm) []ruleCopy {
	var out []ruleCopy
	a := l
	if a == nil {
		a = d
	}
	scale := 0.0 // raw threshold -> ratio, from the declared alarm's unit when there is one
	for _, x := range []*model.Alarm{d, l} {
		if x != nil && scale == 0 && x.Threshold.Known && x.ThresholdRatio.Known && x.Threshold.Value != 0 {
			scale = x.ThresholdRatio.Value / x.Threshold.Value
		}
	}
	if a.Threshold.Known && scale != 0 {
		system := "CloudWatch"
		if a == d {
			system = "the declared alarm"
		}
		out = append(out, ruleCopy{system: system, ratio: a.Threshold.Value * scale})
	}
	if pd := pass.PagerDuty(); pd != nil && scale != 0 {
		for _, tr := range pd.ThresholdRules(a) {
			out = append(out, ruleCopy{system: "PagerDuty", ratio: tr.Threshold * scale, where: fmt.Sprintf("rule %s in the %s", routing.Label(tr.Ref.Rule), tr.Ref.Where)})
		}
	}
	return out
}

func reportRuleParity(pass *Pass, r *model.AlertRule, copies []ruleCopy, l, d *model.Alarm) {
	var departs, agrees []ruleCopy
	for _, c := range copies {
		if model.RelativeDrift(c.ratio, r.Threshold.Value) > pass.Settings.DriftTolerance && !model.Near(c.ratio, r.Threshold.Value, 1e-9) {
			departs = append(departs, c)
		} else {
			agrees = append(agrees, c)
		}
	}
	if len(departs) == 0 {
		return
	}
	var parts, drifts, wheres []string
	ev := map[string]string{r.Table: pct(r.Threshold.Value)}
	for i, c := range departs {
		verb := "pages at"
		if c.system == "PagerDuty" {
			verb = "escalates at"
		}
		if i > 0 {
			verb = "at"
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", c.system, verb, pct(c.ratio)))
		drift := model.RelativeDrift(c.ratio, r.Threshold.Value)
		drifts = append(drifts, percent(drift))
		ev[strings.ToLower(strings.TrimPrefix(c.system, "the "))] = pct(c.ratio)
		if c.where != "" {
			wheres = append(wheres, c.where)
		}
	}
	ev["drift"] = drifts[0]
	sayers := r.Table
	verb := "says"
	for _, c := range agrees {
		sayers += " and " + c.system
		verb = "say"
	}
	a := l
	if a == nil {
		a = d
	}
	msg := fmt.Sprintf("%s while %s %s %s (drift %s", strings.Join(parts, " and "), sayers, verb, pct(r.Threshold.Value), strings.Join(drifts, ", "))
	if len(wheres) > 0 {
		msg += "; " + strings.Join(wheres, ", ")
	}
	msg += ")"
	pass.Reportf(Finding{Tenant: r.Tenant, Subject: r.Ref(), Attribute: "threshold", Location: r.Location, Scope: model.ScopeOf(a),
		Identity: r.Source + "/" + r.Key + "/parity", Evidence: ev},
		"%s: %s", ruleLabel(r), msg)
}

func ruleAgainstSLO(pass *Pass, r *model.AlertRule, b *binding, explained map[*model.Alarm]bool) {
	want := b.Threshold()
	if model.Near(r.Threshold.Value, want, max(pass.Settings.SLOTolerance, 1e-9)) {
		return
	}
	if explained[b.Alarm] && rulesAgree(r, b.Alarm, pass.Settings.SLOTolerance) {
		return // the rule is set like its alarm, for another objective than the registry's
	}
	pass.Reportf(Finding{Tenant: r.Tenant, Subject: r.Ref(), Attribute: "threshold", Location: r.Location, Scope: "rule " + r.Source, // rests on the table's read, on no live one
		Identity: r.Source + "/" + r.Key + "/slo",
		Evidence: map[string]string{r.Table: pct(r.Threshold.Value), "slo": pct(want), "drift": percent(model.RelativeDrift(r.Threshold.Value, want))}},
		"%s: the rule's threshold %s departs from the %s its SLO %s tier %s derives (%gx burn of a %s budget; drift %s)",
		ruleLabel(r), pct(r.Threshold.Value), pct(want), b.SLO.Ref(), b.Tier.Name, b.Factor(), pct(b.Budget()),
		percent(model.RelativeDrift(r.Threshold.Value, want)))
}

func ruleWithoutAlarm(pass *Pass, r *model.AlertRule, name string, sweep bool) {
	sev := SeverityWarning
	if r.Severity == model.SeverityPage || r.Severity == "critical" {
		sev = SeverityError
	}
	where := "in the declared alarms"
	if sweep {
		where = "live or declared"
	}
	pass.Reportf(Finding{Tenant: r.Tenant, Subject: r.Ref(), Severity: sev, Location: r.Location, Identity: r.Source + "/" + r.Key + "/no-alarm"},
		"%s: its alarm %s exists nowhere (looked %s): the rule alerts no one", ruleLabel(r), name, where)
}

// ruleLabel: "tenant 7c3f2e 5m error_rate (alert_rules rule_id=17)".
func ruleLabel(r *model.AlertRule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tenant %s", r.Tenant)
	if r.Window != 0 {
		fmt.Fprintf(&b, " %s", model.FormatWindow(r.Window))
	}
	if r.Metric != "" {
		fmt.Fprintf(&b, " %s", r.Metric)
	}
	fmt.Fprintf(&b, " (%s)", r.Ref())
	return b.String()
}

func ruleTables(rules []*model.AlertRule) string {
	var names []string
	for _, r := range rules {
		if !slices.Contains(names, r.Table) {
			names = append(names, r.Table)
		}
	}
	return strings.Join(names, ", ")
}

// rulesAgree reports whether a rule's threshold is its alarm's.
func rulesAgree(r *model.AlertRule, a *model.Alarm, tolerance float64) bool {
	return r.Threshold.Known && a.ThresholdRatio.Known && model.Near(r.Threshold.Value, a.ThresholdRatio.Value, max(tolerance, 1e-9))
}
