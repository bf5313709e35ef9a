package checks

import (
	"fmt"
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

// rulesFor gives a tenant of sloWorld one rule per SLO window alarm, each at
// the threshold the SLO derives; the 5m page rule names its alarm, the
// others are joined by window.
func rulesFor(w *model.World, tenant string) {
	w.Reads.Set(model.Read{Feed: model.FeedAlertRules, Scope: "postgres alert_rules", State: model.ReadComplete})
	loc := model.Location{File: ".driftgate.yml", Line: 12}
	for _, win := range []struct {
		d     time.Duration
		ratio float64
	}{{5 * time.Minute, 0.0144}, {time.Hour, 0.0144}, {2 * time.Hour, 0.003}, {day, 0.003}} {
		r := &model.AlertRule{Source: "postgres alert_rules", Table: "alert_rules", Key: fmt.Sprintf("%s-%s", tenant, model.FormatWindow(win.d)),
			Tenant: tenant, Metric: "error_rate", Window: win.d, Threshold: model.Known(win.ratio), Severity: "page", Location: loc}
		if win.d == 5*time.Minute {
			r.AlarmName = "slo-" + tenant + "-availability-page-5m"
		}
		w.AlertRules = append(w.AlertRules, r)
	}
}

func rule(w *model.World, key string) *model.AlertRule {
	for _, r := range w.AlertRules {
		if r.Key == key {
			return r
		}
	}
	panic("no rule " + key)
}

func TestAlertRuleParity(t *testing.T) {
	withRules := func(change func(w *model.World, s *Settings)) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			*w = *sloWorld()
			rulesFor(w, "aa0001")
			if change != nil {
				change(w, s)
			}
		}
	}
	raise := func(w *model.World) {
		l := live(w, "slo-aa0001-availability-page-5m")
		l.Threshold, l.ThresholdRatio = model.Known(1.56), model.Known(0.0156)
	}
	pdAt := func(w *model.World, threshold string) {
		withPagerDuty(w)
		*routerRules(w) = append([]model.PDRule{{ID: "r-fast", Label: "aa0001 fast page",
			Conditions: []string{`event.custom_details.AlarmName matches "slo-aa0001-availability-page-5m" and event.custom_details.Trigger.Threshold matches "` + threshold + `"`},
			Actions:    model.PDActions{RouteTo: "Paa0001", Severity: "critical"}}}, *routerRules(w)...)
	}
	runCases(t, AlertRuleParity, []checkCase{
		{name: "table, CloudWatch and the SLO agree: nothing", mutate: withRules(nil)},
		{name: "CloudWatch raised in the console",
			mutate: withRules(func(w *model.World, s *Settings) { raise(w) }),
			want:   []string{"tenant aa0001 5m error_rate (alert_rules rule_id=aa0001-5m): CloudWatch pages at 1.56% while alert_rules says 1.44% (drift 8.33%)"}},
		{name: "three-way: CloudWatch departs, the table and PagerDuty agree",
			mutate: withRules(func(w *model.World, s *Settings) { raise(w); pdAt(w, "1.44") }),
			want:   []string{"CloudWatch pages at 1.56% while alert_rules and PagerDuty say 1.44% (drift 8.33%)"}},
		{name: "three-way: PagerDuty departs",
			mutate: withRules(func(w *model.World, s *Settings) { pdAt(w, "1.3") }),
			want:   []string{`PagerDuty escalates at 1.3% while alert_rules and CloudWatch say 1.44% (drift 9.72%; rule "aa0001 fast page" in the router of event orchestration checkout)`}},
		{name: "the row departs from everything and from the SLO",
			mutate: withRules(func(w *model.World, s *Settings) { rule(w, "aa0001-1h").Threshold = model.Known(0.012) }),
			want: []string{
				"tenant aa0001 1h error_rate (alert_rules rule_id=aa0001-1h): CloudWatch pages at 1.44% while alert_rules says 1.2% (drift 20.00%)",
				"the rule's threshold 1.2% departs from the 1.44% its SLO availability tier page derives (14.4x burn of a 0.1% budget; drift 16.67%)"}},
		{name: "within the drift tolerance: nothing",
			mutate: withRules(func(w *model.World, s *Settings) {
				l := live(w, "slo-aa0001-availability-page-5m")
				l.Threshold, l.ThresholdRatio = model.Known(1.45), model.Known(0.0145)
				s.DriftTolerance = 0.01
			})},
		{name: "a rule whose alarm exists nowhere",
			mutate: withRules(func(w *model.World, s *Settings) { rule(w, "aa0001-5m").AlarmName = "slo-aa0001-availability-page-5n" }),
			want: []string{
				"tenant aa0001 5m error_rate (alert_rules rule_id=aa0001-5m): its alarm slo-aa0001-availability-page-5n exists nowhere (looked live or declared): the rule alerts no one",
				"tenant aa0001 alarm slo-aa0001-availability-page-5m (SLO availability tier page 5m) has no rule in alert_rules"},
			severity: []Severity{SeverityError, SeverityWarning}},
		{name: "only tenants the table covers need rules",
			mutate: withRules(func(w *model.World, s *Settings) {
				w.AlertRules = w.AlertRules[1:] // aa0001's 5m rule is gone; aa0002 had none
			}),
			want:     []string{"tenant aa0001 alarm slo-aa0001-availability-page-5m (SLO availability tier page 5m) has no rule in alert_rules"},
			severity: []Severity{SeverityWarning}},
	})
}

// Without the table's read there is nothing to judge; an incomplete read withholds everything.
func TestAlertRuleParityNotJudged(t *testing.T) {
	w, s := sloWorld(), defaultSettings()
	raise := live(w, "slo-aa0001-availability-page-5m")
	raise.Threshold, raise.ThresholdRatio = model.Known(1.56), model.Known(0.0156)
	fs, nj := Run(w, s, []*Check{AlertRuleParity})
	if len(fs) != 0 || len(nj) != 1 || nj[0].Feed != model.FeedAlertRules {
		t.Fatalf("no table configured: findings %v, not judged %+v", fs, nj)
	}
	rulesFor(w, "aa0001")
	w.Reads.Set(model.Read{Feed: model.FeedAlertRules, Scope: "postgres alert_rules", State: model.ReadIncomplete, Why: "timeout"})
	fs, nj = Run(w, s, []*Check{AlertRuleParity})
	if len(fs) != 0 || len(nj) != 1 || !nj[0].Incomplete {
		t.Fatalf("incomplete table: findings %v, not judged %+v", messages(fs), nj)
	}
}
