package checks

import (
	"fmt"
	"strings"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/routing"
)

// PagerDutyDrift compares the routing the plans declare with PagerDuty and SNS.
var PagerDutyDrift = &Check{
	ID:    "pagerduty-drift",
	Title: "Alert routing changed outside the code",
	Doc: Doc{
		Summary: "For the PagerDuty resources the plans keep unchanged (pagerduty_service, " +
			"pagerduty_escalation_policy, pagerduty_service_integration, pagerduty_event_orchestration_router, " +
			"_global, _unrouted and _service) and their aws_sns_topic_subscription, compares the declared settings with live PagerDuty and SNS: a " +
			"service's escalation policy and urgency, an escalation policy's levels and delays, an " +
			"orchestration path's rules (conditions, routes, severity, suppression), and integrations and " +
			"subscriptions that no longer exist. Runs when the live state includes PagerDuty.",
		Example: "Someone lengthened an escalation policy in the PagerDuty UI:\n\n" +
			"    pagerduty_escalation_policy.checkout (PEP1) changed outside the code: delays declared 15m, 15m; live 30m, 30m, 30m",
		Why: "Routing edited in a UI is invisible to review and silently reverted by the next apply; until " +
			"then pages go where nobody decided they should.",
		Fix: "Bring the change into the code, or apply to restore the declared routing. The finding carries the " +
			"commands (never run by driftgate): `terraform apply -target` on the resource and, for a service's escalation " +
			"policy or urgency, the PagerDuty REST call that sets just that field, with the token taken from `$PAGERDUTY_TOKEN`.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"pagerduty", "drift"},
	Needs:           []model.Feed{model.FeedPlan, model.FeedPagerDuty},
	Uses:            []model.Feed{model.FeedSNS},
	Run:             runPagerDutyDrift,
}

func runPagerDutyDrift(pass *Pass) {
	pd, declared := pass.PagerDuty(), pass.World.Routing
	if pd == nil || declared == nil {
		return
	}
	d := &pdDrift{pass: pass, live: pd, declared: declared}
	d.services()
	d.policies()
	d.orchestrations()
	d.serviceRules()
	d.integrations()
	d.subscriptions()
}

// pdDrift compares the routing a plan keeps unchanged with live PagerDuty
// and SNS, one kind of object at a time.
type pdDrift struct {
	pass     *Pass
	live     *routing.View
	declared *model.PagerDuty
}

// keptByPlan reports whether the plan leaves the object as it is: only then is a
// difference drift (a change the plan makes is the plan's).
func keptByPlan(d *model.Declared) bool { return d != nil && d.Action == model.ActionNoop }

func (x *pdDrift) report(d *model.Declared, id string, rv *RoutingRevert, format string, args ...any) {
	if rv == nil {
		rv = &RoutingRevert{}
	}
	rv.Address, rv.Location = d.Address, d.Location
	x.pass.Reportf(Finding{Subject: d.Address, Location: d.Location, Identity: d.Address + "/" + id, Revert: &Revert{Routing: rv}},
		"%s changed outside the code: %s", d.Address+idNote(id), fmt.Sprintf(format, args...))
}

// services: a service deleted, or moved to another escalation policy or
// urgency, with the API call that moves it back.
func (x *pdDrift) services() {
	for _, s := range x.declared.Services {
		if !keptByPlan(s.Declared) || s.ID == "" {
			continue
		}
		live := x.live.ByID[s.ID]
		switch {
		case live == nil:
			x.report(s.Declared, s.ID, nil, "the service no longer exists in PagerDuty")
		case live.EscalationPolicy != s.EscalationPolicy:
			rv := &RoutingRevert{Attribute: "escalation_policy", LiveValue: live.EscalationPolicy}
			if s.EscalationPolicy != "" {
				rv.Calls = []APICall{serviceUpdate(s.ID, map[string]any{
					"escalation_policy": map[string]string{"id": s.EscalationPolicy, "type": "escalation_policy_reference"}})}
			}
			x.report(s.Declared, s.ID, rv, "escalation policy declared %s, live %s", s.EscalationPolicy, orNone(live.EscalationPolicy))
		case s.Urgency != "" && live.Urgency != s.Urgency:
			rv := &RoutingRevert{Attribute: "incident_urgency_rule", LiveValue: live.Urgency}
			if s.Urgency == "high" || s.Urgency == "low" || s.Urgency == "severity_based" {
				// A constant (or severity-based) rule is the whole setting;
				// support-hours rules carry more than the model keeps.
				rule := map[string]string{"type": "constant", "urgency": s.Urgency}
				rv.Calls = []APICall{serviceUpdate(s.ID, map[string]any{"incident_urgency_rule": rule})}
			}
			x.report(s.Declared, s.ID, rv, "urgency declared %s, live %s", s.Urgency, orNone(live.Urgency))
		}
	}
}

// policies: an escalation policy deleted, or its delays or loops changed.
func (x *pdDrift) policies() {
	for _, e := range x.declared.EscalationPolicies {
		if !keptByPlan(e.Declared) || e.ID == "" {
			continue
		}
		live := x.live.Policies[e.ID]
		switch {
		case live == nil:
			x.report(e.Declared, e.ID, nil, "the escalation policy no longer exists in PagerDuty")
		case delays(live) != delays(e):
			x.report(e.Declared, e.ID, nil, "delays declared %s; live %s", delays(e), delays(live))
		case live.NumLoops != e.NumLoops:
			x.report(e.Declared, e.ID, nil, "loops declared %d, live %d", e.NumLoops, live.NumLoops)
		}
	}
}

// orchestrations: each declared path (router, global, unrouted) against live.
func (x *pdDrift) orchestrations() {
	liveOrch := map[string]*model.PDOrchestration{}
	for _, o := range x.live.PD.Orchestrations {
		liveOrch[o.ID] = o
	}
	for _, o := range x.declared.Orchestrations {
		if !keptByPlan(o.Declared) || o.ID == "" {
			continue
		}
		live := liveOrch[o.ID]
		for _, path := range []struct {
			name string
			get  func(*model.PDOrchestration) *model.PDRuleSets
		}{
			{"router", func(x *model.PDOrchestration) *model.PDRuleSets { return x.Router }},
			{"global rules", func(x *model.PDOrchestration) *model.PDRuleSets { return x.Global }},
			{"unrouted rules", func(x *model.PDOrchestration) *model.PDRuleSets { return x.Unrouted }},
		} {
			want := path.get(o)
			if want == nil {
				continue
			}
			var have *model.PDRuleSets
			if live != nil {
				have = path.get(live)
				if have == nil && path.name == "unrouted rules" {
					have = &model.PDRuleSets{} // PagerDuty's default: no unrouted rules
				}
			}
			if diff := ruleSetsDiff(want, have); diff != "" {
				x.report(o.Declared, o.ID, nil, "%s: %s", path.name, diff)
			}
		}
	}
}

// serviceRules: each declared service orchestration against live.
func (x *pdDrift) serviceRules() {
	for id, want := range x.declared.ServiceRules {
		if !keptByPlan(want.Declared) {
			continue
		}
		if diff := ruleSetsDiff(want, x.live.PD.ServiceRules[id]); diff != "" {
			x.report(want.Declared, id, nil, "service rules: %s", diff)
		}
	}
}

// integrations: a declared integration whose service or key is gone.
func (x *pdDrift) integrations() {
	for _, i := range x.declared.ServiceIntegrations {
		if !keptByPlan(i.Declared) || i.Key == "" {
			continue
		}
		switch live := x.live.ByID[i.Service]; {
		case live == nil:
			x.report(i.Declared, i.ID, nil, "its service %s no longer exists in PagerDuty", i.Service)
		case x.live.ByKey[i.Key] != live:
			x.report(i.Declared, i.ID, nil, "service %s no longer has this integration: events sent with its key reach no service", live.Name)
		}
	}
}

// subscriptions: a declared SNS subscription to PagerDuty that is gone.
func (x *pdDrift) subscriptions() {
	for _, s := range x.declared.Subscriptions {
		if !keptByPlan(s.Declared) || !isPagerDutyEndpoint(s.Endpoint) && s.Endpoint != "" {
			continue
		}
		found := false
		for _, l := range x.live.Subs[s.TopicARN] {
			found = found || strings.EqualFold(l.Protocol, s.Protocol) && (s.Endpoint == "" || l.Endpoint == s.Endpoint)
		}
		if !found {
			x.report(s.Declared, "", nil, "the subscription of %s to %s no longer exists in SNS: that topic's pages go nowhere", s.TopicARN, orNone(s.Endpoint))
		}
	}
}

// serviceUpdate is PagerDuty's "update a service" call setting the fields
// given; the rest of the service is left as it is.
func serviceUpdate(id string, fields map[string]any) APICall {
	return APICall{Method: "PUT", Path: "/services/" + id, Body: map[string]any{"service": fields}}
}

func isPagerDutyEndpoint(e string) bool { _, _, ok := routing.Key(e); return ok }

func idNote(id string) string {
	if id == "" {
		return ""
	}
	return " (" + id + ")"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func delays(e *model.PDEscalationPolicy) string {
	parts := make([]string, len(e.Rules))
	for i, r := range e.Rules {
		parts[i] = fmt.Sprintf("%dm", r.DelayMinutes)
	}
	return strings.Join(parts, ", ")
}

// ruleSetsDiff names the first difference between declared and live rules.
func ruleSetsDiff(want, have *model.PDRuleSets) string {
	if have == nil {
		return "the orchestration path no longer exists in PagerDuty"
	}
	render := func(r model.PDRule) string {
		return fmt.Sprintf("when %s: route to %s%s%s%s", strings.Join(r.Conditions, " or "), orNone(r.Actions.RouteTo),
			onlyIf(r.Actions.Severity != "", ", severity "+r.Actions.Severity), onlyIf(r.Actions.Suppress, ", suppress"), onlyIf(r.Disabled, ", disabled"))
	}
	live := map[string][]model.PDRule{}
	for _, s := range have.Sets {
		live[s.ID] = s.Rules
	}
	for _, s := range want.Sets {
		got := live[s.ID]
		for i, r := range s.Rules {
			if i >= len(got) {
				return fmt.Sprintf("set %s lost rule %s (%s)", s.ID, routing.Label(r), render(r))
			}
			if render(r) != render(got[i]) {
				return fmt.Sprintf("set %s rule %s declared %q, live %q", s.ID, routing.Label(r), render(r), render(got[i]))
			}
		}
		if len(got) > len(s.Rules) {
			return fmt.Sprintf("set %s has %d rule(s) added: %s", s.ID, len(got)-len(s.Rules), render(got[len(s.Rules)]))
		}
	}
	if want.CatchAll.RouteTo != "" && want.CatchAll.RouteTo != have.CatchAll.RouteTo {
		return fmt.Sprintf("catch-all routes to %s, declared %s", orNone(have.CatchAll.RouteTo), want.CatchAll.RouteTo)
	}
	if want.CatchAll.Severity != "" && want.CatchAll.Severity != have.CatchAll.Severity {
		return fmt.Sprintf("catch-all sets severity %s, declared %s", orNone(have.CatchAll.Severity), want.CatchAll.Severity)
	}
	return ""
}

func onlyIf(on bool, s string) string {
	if on {
		return s
	}
	return ""
}
