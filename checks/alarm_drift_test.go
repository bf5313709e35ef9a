package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestAlarmDrift(t *testing.T) {
	const fast5m = "slo-7c3f2e-availability-page-fast-5m"
	runCases(t, AlarmDrift, []checkCase{
		{name: "declared and live agree: nothing"},
		{name: "no live state: nothing", mutate: func(w *model.World, s *Settings) { w.Live = nil }},
		{name: "a composite rule written with ARNs in the code and names live is one rule: nothing",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-7c3f2e-availability-page-fast").AlarmRule = `ALARM("arn:aws:cloudwatch:us-east-1:1:alarm:a") AND ALARM("arn:aws:cloudwatch:us-east-1:1:alarm:b")`
				live(w, "slo-7c3f2e-availability-page-fast").AlarmRule = `ALARM(a) AND ALARM(b)`
			}},
		{name: "a sensitive threshold is still compared, and shown only as sensitive",
			mutate: func(w *model.World, s *Settings) {
				sensitive(declared(w, fast5m), "threshold")
				live(w, fast5m).Threshold = model.Known(5.2)
			},
			want: []string{"alarm slo-7c3f2e-availability-page-fast-5m: live threshold differs from declared (sensitive: the values are not shown)"}},
		{name: "a sensitive threshold that agrees with live: nothing",
			mutate: func(w *model.World, s *Settings) { sensitive(declared(w, fast5m), "threshold") }},
		{name: "a sensitive name is looked up live, never shown",
			mutate: func(w *model.World, s *Settings) {
				sensitive(declared(w, fast5m), "alarm_name")
				live(w, fast5m).TreatMissingData = "breaching"
			},
			want: []string{`alarm (sensitive name): live treat_missing_data "breaching" differs from declared "notBreaching"`}},
		{name: "live threshold raised in the console: 8.33% drift against the declared 4.8",
			mutate:   func(w *model.World, s *Settings) { live(w, fast5m).Threshold = model.Known(5.2) },
			want:     []string{"alarm slo-7c3f2e-availability-page-fast-5m: live threshold 5.2 differs from declared 4.8 (drift 8.33%, tolerance 0.00%)"},
			severity: []Severity{SeverityError}},
		{name: "threshold drift within tolerance is a note",
			mutate: func(w *model.World, s *Settings) {
				live(w, fast5m).Threshold = model.Known(4.85)
				s.DriftTolerance = 0.05
			},
			want: []string{"drift 1.04%, tolerance 5.00%"}, severity: []Severity{SeverityNote}},
		{name: "the plan changes the threshold and live holds the old value: not drift",
			mutate: func(w *model.World, s *Settings) {
				d := declared(w, fast5m)
				prior := *d
				d.Action, d.Prior, d.Threshold = model.ActionUpdate, &prior, model.Known(4.0)
			}},
		{name: "the plan changes the threshold but live matches neither side",
			mutate: func(w *model.World, s *Settings) {
				d := declared(w, fast5m)
				prior := *d
				d.Action, d.Prior, d.Threshold = model.ActionUpdate, &prior, model.Known(4.0)
				live(w, fast5m).Threshold = model.Known(6)
			},
			want: []string{"the plan changes threshold from 4.8 to 4, but live is 6"}},
		{name: "threshold unknown until apply: not compared",
			mutate: func(w *model.World, s *Settings) {
				d := declared(w, fast5m)
				d.Threshold, d.Unknown = model.Unknown, []string{"threshold"}
				live(w, fast5m).Threshold = model.Known(9)
			}},
		{name: "datapoints unset declared equals evaluation periods live: provider default, not drift",
			mutate: func(w *model.World, s *Settings) { live(w, fast5m).DatapointsToAlarm = 1 }},
		{name: "treat missing data unset equals missing: default, not drift",
			mutate: func(w *model.World, s *Settings) {
				declared(w, fast5m).TreatMissingData = ""
				live(w, fast5m).TreatMissingData = "missing"
			}},
		{name: "actions in another order: same set",
			mutate: func(w *model.World, s *Settings) {
				declared(w, "slo-7c3f2e-availability-page-fast").AlarmActions = []string{"b", "a"}
				live(w, "slo-7c3f2e-availability-page-fast").AlarmActions = []string{"a", "b"}
			}},
		{name: "composite rule and actions edited live",
			mutate: func(w *model.World, s *Settings) {
				l := live(w, "slo-7c3f2e-availability-page-fast")
				l.AlarmRule = `ALARM("a") OR ALARM("b")`
				l.ActionsEnabled = false
			},
			want: []string{"live actions_enabled false differs from declared true", `live alarm_rule 'ALARM("a") OR ALARM("b")' differs`}},
		{name: "metric math expression edited live",
			mutate: func(w *model.World, s *Settings) { live(w, fast5m).Metrics[1].Expression = "errors / requests" },
			want:   []string{"live metric_query"}},
		{name: "evaluation periods and period edited live: one finding each",
			mutate: func(w *model.World, s *Settings) {
				live(w, fast5m).EvaluationPeriods = 3
			},
			want: []string{"datapoints_to_alarm", "evaluation_periods"}},
		{name: "declared metric alarm is a composite live",
			mutate: func(w *model.World, s *Settings) { live(w, fast5m).Kind = model.KindComposite },
			want:   []string{"declared as a metric-math alarm but live is a composite alarm"}},
		{name: "alarm being created or deleted is not compared",
			mutate: func(w *model.World, s *Settings) {
				declared(w, fast5m).Action = model.ActionCreate
				declared(w, "slo-c0ffee-availability-page-fast-5m").Action = model.ActionDelete
				live(w, fast5m).Threshold = model.Known(1)
				live(w, "slo-c0ffee-availability-page-fast-5m").Threshold = model.Known(1)
			}},
		{name: "ignore rule on the attribute drops the finding",
			mutate: func(w *model.World, s *Settings) {
				live(w, fast5m).Threshold = model.Known(5.2)
				s.Ignore = []IgnoreRule{{Address: "aws_cloudwatch_metric_alarm.*", Attribute: "thresh*"}}
			}},
		{name: "severity override applies",
			mutate: func(w *model.World, s *Settings) {
				live(w, fast5m).Threshold = model.Known(5.2)
				s.Severity["alarm-drift"] = SeverityWarning
			},
			want: []string{"8.33%"}, severity: []Severity{SeverityWarning}},
	})
}

func TestFingerprintStableWhenLinesMove(t *testing.T) {
	w := baseWorld()
	live(w, "slo-7c3f2e-availability-page-fast-5m").Threshold = model.Known(5.2)
	a := runOne(AlarmDrift, w, defaultSettings())
	declared(w, "slo-7c3f2e-availability-page-fast-5m").Location.Line += 40
	b := runOne(AlarmDrift, w, defaultSettings())
	if len(a) != 1 || len(b) != 1 || a[0].Fingerprint != b[0].Fingerprint {
		t.Fatalf("fingerprint changed when the line moved: %v vs %v", a, b)
	}
	live(w, "slo-7c3f2e-availability-page-fast-5m").Threshold = model.Known(5.3)
	c := runOne(AlarmDrift, w, defaultSettings())
	if c[0].Fingerprint != a[0].Fingerprint {
		t.Errorf("fingerprint changed with the drifted value; one alert should track the alarm")
	}
}

// sensitive marks an attribute of a declared alarm sensitive as the plan
// loader does: out of the alarm's fields, kept aside in Secret.
func sensitive(a *model.Alarm, attr string) {
	secret := *a
	a.Secret, a.Sensitive = &secret, append(a.Sensitive, attr)
	a.Unknown = append(a.Unknown, attr)
	switch attr {
	case "threshold":
		a.Threshold = model.Unknown
	case "alarm_name":
		a.Name = ""
	}
}
