package checks

import (
	"github.com/driftgate/driftgate/model"
)

// withPagerDuty routes sloWorld's alarms the way a team would: every topic
// is subscribed to the "checkout" event orchestration; its router sends
// each tenant's page tier to the tenant's high-urgency service and every
// ticket tier to a low-urgency service; escalation is two levels 15 minutes
// apart, and composites have OK actions.
func withPagerDuty(w *model.World) {
	pd := &model.PagerDuty{ServiceRules: map[string]*model.PDRuleSets{}}
	router := &model.PDRuleSets{CatchAll: model.PDActions{RouteTo: "unrouted"}}
	start := model.PDRuleSet{ID: "start"}
	for _, t := range w.Tenants {
		pd.Services = append(pd.Services, &model.PDService{ID: "P" + t.ID, Name: "checkout-" + t.ID, EscalationPolicy: "EP1", Urgency: "high", Tenant: t.ID})
		start.Rules = append(start.Rules, model.PDRule{ID: "r-" + t.ID, Label: t.ID + " pages",
			Conditions: []string{`event.custom_details.AlarmName matches part "slo-` + t.ID + `-availability-page"`},
			Actions:    model.PDActions{RouteTo: "P" + t.ID}})
	}
	pd.Services = append(pd.Services, &model.PDService{ID: "PTICKETS", Name: "checkout-tickets", EscalationPolicy: "EP1", Urgency: "low"})
	start.Rules = append(start.Rules, model.PDRule{ID: "r-tickets", Label: "tickets",
		Conditions: []string{`event.custom_details.AlarmName matches regex "-ticket$"`}, Actions: model.PDActions{RouteTo: "PTICKETS"}})
	router.Sets = []model.PDRuleSet{start}
	pd.Orchestrations = []*model.PDOrchestration{{ID: "O1", Name: "checkout", RoutingKeys: []string{"Rcheckout"}, Router: router}}
	pd.EscalationPolicies = []*model.PDEscalationPolicy{{ID: "EP1", Name: "checkout", Rules: []model.PDEscalationRule{{DelayMinutes: 15, Targets: 1}, {DelayMinutes: 15, Targets: 1}}}}
	topics := map[string]bool{}
	for _, a := range append(append([]*model.Alarm{}, w.Declared...), w.Live.Alarms...) {
		if a.Kind == model.KindComposite {
			a.OKActions = a.AlarmActions
		}
		for _, t := range a.AlarmActions {
			topics[t] = true
		}
	}
	for t := range topics {
		pd.Subscriptions = append(pd.Subscriptions, model.SNSSubscription{TopicARN: t, Protocol: "https", Endpoint: "https://events.pagerduty.com/x-ere/Rcheckout"})
	}
	w.Live.PagerDuty = pd
}

func pdCases(cases []checkCase) []checkCase {
	for i := range cases {
		mutate := cases[i].mutate
		cases[i].mutate = func(w *model.World, s *Settings) {
			*w = *sloWorld()
			withPagerDuty(w)
			if mutate != nil {
				mutate(w, s)
			}
		}
	}
	return cases
}

func service(w *model.World, id string) *model.PDService {
	for _, s := range w.Live.PagerDuty.Services {
		if s.ID == id {
			return s
		}
	}
	panic("no service " + id)
}

func routerRules(w *model.World) *[]model.PDRule {
	return &w.Live.PagerDuty.Orchestrations[0].Router.Sets[0].Rules
}

// routeRule points a live router rule elsewhere.
func routeRule(w *model.World, ruleID, routeTo string) {
	for i, r := range *routerRules(w) {
		if r.ID == ruleID {
			(*routerRules(w))[i].Actions.RouteTo = routeTo
		}
	}
}

// misrouteKeptByPlan misroutes a live rule and has the plan update the
// router without fixing it.
func misrouteKeptByPlan(w *model.World, ruleID, routeTo string) {
	routeRule(w, ruleID, routeTo)
	withDeclaredRouting(w)
	w.Routing.Orchestrations[0].Declared.Action = model.ActionUpdate
}

// planRouteRule makes the plan update the router so that a rule routes elsewhere.
func planRouteRule(w *model.World, ruleID, routeTo string) {
	if w.Routing == nil {
		withDeclaredRouting(w)
	}
	o := w.Routing.Orchestrations[0]
	o.Declared.Action = model.ActionUpdate
	for i, r := range o.Router.Sets[0].Rules {
		if r.ID == ruleID {
			o.Router.Sets[0].Rules[i].Actions.RouteTo = routeTo
		}
	}
}
