package routing

import (
	"strings"
	"testing"

	"github.com/driftgate/driftgate/model"
)

const (
	topic     = "arn:aws:sns:us-east-1:1:page"
	orchURL   = "https://events.pagerduty.com/x-ere/RKEY"
	directURL = "https://events.pagerduty.com/integration/IKEY/enqueue"
)

// world: one topic to an orchestration whose global rules suppress
// maintenance alarms, whose router sends tenant a to PA and tenant b's
// pages by a condition driftgate cannot evaluate; unrouted events get
// severity info; service PA's own rules raise severity.
func world() *model.PagerDuty {
	return &model.PagerDuty{
		Services: []*model.PDService{{ID: "PA", Name: "checkout-a"}, {ID: "PD", Name: "direct", Integrations: []model.PDIntegration{{ID: "I", Key: "IKEY"}}}},
		Orchestrations: []*model.PDOrchestration{{ID: "O", Name: "checkout", RoutingKeys: []string{"RKEY"},
			Global: &model.PDRuleSets{Sets: []model.PDRuleSet{{ID: "start", Rules: []model.PDRule{
				{ID: "g1", Label: "maintenance", Conditions: []string{`event.summary matches part "maint"`}, Actions: model.PDActions{Suppress: true}}}}}},
			Router: &model.PDRuleSets{Sets: []model.PDRuleSet{{ID: "start", Rules: []model.PDRule{
				{ID: "r1", Conditions: []string{`event.custom_details.AlarmName matches part "-a-"`}, Actions: model.PDActions{RouteTo: "PA"}},
				{ID: "r2", Conditions: []string{`now in Mon,Tue 08:00:00 to 18:00:00 Europe/Paris`}, Actions: model.PDActions{RouteTo: "PA"}}}}},
				CatchAll: model.PDActions{RouteTo: "unrouted"}},
			Unrouted: &model.PDRuleSets{CatchAll: model.PDActions{Severity: "info"}}}},
		ServiceRules:  map[string]*model.PDRuleSets{"PA": {CatchAll: model.PDActions{Severity: "critical"}}},
		Subscriptions: []model.SNSSubscription{{TopicARN: topic, Protocol: "https", Endpoint: orchURL}},
	}
}

func alarm(name string, topics ...string) *model.Alarm {
	return &model.Alarm{Name: name, AlarmActions: topics, Region: "us-east-1", Threshold: model.Known(4.8), Operator: "GreaterThanThreshold"}
}

func TestRoutes(t *testing.T) {
	pd := world()
	pd.Subscriptions = append(pd.Subscriptions, model.SNSSubscription{TopicARN: "direct", Protocol: "https", Endpoint: directURL},
		model.SNSSubscription{TopicARN: "direct", Protocol: "email", Endpoint: "oncall@example.com"})
	v := NewView(pd)
	for _, c := range []struct {
		alarm                  *model.Alarm
		service, severity, via string
		suppressed, unknown    bool
	}{
		{alarm: alarm("slo-a-page", topic), service: "PA", severity: "critical", via: "event orchestration checkout, router rule r1"},
		{alarm: alarm("slo-maint-page", topic), suppressed: true, via: `global rule "maintenance"`},
		// r2's schedule cannot be evaluated and comes before any match: unknown, never "unrouted".
		{alarm: alarm("slo-b-page", topic), unknown: true, via: "router: rule r2 in set start: driftgate cannot evaluate"},
		{alarm: alarm("slo-x", "direct"), service: "PD", via: "integration IKEY"},
	} {
		routes := v.Routes(c.alarm)
		if len(routes) != 1 {
			t.Fatalf("%s: %d routes (an email subscription is no route to PagerDuty): %+v", c.alarm.Name, len(routes), routes)
		}
		r := routes[0]
		got := ""
		if r.Service != nil {
			got = r.Service.ID
		}
		if got != c.service || r.Severity != c.severity || r.Suppressed != c.suppressed || r.Unknown != c.unknown || !strings.Contains(r.Via, c.via) {
			t.Errorf("%s: service %q severity %q suppressed %v unknown %v via %q", c.alarm.Name, got, r.Severity, r.Suppressed, r.Unknown, r.Via)
		}
	}

	// Without the unevaluable rule, tenant b falls to the unrouted rules.
	pd.Orchestrations[0].Router.Sets[0].Rules = pd.Orchestrations[0].Router.Sets[0].Rules[:1]
	r := NewView(pd).Routes(alarm("slo-b-page", topic))[0]
	if r.Service != nil || r.Severity != "info" || !strings.Contains(r.Via, "unrouted rule catch-all") {
		t.Errorf("unrouted: %+v", r)
	}
}

func TestKey(t *testing.T) {
	for endpoint, want := range map[string]string{orchURL: "RKEY orchestration", directURL: "IKEY integration", "https://example.com/integration/X": "", "": ""} {
		key, orch, ok := Key(endpoint)
		got := ""
		if ok {
			got = key + map[bool]string{true: " orchestration", false: " integration"}[orch]
		}
		if got != want {
			t.Errorf("%q: %q, want %q", endpoint, got, want)
		}
	}
}

func TestOverlay(t *testing.T) {
	live := NewView(world())
	noop := &model.Declared{Action: model.ActionNoop}
	if Overlay(live, &model.PagerDuty{Subscriptions: []model.SNSSubscription{{TopicARN: topic, Protocol: "https", Endpoint: orchURL, Declared: noop}}}) != nil {
		t.Error("a plan that keeps its routing unchanged has no planned view")
	}

	// The plan deletes the router rule of tenant a's pages.
	router := &model.PDRuleSets{Sets: []model.PDRuleSet{{ID: "start"}}, CatchAll: model.PDActions{RouteTo: "unrouted"},
		Declared: &model.Declared{Action: model.ActionUpdate}}
	planned := Overlay(live, &model.PagerDuty{Orchestrations: []*model.PDOrchestration{{ID: "O", Router: router, Declared: router.Declared}}})
	if planned == nil {
		t.Fatal("no planned view")
	}
	if r := planned.Routes(alarm("slo-a-page", topic))[0]; r.Service != nil || r.Severity != "info" {
		t.Errorf("planned: %+v", r)
	}
	if r := live.Routes(alarm("slo-a-page", topic))[0]; r.Service == nil || r.Service.ID != "PA" {
		t.Errorf("the live view must not change: %+v", r)
	}

	// A new subscription whose endpoint the plan hides: where the topic leads is unknown.
	hidden := Overlay(live, &model.PagerDuty{Subscriptions: []model.SNSSubscription{{TopicARN: "t2", Protocol: "https", Declared: &model.Declared{Action: model.ActionCreate}}}})
	if r := hidden.Routes(alarm("slo-a-page", "t2")); len(r) != 1 || !r[0].Unknown {
		t.Errorf("hidden endpoint: %+v", r)
	}

	// Deleting the one https subscription of a topic, its endpoint redacted.
	gone := Overlay(live, &model.PagerDuty{Subscriptions: []model.SNSSubscription{{TopicARN: topic, Protocol: "https", Declared: &model.Declared{Action: model.ActionDelete}}}})
	if r := gone.Routes(alarm("slo-a-page", topic)); len(r) != 0 {
		t.Errorf("deleted subscription: %+v", r)
	}

	// A deleted service leaves the router's rule pointing nowhere.
	svc := Overlay(live, &model.PagerDuty{Services: []*model.PDService{{ID: "PA", Declared: &model.Declared{Action: model.ActionDelete}}}})
	if r := svc.Routes(alarm("slo-a-page", topic))[0]; r.Service != nil || !strings.Contains(r.Via, "whose service PA does not exist") {
		t.Errorf("deleted service: %+v", r)
	}
}
