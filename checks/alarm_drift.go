package checks

import "github.com/driftgate/driftgate/model"

// AlarmDrift compares each declared alarm with the live alarm of the same name.
var AlarmDrift = &Check{
	ID:    "alarm-drift",
	Title: "Declared alarm differs from the live alarm",
	Doc: Doc{
		Summary: "For every alarm the plan keeps or changes, compares the planned settings with the live " +
			"CloudWatch alarm of the same name: threshold, operator, period, evaluation periods, datapoints " +
			"to alarm, statistic, metric or math expressions, treat-missing-data, whether actions are " +
			"enabled, and the alarm, OK and insufficient-data actions. An attribute the plan itself changes " +
			"is drift only when the live value matches neither the plan's before nor its after value. " +
			"Threshold drift is reported as |live - declared| / declared (the reviewed value is the " +
			"reference, so 5.2 live against 4.8 declared is 8.33%) and is blocking above " +
			"`checks.drift_tolerance_percent`; at or below it the finding is a note.",
		Example: "Terraform declares `slo-7c3f2e-availability-page-5m` with threshold 4.8; live CloudWatch has 5.2:\n\n" +
			"    alarm slo-7c3f2e-availability-page-5m: live threshold 5.2 differs from declared 4.8 (drift 8.33%, tolerance 0.00%)",
		Why: "An alarm edited in the console pages at a threshold nobody reviewed, and the next apply silently " +
			"reverts it. Either way the repository no longer describes what pages people.",
		Fix: "Decide which value is right. Put it in the code and apply, or revert the console edit. " +
			"Use `ignore` rules only for attributes another system owns.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"drift", "cloudwatch"},
	Needs:           []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runAlarmDrift,
}

func runAlarmDrift(pass *Pass) {
	live := pass.LiveByName()
	if pass.World.Live == nil {
		return
	}
	for _, decl := range pass.World.Declared {
		// d is the declared alarm with its sensitive values in place: they
		// are compared like any other, and shown only as "(sensitive)".
		d := decl.Compared()
		if !d.Action.ExpectedLive() || d.Action == model.ActionDelete || d.Name == "" || d.IsUnknown("alarm_name") {
			continue
		}
		l, ok := live[d.LiveName()]
		if !ok {
			continue // missing-alarm reports it
		}
		name := decl.Label()
		subject := decl.Address
		if subject == "" {
			subject = name
		}
		identity := decl.Name
		if identity == "" {
			identity = decl.Address
		}
		base := Finding{Tenant: decl.Tenant, Subject: subject, Location: decl.Location, Identity: identity, Scope: model.ScopeOf(l)}
		if (d.Kind == model.KindComposite) != (l.Kind == model.KindComposite) {
			f := base
			f.Attribute = "kind"
			pass.Reportf(f, "alarm %s: declared as a %s alarm but live is a %s alarm", name, d.Kind, l.Kind)
			continue
		}
		if model.WrittenAlike(d, l) {
			continue // the same canonical form: nothing drifts
		}
		if cd, cl := d.Canonical(), l.Canonical(); !cd.Equal(cl) {
			reportAttributeDrift(pass, decl, l, cd, cl, base)
		}
	}
}

// reportAttributeDrift reports each attribute in which a declared alarm and
// its live alarm differ. It is its own function so that only alarms that
// drift put their canonical forms on the heap.
func reportAttributeDrift(pass *Pass, decl, l *model.Alarm, cd, cl model.CanonicalAlarm, base Finding) {
	d, name := decl.Compared(), decl.Label()
	var cp *model.CanonicalAlarm
	if d.Prior != nil {
		c := d.Prior.Canonical()
		cp = &c
	}
	for _, at := range alarmAttributes {
		if !at.appliesTo(d) || d.IsUnknown(at.Name) {
			continue
		}
		want, got := at.Render(&cd), at.Render(&cl)
		if want == got {
			continue
		}
		show := at.show
		if decl.IsSensitive(at.Name) {
			show = func(*model.Alarm) string { return "(sensitive)" }
		}
		if d.Prior != nil {
			prior := at.Render(cp)
			if prior != want && prior == got {
				continue // the plan changes it, and live still holds the value it changes from
			}
			if prior != want {
				f := base
				f.Attribute = at.Name
				f.Evidence = map[string]string{"before": show(d.Prior), "after": show(d), "live": show(l)}
				pass.Reportf(f, "alarm %s: the plan changes %s from %s to %s, but live is %s (changed outside the code since the plan's state)",
					name, at.Name, show(d.Prior), show(d), show(l))
				continue
			}
		}
		f := base
		f.Attribute = at.Name
		f.Evidence = map[string]string{"declared": show(d), "live": show(l)}
		f.Revert = &Revert{Declared: decl, Live: l, LiveValue: show(l)}
		switch {
		case decl.IsSensitive(at.Name):
			pass.Reportf(f, "alarm %s: live %s differs from declared (sensitive: the values are not shown)", name, at.Name)
		case at.Name == "threshold" && d.Threshold.Known && l.Threshold.Known:
			drift := relativeDrift(l.Threshold.Value, d.Threshold.Value)
			f.Evidence["drift"] = percent(drift)
			if drift <= pass.Settings.DriftTolerance {
				f.Severity = SeverityNote
			}
			pass.Reportf(f, "alarm %s: live threshold %s differs from declared %s (drift %s, tolerance %s)",
				name, got, want, percent(drift), percent(pass.Settings.DriftTolerance))
		default:
			pass.Reportf(f, "alarm %s: live %s %s differs from declared %s", name, at.Name, display(show(l)), display(show(d)))
		}
	}
}
