package checks

import (
	"encoding/json"
	"testing"

	"github.com/driftgate/driftgate/model"
)

// withDeclaredRouting declares exactly the live routing of withPagerDuty.
func withDeclaredRouting(w *model.World) {
	live := w.Live.PagerDuty
	decl := func(addr string) *model.Declared {
		return &model.Declared{Address: addr, Location: model.Location{File: "pagerduty.tf", Line: 3}, Action: model.ActionNoop}
	}
	r := &model.PagerDuty{ServiceRules: map[string]*model.PDRuleSets{}}
	for _, s := range live.Services {
		c := *s
		c.Declared = decl("pagerduty_service." + s.ID)
		r.Services = append(r.Services, &c)
	}
	for _, e := range live.EscalationPolicies {
		c := *e
		c.Declared = decl("pagerduty_escalation_policy." + e.ID)
		r.EscalationPolicies = append(r.EscalationPolicies, &c)
	}
	router := *live.Orchestrations[0].Router
	router.Sets = []model.PDRuleSet{{ID: "start", Rules: append([]model.PDRule{}, live.Orchestrations[0].Router.Sets[0].Rules...)}}
	r.Orchestrations = []*model.PDOrchestration{{ID: "O1", Router: &router, Declared: decl("pagerduty_event_orchestration_router.checkout")}}
	for _, s := range live.Subscriptions {
		c := s
		c.Declared = decl("aws_sns_topic_subscription." + s.TopicARN)
		r.Subscriptions = append(r.Subscriptions, c)
	}
	w.Routing = r
}

func TestPagerDutyDrift(t *testing.T) {
	base := func(change func(w *model.World)) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			withDeclaredRouting(w)
			if change != nil {
				change(w)
			}
		}
	}
	runCases(t, PagerDutyDrift, pdCases([]checkCase{
		{name: "declared and live routing agree: nothing", mutate: base(nil)},
		{name: "no declared routing: nothing"},
		{name: "escalation delays lengthened in the UI",
			mutate: base(func(w *model.World) {
				w.Live.PagerDuty.EscalationPolicies[0].Rules = []model.PDEscalationRule{{DelayMinutes: 30}, {DelayMinutes: 30}, {DelayMinutes: 30}}
			}),
			want: []string{"pagerduty_escalation_policy.EP1 (EP1) changed outside the code: delays declared 15m, 15m; live 30m, 30m, 30m"}},
		{name: "a service moved to another escalation policy, and one deleted",
			mutate: base(func(w *model.World) {
				service(w, "Paa0001").EscalationPolicy = "EPX"
				service(w, "Paa0002").ID = "gone"
			}),
			want: []string{"pagerduty_service.Paa0001 (Paa0001) changed outside the code: escalation policy declared EP1, live EPX",
				"pagerduty_service.Paa0002 (Paa0002) changed outside the code: the service no longer exists in PagerDuty"}},
		{name: "a router rule's route edited in the UI",
			mutate: base(func(w *model.World) {
				(*routerRules(w))[0].Actions.RouteTo = "Paa0004"
			}),
			want: []string{`pagerduty_event_orchestration_router.checkout (O1) changed outside the code: router: set start rule "aa0001 pages" declared`}},
		{name: "a subscription removed",
			mutate: base(func(w *model.World) { w.Live.PagerDuty.Subscriptions = w.Live.PagerDuty.Subscriptions[1:] }),
			want:   []string{"no longer exists in SNS: that topic's pages go nowhere"}},
		{name: "a declared integration deleted in the UI",
			mutate: base(func(w *model.World) {
				service(w, "Paa0001").Integrations = []model.PDIntegration{{ID: "I2", Key: "KEYother"}}
				for _, k := range []string{"KEYaa0001", "KEYother"} {
					w.Routing.ServiceIntegrations = append(w.Routing.ServiceIntegrations, model.PDServiceIntegration{Service: "Paa0001",
						PDIntegration: model.PDIntegration{ID: "I-" + k, Key: k}, Declared: &model.Declared{Address: "pagerduty_service_integration." + k, Location: model.Location{File: "pagerduty.tf", Line: 9}, Action: model.ActionNoop}})
				}
			}),
			want: []string{"pagerduty_service_integration.KEYaa0001 (I-KEYaa0001) changed outside the code: service checkout-aa0001 no longer has this integration"}},
		{name: "unrouted rules declared but missing live",
			mutate: base(func(w *model.World) {
				w.Routing.Orchestrations[0].Unrouted = &model.PDRuleSets{Sets: []model.PDRuleSet{{ID: "start", Rules: []model.PDRule{
					{ID: "u1", Conditions: []string{`event.summary matches part "ALARM"`}, Actions: model.PDActions{Severity: "critical"}}}}}}
			}),
			want: []string{`pagerduty_event_orchestration_router.checkout (O1) changed outside the code: unrouted rules: set start lost rule u1 (when event.summary matches part "ALARM": route to (none), severity critical)`}},
		{name: "unrouted catch-all severity changed live",
			mutate: base(func(w *model.World) {
				w.Routing.Orchestrations[0].Unrouted = &model.PDRuleSets{CatchAll: model.PDActions{Severity: "critical"}}
				w.Live.PagerDuty.Orchestrations[0].Unrouted = &model.PDRuleSets{CatchAll: model.PDActions{Severity: "info"}}
			}),
			want: []string{"unrouted rules: catch-all sets severity info, declared critical"}},
		{name: "an empty unrouted path declared and none live: nothing",
			mutate: base(func(w *model.World) { w.Routing.Orchestrations[0].Unrouted = &model.PDRuleSets{} })},
		{name: "routing the plan updates is not drift",
			mutate: base(func(w *model.World) {
				w.Routing.EscalationPolicies[0].Declared.Action = model.ActionUpdate
				w.Live.PagerDuty.EscalationPolicies[0].Rules = []model.PDEscalationRule{{DelayMinutes: 30}}
			})},
	}))
}

// A service moved to another escalation policy carries the call that moves it
// back and the value to adopt; a deleted service carries neither.
func TestPagerDutyDriftRevert(t *testing.T) {
	w, s := baseWorld(), defaultSettings()
	*w = *sloWorld()
	withPagerDuty(w)
	withDeclaredRouting(w)
	service(w, "Paa0001").EscalationPolicy = "EPX"
	service(w, "Paa0002").ID = "gone"
	got := runOne(PagerDutyDrift, w, s)
	if len(got) != 2 {
		t.Fatalf("%s", messages(got))
	}
	rv := got[0].Revert.Routing
	if rv == nil || rv.Address != "pagerduty_service.Paa0001" || rv.Attribute != "escalation_policy" || rv.LiveValue != "EPX" || len(rv.Calls) != 1 {
		t.Fatalf("%+v", rv)
	}
	body, _ := json.Marshal(rv.Calls[0])
	if want := `{"Method":"PUT","Path":"/services/Paa0001","Body":{"service":{"escalation_policy":{"id":"EP1","type":"escalation_policy_reference"}}}}`; string(body) != want {
		t.Errorf("call %s\nwant %s", body, want)
	}
	if gone := got[1].Revert.Routing; gone == nil || len(gone.Calls) != 0 || gone.Attribute != "" || gone.Address != "pagerduty_service.Paa0002" {
		t.Errorf("deleted service: %+v", gone)
	}
}
