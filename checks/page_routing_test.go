package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestPageRouting(t *testing.T) {
	runCases(t, PageRouting, pdCases([]checkCase{
		{name: "every page tier reaches its tenant's service: nothing"},
		{name: "no PagerDuty in the live state: nothing",
			mutate: func(w *model.World, s *Settings) { w.Live.PagerDuty = nil }},
		{name: "the router has no rule for a tenant",
			mutate: func(w *model.World, s *Settings) {
				*routerRules(w) = slices.DeleteFunc(*routerRules(w), func(r model.PDRule) bool { return r.ID == "r-aa0001" })
			},
			want: []string{"tenant aa0001 tier page: alarm slo-aa0001-availability-page lands on no PagerDuty service (event orchestration checkout, router rule catch-all)"}},
		{name: "an unrouted event's rules show in the route",
			mutate: func(w *model.World, s *Settings) {
				*routerRules(w) = slices.DeleteFunc(*routerRules(w), func(r model.PDRule) bool { return r.ID == "r-aa0001" })
				w.Live.PagerDuty.Orchestrations[0].Unrouted = &model.PDRuleSets{Sets: []model.PDRuleSet{{ID: "start", Rules: []model.PDRule{
					{ID: "u1", Label: "alarms", Conditions: []string{`event.custom_details.NewStateValue matches "ALARM"`}, Actions: model.PDActions{Severity: "critical"}}}}}}
			},
			want: []string{`alarm slo-aa0001-availability-page lands on no PagerDuty service (event orchestration checkout, router rule catch-all, unrouted rule "alarms")`}},
		{name: "actions disabled on the live alarm",
			mutate: func(w *model.World, s *Settings) { live(w, "slo-aa0002-availability-page").ActionsEnabled = false },
			want:   []string{"tenant aa0002 tier page: alarm slo-aa0002-availability-page has its actions disabled in CloudWatch: it pages nobody"}},
		{name: "a condition driftgate cannot evaluate leaves the route unjudged, as a note",
			mutate: func(w *model.World, s *Settings) {
				*routerRules(w) = append([]model.PDRule{{ID: "r-hours", Label: "office hours",
					Conditions: []string{`now in Mon,Tue,Wed,Thu,Fri 09:00:00 to 17:00:00 Europe/Berlin`}, Actions: model.PDActions{RouteTo: "Paa0001"}}}, *routerRules(w)...)
				w.Tenants = w.Tenants[:1]
			},
			want:     []string{`tenant aa0001 tier page: alarm slo-aa0001-availability-page: its route was not judged (event orchestration checkout, router: rule "office hours" in set start: driftgate cannot evaluate "now in Mon,Tue,Wed,Thu,Fri 09:00:00 to 17:00:00 Europe/Berlin"`},
			severity: []Severity{SeverityNote}},
		{name: "an unparsable condition after the matching rule changes nothing",
			mutate: func(w *model.World, s *Settings) {
				*routerRules(w) = append(*routerRules(w), model.PDRule{ID: "r-late", Conditions: []string{`now in Sat 00:00:00 to 23:59:59 UTC`}, Actions: model.PDActions{RouteTo: "Paa0001"}})
			}},
		{name: "a tenant onboarded in this change with its router rule and service: only a note",
			mutate: func(w *model.World, s *Settings) {
				w.Live.Alarms = slices.DeleteFunc(w.Live.Alarms, func(a *model.Alarm) bool { return strings.HasPrefix(a.Name, "slo-aa0003-") })
				withDeclaredRouting(w)
				*routerRules(w) = slices.DeleteFunc(*routerRules(w), func(r model.PDRule) bool { return r.ID == "r-aa0003" })
				planRouteRule(w, "r-aa0003", model.PDUnknown) // the service is created too
			},
			want:     []string{`tenant aa0003 tier page: alarm slo-aa0003-availability-page: its route was not judged (event orchestration checkout, router rule "aa0003 pages", to a service known only after apply)`},
			severity: []Severity{SeverityNote}},
		{name: "a tenant onboarded without a router rule",
			mutate: func(w *model.World, s *Settings) {
				w.Live.Alarms = slices.DeleteFunc(w.Live.Alarms, func(a *model.Alarm) bool { return strings.HasPrefix(a.Name, "slo-aa0003-") })
				*routerRules(w) = slices.DeleteFunc(*routerRules(w), func(r model.PDRule) bool { return r.ID == "r-aa0003" })
			},
			want: []string{"tenant aa0003 tier page: alarm slo-aa0003-availability-page lands on no PagerDuty service (event orchestration checkout, router rule catch-all) once this change applies"}},
		{name: "a disabled service",
			mutate: func(w *model.World, s *Settings) { service(w, "Paa0002").Disabled = true },
			want:   []string{"lands on disabled service checkout-aa0002"}},
		{name: "a service without an escalation policy",
			mutate: func(w *model.World, s *Settings) { service(w, "Paa0003").EscalationPolicy = "" },
			want:   []string{"lands on service checkout-aa0003, which has no escalation policy"}},
		{name: "a topic nobody subscribed",
			mutate: func(w *model.World, s *Settings) {
				w.Live.PagerDuty.Subscriptions = slices.DeleteFunc(w.Live.PagerDuty.Subscriptions, func(s model.SNSSubscription) bool {
					return s.TopicARN == "arn:aws:sns:us-east-1:1:page-silver"
				})
			},
			want: []string{"tenant bb0001 tier page: alarm slo-bb0001-availability-page notifies arn:aws:sns:us-east-1:1:page-silver, which no PagerDuty endpoint is subscribed to: it pages nobody"}},
		{name: "a global rule drops the event",
			mutate: func(w *model.World, s *Settings) {
				w.Live.PagerDuty.Orchestrations[0].Global = &model.PDRuleSets{Sets: []model.PDRuleSet{{ID: "start", Rules: []model.PDRule{
					{ID: "g1", Label: "mute aa0004", Conditions: []string{`event.custom_details.AlarmName matches part "aa0004"`}, Actions: model.PDActions{DropEvent: true}}}}}}
			},
			want: []string{`tenant aa0004 tier page: alarm slo-aa0004-availability-page is suppressed in PagerDuty (event orchestration checkout, global rule "mute aa0004")`}},
		{name: "a page tier without OK actions is a warning",
			mutate: func(w *model.World, s *Settings) {
				both(w, "slo-aa0001-availability-page", func(a *model.Alarm) { a.OKActions = nil })
			},
			want: []string{"alarm slo-aa0001-availability-page has no OK actions: its PagerDuty incidents never resolve by themselves"}, severity: []Severity{SeverityWarning}},
		{name: "a router change in the plan that drops a tenant's rule",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				o := w.Routing.Orchestrations[0]
				o.Declared.Action = model.ActionUpdate
				o.Router.Sets[0].Rules = slices.DeleteFunc(slices.Clone(o.Router.Sets[0].Rules), func(r model.PDRule) bool { return r.ID == "r-aa0003" })
			},
			want: []string{"tenant aa0003 tier page: alarm slo-aa0003-availability-page lands on no PagerDuty service (event orchestration checkout, router rule catch-all) once this change's PagerDuty routing applies (today it reaches checkout-aa0003)"}},
		{name: "the plan deletes the subscription that carries a topic's pages",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				planDeletes(w, "arn:aws:sns:us-east-1:1:page-silver")
			},
			want: []string{"tenant bb0001 tier page: alarm slo-bb0001-availability-page will page nobody once this change's routing applies: no PagerDuty endpoint stays subscribed to arn:aws:sns:us-east-1:1:page-silver (today it reaches checkout-bb0001)"}},
		{name: "the plan replaces a subscription with one to a service integration",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				planDeletes(w, "arn:aws:sns:us-east-1:1:page-silver")
				w.Routing.Subscriptions = append(w.Routing.Subscriptions, model.SNSSubscription{TopicARN: "arn:aws:sns:us-east-1:1:page-silver",
					Protocol: "https", Endpoint: "https://events.pagerduty.com/integration/KEYbb0001/enqueue", Declared: &model.Declared{Address: "aws_sns_topic_subscription.direct", Action: model.ActionCreate}})
				w.Routing.ServiceIntegrations = append(w.Routing.ServiceIntegrations, model.PDServiceIntegration{Service: "Pbb0001",
					PDIntegration: model.PDIntegration{ID: "I1", Type: "aws_cloudwatch_inbound_integration", Key: "KEYbb0001"}, Declared: &model.Declared{Address: "pagerduty_service_integration.cw", Action: model.ActionCreate}})
			}},
		{name: "a replacement whose endpoint is known only after apply is not judged",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				planDeletes(w, "arn:aws:sns:us-east-1:1:page-silver")
				w.Routing.Subscriptions = append(w.Routing.Subscriptions, model.SNSSubscription{TopicARN: "arn:aws:sns:us-east-1:1:page-silver",
					Protocol: "https", Declared: &model.Declared{Address: "aws_sns_topic_subscription.rotated", Action: model.ActionCreate}})
			}},
		{name: "the same replacement with an integration key nobody has",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				w.Routing.Subscriptions = append(w.Routing.Subscriptions, model.SNSSubscription{TopicARN: "arn:aws:sns:us-east-1:1:page-silver",
					Protocol: "https", Endpoint: "https://events.pagerduty.com/integration/KEYtypo/enqueue", Declared: &model.Declared{Address: "aws_sns_topic_subscription.direct", Action: model.ActionCreate}})
			},
			want: []string{"tenant bb0001 tier page: alarm slo-bb0001-availability-page lands on no PagerDuty service (integration KEYtypo (no service has this integration key)) once this change's PagerDuty routing applies (today it reaches checkout-bb0001)"}},
		{name: "the plan destroys the router: every event falls to unrouted",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				w.Routing.Orchestrations[0].Declared.Action = model.ActionDelete
				w.Tenants = w.Tenants[:1]
			},
			want: []string{"tenant aa0001 tier page: alarm slo-aa0001-availability-page lands on no PagerDuty service (event orchestration checkout, router rule catch-all) once this change's PagerDuty routing applies (today it reaches checkout-aa0001)"}},
		{name: "the plan deletes a tenant's service",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				for _, d := range w.Routing.Services {
					if d.ID == "Paa0002" {
						d.Declared.Action = model.ActionDelete
					}
				}
			},
			want: []string{"tenant aa0002 tier page: alarm slo-aa0002-availability-page lands on no PagerDuty service (event orchestration checkout, router rule \"aa0002 pages\", whose service Paa0002 does not exist) once this change's PagerDuty routing applies"}},
		{name: "a router rule to a service the plan creates is not judged",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				o := w.Routing.Orchestrations[0]
				o.Declared.Action = model.ActionUpdate
				o.Router.Sets[0].Rules = slices.Clone(o.Router.Sets[0].Rules)
				o.Router.Sets[0].Rules[2].Actions.RouteTo = model.PDUnknown
			}},
		{name: "a service moved to an escalation policy the plan creates keeps one",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				d := w.Routing.Services[1]
				d.Declared.Action, d.EscalationPolicy = model.ActionUpdate, ""
			}},
		{name: "routing the plan keeps as it is changes nothing",
			mutate: func(w *model.World, s *Settings) { withDeclaredRouting(w) }},
		{name: "the live alarm's actions are what count",
			mutate: func(w *model.World, s *Settings) {
				live(w, "slo-aa0001-availability-page").AlarmActions = []string{"arn:aws:sns:us-east-1:1:elsewhere"}
			},
			want: []string{"notifies arn:aws:sns:us-east-1:1:elsewhere, which no PagerDuty endpoint is subscribed to"}},
	}))
}

// planDeletes makes the plan delete the declared subscriptions of a topic.
func planDeletes(w *model.World, topic string) {
	for i := range w.Routing.Subscriptions {
		if w.Routing.Subscriptions[i].TopicARN == topic {
			w.Routing.Subscriptions[i].Declared.Action = model.ActionDelete
		}
	}
}
