package checks

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

func TestThresholdParity(t *testing.T) {
	setLive := func(name string, ratio float64) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			l := live(w, name)
			l.Threshold, l.ThresholdRatio = model.Known(ratio*100), model.Known(ratio)
		}
	}
	runCases(t, ThresholdParity, sloCases(t, []checkCase{
		{name: "SLO, code and CloudWatch agree: nothing"},
		{name: "the live threshold was raised in the console",
			mutate:   setLive("slo-aa0001-availability-page-5m", 0.0156),
			want:     []string{"tenant aa0001 SLO availability tier page 5m: live CloudWatch pages at 1.56% but the SLO derives 1.44% (declared 1.44%, agrees with the SLO); drift 8.33%"},
			severity: []Severity{SeverityError}},
		{name: "both the code and CloudWatch depart",
			mutate: func(w *model.World, s *Settings) {
				both(w, "slo-aa0001-availability-page-1h", func(a *model.Alarm) { a.Threshold, a.ThresholdRatio = model.Known(2), model.Known(0.02) })
			},
			want: []string{"live CloudWatch pages at 2% but the SLO derives 1.44% (declared 2%, also departs from the SLO); drift 38.89%"}},
		{name: "within the drift tolerance: nothing",
			mutate: func(w *model.World, s *Settings) {
				setLive("slo-aa0001-availability-page-1h", 0.0145)(w, s)
				s.DriftTolerance = 0.01
			}},
		{name: "a plan that restores the SLO's value makes it a note",
			mutate: func(w *model.World, s *Settings) {
				d := declared(w, "slo-aa0001-availability-page-1h")
				prior := *d
				prior.Threshold, prior.ThresholdRatio = model.Known(2), model.Known(0.02)
				d.Action, d.Prior = model.ActionUpdate, &prior
				setLive("slo-aa0001-availability-page-1h", 0.02)(w, s)
			},
			want:     []string{"live CloudWatch pages at 2% but the SLO derives 1.44% (declared 1.44%, agrees with the SLO); drift 38.89%; this plan restores the SLO's value"},
			severity: []Severity{SeverityNote}},
		{name: "no live state: nothing",
			mutate: func(w *model.World, s *Settings) { w.Live = nil }},
	}))
}

// PagerDuty's copy of a threshold, in an orchestration rule, joins the check.
func TestThresholdParityWithPagerDuty(t *testing.T) {
	rule := func(threshold string) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			*routerRules(w) = append([]model.PDRule{{ID: "r-fast", Label: "aa0001 fast page",
				Conditions: []string{`event.custom_details.AlarmName matches "slo-aa0001-availability-page-5m" and event.custom_details.Trigger.Threshold matches "` + threshold + `"`},
				Actions:    model.PDActions{RouteTo: "Paa0001", Severity: "critical"}}}, *routerRules(w)...)
		}
	}
	runCases(t, ThresholdParity, pdCases([]checkCase{
		{name: "PagerDuty agrees with CloudWatch: nothing", mutate: rule("1.44")},
		{name: "PagerDuty escalates at another threshold",
			mutate: rule("1.3"),
			want:   []string{`tenant aa0001 SLO availability tier page 5m: CloudWatch pages at 1.44% but PagerDuty escalates at 1.3% (drift 10.77%, rule "aa0001 fast page" in the router of event orchestration checkout)`}},
	}))
}

// A threshold annotated in the config stands for PagerDuty's when no rule encodes it.
func TestThresholdParityWithAnnotatedPagerDuty(t *testing.T) {
	annotate := func(a PagerDutyThreshold) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			a.Location = model.Location{File: ".driftgate.yml", Line: 42}
			s.PagerDutyThresholds = append(s.PagerDutyThresholds, a)
		}
	}
	fast := PagerDutyThreshold{Tenant: "aa0001", Tier: "page", Window: 5 * time.Minute}
	at := func(ratio float64, note string) PagerDutyThreshold {
		t := fast
		t.Ratio, t.Note = ratio, note
		return t
	}
	runCases(t, ThresholdParity, sloCases(t, []checkCase{
		{name: "the annotation agrees with CloudWatch: nothing", mutate: annotate(at(0.0144, ""))},
		{name: "PagerDuty escalates at another threshold",
			mutate: annotate(at(0.0133, "checkout runbook")),
			want:   []string{"tenant aa0001 SLO availability tier page 5m: CloudWatch (live) pages at 1.44% but PagerDuty escalates at 1.33% (drift 8.27%, annotated at .driftgate.yml:42: checkout runbook)"}},
		{name: "an annotation applies to its tenant only",
			mutate: annotate(PagerDutyThreshold{Tenant: "bb0001", Window: 5 * time.Minute, Ratio: 0.072})},
		{name: "without a window it applies to every window of the tier",
			mutate: annotate(PagerDutyThreshold{Tenant: "aa0001", Tier: "page", Ratio: 0.0133}),
			want:   []string{"tier page 1h: CloudWatch (live) pages at 1.44%", "tier page 5m: CloudWatch (live) pages at 1.44%"}},
		{name: "offline, the declared threshold is compared",
			mutate: func(w *model.World, s *Settings) {
				w.Live = nil
				annotate(at(0.0133, ""))(w, s)
			},
			want: []string{"CloudWatch (declared) pages at 1.44% but PagerDuty escalates at 1.33%"}},
	}))
}
