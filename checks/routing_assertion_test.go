package checks

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

// routeCase adds a routing test to the world.
func routeCase(w *model.World, c model.RouteCase) {
	if c.Location.File == "" {
		c.Location = model.Location{File: "routes.yaml", Line: 3 + len(w.RouteCases)*6}
	}
	w.RouteCases = append(w.RouteCases, c)
}

func TestRoutingAssertion(t *testing.T) {
	page := "slo-aa0002-availability-page"
	runCases(t, RoutingAssertion, pdCases([]checkCase{
		{name: "no routing tests: nothing"},
		{name: "every expectation met: nothing",
			mutate: func(w *model.World, s *Settings) {
				routeCase(w, model.RouteCase{Name: "aa0002 pages", Alarm: page, Service: "checkout-aa0002", Urgency: "high",
					EscalationPolicy: "checkout", PagedWithin: 2 * time.Hour})
				routeCase(w, model.RouteCase{Name: "by ID", Alarm: page, Service: "Paa0002", EscalationPolicy: "EP1"})
			}},
		{name: "a copy-pasted rule sends the page to another tenant's service",
			mutate: func(w *model.World, s *Settings) {
				routeRule(w, "r-aa0002", "Paa0003")
				routeCase(w, model.RouteCase{Name: "aa0002 pages", Alarm: page, Service: "checkout-aa0002"})
			},
			want: []string{`routing test "aa0002 pages": expected service checkout-aa0002, but the page lands on checkout-aa0003 (` + "event orchestration checkout"}},
		{name: "the plan's router change breaks the expectation: caught before it applies",
			mutate: func(w *model.World, s *Settings) {
				planRouteRule(w, "r-aa0002", "Paa0003")
				routeCase(w, model.RouteCase{Name: "aa0002 pages", Alarm: page, Service: "checkout-aa0002"})
			},
			want: []string{"but the page lands on checkout-aa0003"}},
		{name: "a live misroute the plan keeps is reported once",
			mutate: func(w *model.World, s *Settings) {
				misrouteKeptByPlan(w, "r-aa0002", "Paa0003")
				routeCase(w, model.RouteCase{Name: "aa0002 pages", Alarm: page, Service: "checkout-aa0002"})
			},
			want: []string{"but the page lands on checkout-aa0003 (event orchestration checkout, router rule \"aa0002 pages\") today"}},
		{name: "urgency and escalation policy differ",
			mutate: func(w *model.World, s *Settings) {
				service(w, "Paa0002").Urgency = "low"
				routeCase(w, model.RouteCase{Name: "aa0002 pages", Alarm: page, Urgency: "high", EscalationPolicy: "checkout-primary"})
			},
			want: []string{"expected escalation policy checkout-primary, but service checkout-aa0002 escalates by checkout",
				"expected urgency high, but service checkout-aa0002 has low"}},
		{name: "the composite waits for its slowest child longer than the case allows",
			mutate: func(w *model.World, s *Settings) {
				routeCase(w, model.RouteCase{Name: "aa0002 fast", Alarm: page, PagedWithin: 10 * time.Minute})
			},
			want: []string{"expected the first responder paged within 10m, but the alarm needs 1h to go to ALARM"}},
		{name: "an alarm nobody has",
			mutate: func(w *model.World, s *Settings) {
				routeCase(w, model.RouteCase{Name: "typo", Alarm: "slo-aa0002-availabilty-page", Service: "checkout-aa0002"})
			},
			want: []string{`routing test "typo": no alarm named slo-aa0002-availabilty-page, live or declared`}},
		{name: "a synthetic event on an unsubscribed topic",
			mutate: func(w *model.World, s *Settings) {
				routeCase(w, model.RouteCase{Name: "new tenant", Service: "checkout-cc0001",
					Event: &model.Alarm{Name: "slo-cc0001-availability-page", Source: model.SourceLive, AlarmActions: []string{"arn:aws:sns:us-east-1:1:nowhere"}}})
			},
			want: []string{"expected a page, but nothing is subscribed to arn:aws:sns:us-east-1:1:nowhere"}},
		{name: "a synthetic event on the page topic falls to the catch-all",
			mutate: func(w *model.World, s *Settings) {
				routeCase(w, model.RouteCase{Name: "new tenant", Service: "checkout-cc0001",
					Event: &model.Alarm{Name: "slo-cc0001-availability-page", Source: model.SourceLive, AlarmActions: []string{"arn:aws:sns:us-east-1:1:page-gold"}}})
			},
			want: []string{"expected service checkout-cc0001, but the page lands on no service"}},
	}))
}
