package checks

import (
	"fmt"
	"time"

	"github.com/driftgate/driftgate/model"
)

const day = 24 * time.Hour

// sloWorld is one good multi-tenant world: four gold tenants and one silver
// tenant, one availability SLO (99.9 %, silver 99.5 %) over 30 days with a
// page tier (2 %, 1h/5m: factor 14.4) and a ticket tier (10 %, 1d/2h: 3),
// and for every tenant and tier a long and a short window alarm at b·B plus a
// composite with actions, declared and live alike.
func sloWorld() *model.World {
	slo := &model.SLO{Name: "availability", Service: "checkout", Objective: 0.999, Period: 30 * day,
		Scope: model.SLOScope{All: true}, Format: "driftgate", Location: model.Location{File: ".driftgate.yml", Line: 40},
		Overrides: []model.SLOOverride{{Bucket: "silver", Objective: 0.995}},
		Tiers: []model.AlertTier{
			{Name: "page", Severity: model.SeverityPage, BudgetFraction: 0.02, Long: time.Hour, Short: 5 * time.Minute},
			{Name: "ticket", Severity: model.SeverityTicket, BudgetFraction: 0.10, Long: day, Short: 2 * time.Hour},
		}}
	w := &model.World{SLOs: []*model.SLO{slo}, Plans: []model.Plan{{File: "plan.json", Complete: true}},
		Live:   &model.Live{Sources: []model.LiveSource{{Kind: "cloudwatch", Region: "us-east-1", Complete: true}}},
		Anchor: model.Location{File: ".driftgate.yml"}}
	for i, id := range []string{"aa0001", "aa0002", "aa0003", "aa0004", "bb0001"} {
		bucket := "gold"
		if i == 4 {
			bucket = "silver"
		}
		tenant := model.Tenant{ID: id, Bucket: bucket}
		w.Tenants = append(w.Tenants, tenant)
		budget := model.Budget(slo.ObjectiveFor(tenant))
		for _, tier := range slo.Tiers {
			ratio := tier.BurnFactor(slo.Period) * budget
			for _, win := range []time.Duration{tier.Long, tier.Short} {
				name := fmt.Sprintf("slo-%s-availability-%s-%s", id, tier.Name, model.FormatWindow(win))
				secs := int(win.Seconds())
				addBoth(w, &model.Alarm{Name: name, Kind: model.KindMetricMath, Tenant: id, SLO: "availability", Tier: tier.Name, Window: model.FormatWindow(win),
					Threshold: model.Known(ratio * 100), ThresholdRatio: model.Known(ratio), Operator: "GreaterThanThreshold",
					EvaluationPeriods: 1, TreatMissingData: "notBreaching", ActionsEnabled: true,
					Metrics: []model.MetricQuery{
						{ID: "errors", Namespace: "Acme", MetricName: "Errors", Stat: "Sum", Period: secs},
						{ID: "requests", Namespace: "Acme", MetricName: "Requests", Stat: "Sum", Period: secs},
						{ID: "rate", Expression: "100 * errors / requests", ReturnData: true},
					}})
			}
			name := fmt.Sprintf("slo-%s-availability-%s", id, tier.Name)
			addBoth(w, &model.Alarm{Name: name, Kind: model.KindComposite, Tenant: id, SLO: "availability", Tier: tier.Name, ActionsEnabled: true,
				AlarmRule:    fmt.Sprintf("ALARM(%q) AND ALARM(%q)", name+"-"+model.FormatWindow(tier.Long), name+"-"+model.FormatWindow(tier.Short)),
				AlarmActions: []string{"arn:aws:sns:us-east-1:1:" + tier.Name + "-" + bucket}})
		}
	}
	return w
}

// addBoth declares an alarm (no-op in the plan) and makes the same alarm live.
func addBoth(w *model.World, a *model.Alarm) {
	a.Source, a.Action = model.SourceTerraform, model.ActionNoop
	a.Address = "module.t." + a.Name
	a.Location = model.Location{File: "main.tf", Line: 10 + len(w.Declared)}
	l := *a
	l.Source, l.Action, l.Address, l.Location = model.SourceLive, model.ActionNone, "", model.Location{}
	w.Declared = append(w.Declared, a)
	w.Live.Alarms = append(w.Live.Alarms, &l)
}

// both changes the declared and the live alarm alike.
func both(w *model.World, name string, change func(a *model.Alarm)) {
	change(declared(w, name))
	change(live(w, name))
}

func sloCases(t interface{ Helper() }, cases []checkCase) []checkCase {
	for i := range cases {
		mutate := cases[i].mutate
		cases[i].mutate = func(w *model.World, s *Settings) {
			*w = *sloWorld()
			s.SLOTolerance = 0.01
			if mutate != nil {
				mutate(w, s)
			}
		}
	}
	return cases
}
