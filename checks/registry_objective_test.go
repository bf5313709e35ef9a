package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/model"
)

// registryFor prepends a registry SLO for one tenant, a copy of the spec's
// with the registry's objective.
func registryFor(w *model.World, tenant string, objective float64) {
	r := *w.SLOs[0]
	r.Objective, r.Overrides, r.Format, r.Registry = objective, nil, "dynamodb", "dynamodb SloRegistry (us-east-1)"
	r.Scope = model.SLOScope{Tenants: []string{tenant}}
	r.Location = model.Location{File: ".driftgate.yml", Line: 90}
	w.SLOs = append([]*model.SLO{&r}, w.SLOs...)
	w.Reads.Set(model.Read{Feed: model.FeedSLO, Scope: r.Registry, State: model.ReadComplete})
}

func TestRegistryObjective(t *testing.T) {
	runCases(t, RegistryObjective, sloCases(t, []checkCase{
		{name: "no registry: nothing"},
		{name: "the registry agrees with the alarms: nothing",
			mutate: func(w *model.World, s *Settings) { registryFor(w, "aa0001", 0.999) }},
		{name: "the registry says 99.5, every alarm is set for 99.9",
			mutate: func(w *model.World, s *Settings) { registryFor(w, "aa0002", 0.995) },
			want: []string{"tenant aa0002 SLO checkout/availability: dynamodb SloRegistry (us-east-1) says 99.5%, its 4 alarms are set for 99.9% " +
				"(slo-aa0002-availability-page-1h pages at 1.44% = 14.4 × 0.1%)"}},
		{name: "the alarms disagree among themselves: left to the per-alarm checks",
			mutate: func(w *model.World, s *Settings) {
				registryFor(w, "aa0002", 0.995)
				both(w, "slo-aa0002-availability-page-1h", func(a *model.Alarm) { a.ThresholdRatio = model.Known(0.072) })
			}},
		{name: "an override tenant's registry matches its bucket: nothing",
			mutate: func(w *model.World, s *Settings) { registryFor(w, "bb0001", 0.995) }},
	}))
}

// A registry disagreement is said once, by this check, not again per alarm
// by burn-factor-mismatch.
func TestRegistryObjectiveExplainsTheThresholdsOnce(t *testing.T) {
	w, s := sloWorld(), defaultSettings()
	registryFor(w, "aa0003", 0.995)
	if got := runOne(RegistryObjective, w, s); len(got) != 1 || got[0].Location.Line != 90 || got[0].Evidence["implied_objective"] != "99.9%" {
		t.Fatalf("want one finding at the registry's config line: %s", messages(got))
	}
	if got := runOne(BurnFactorMismatch, w, s); len(got) != 0 {
		t.Errorf("burn-factor-mismatch repeats it:\n%s", messages(got))
	}
	// The tenant's SQL rules are set like its alarms: said in the same finding, not again per rule.
	rulesFor(w, "aa0003")
	if got := runOne(RegistryObjective, w, s); len(got) != 1 || !strings.Contains(got[0].Message, "its 4 alarms and 4 alert rules are set for 99.9%") {
		t.Errorf("the agreeing rules are not counted: %s", messages(got))
	}
	if got := runOne(AlertRuleParity, w, s); len(got) != 0 {
		t.Errorf("alert-rule-parity repeats it per rule:\n%s", messages(got))
	}
	rule(w, "aa0003-1h").Threshold = model.Known(0.02)
	if got := runOne(AlertRuleParity, w, s); len(got) != 2 || !strings.Contains(messages(got), "departs from the 7.2% its SLO") {
		t.Errorf("a rule set unlike its alarm is still reported:\n%s", messages(got))
	}
	// One alarm of another registry tenant off on its own is still reported per alarm.
	registryFor(w, "aa0004", 0.999)
	declared(w, "slo-aa0004-availability-ticket-1d").ThresholdRatio = model.Known(0.02)
	got := runOne(BurnFactorMismatch, w, s)
	if len(got) != 1 || !strings.Contains(got[0].Message, "slo-aa0004-availability-ticket-1d") {
		t.Errorf("a lone off alarm is burn-factor-mismatch's:\n%s", messages(got))
	}
}

// A registry that could not be read judges nothing: not this check, and not
// the declared alarms' burn factors, which might rest on the registry's SLOs.
func TestAnUnreadRegistryJudgesNoSLOFinding(t *testing.T) {
	w, s := sloWorld(), defaultSettings()
	declared(w, "slo-aa0004-availability-ticket-1d").ThresholdRatio = model.Known(0.02)
	if got, _ := Run(w, s, All); len(findingsOf(got, "burn-factor-mismatch")) != 1 {
		t.Fatalf("the world must have a burn-factor finding to withhold: %s", messages(got))
	}
	registryFor(w, "aa0003", 0.995)
	w.SLOs = w.SLOs[1:] // its items never arrived
	w.Reads.Set(model.Read{Feed: model.FeedSLO, Scope: "dynamodb SloRegistry (us-east-1)", State: model.ReadIncomplete, Why: "dynamodb Scan: throttled"})
	got, notJudged := Run(w, s, All)
	if n := len(findingsOf(got, "burn-factor-mismatch")) + len(findingsOf(got, "registry-objective")); n != 0 {
		t.Errorf("%d SLO findings from an incompletely read registry:\n%s", n, messages(got))
	}
	want := NotJudged{Check: "registry-objective", Feed: model.FeedSLORegistry, Scope: "dynamodb SloRegistry (us-east-1)", Incomplete: true, Why: "dynamodb Scan: throttled"}
	if !slices.Contains(notJudged, want) {
		t.Errorf("not judged %+v, want %+v among them", notJudged, want)
	}
}

func findingsOf(fs []Finding, check string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Check == check {
			out = append(out, f)
		}
	}
	return out
}
