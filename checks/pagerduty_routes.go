package checks

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/pcl"
)

// pdRoute is where one notification of an alarm lands in PagerDuty.
type pdRoute struct {
	Endpoint   string
	Service    *model.PDService // nil when unrouted
	Severity   string
	Suppressed bool
	// Unknown is a route the plan decides only at apply (a rule routing to
	// a service the same plan creates): it cannot be judged.
	Unknown bool
	Via     string // how it got there, for messages
}

// pdView indexes the live PagerDuty state for route simulation.
type pdView struct {
	pd        *model.PagerDuty
	subs      map[string][]model.SNSSubscription // by topic ARN
	byKey     map[string]*model.PDService        // integration key -> service
	byID      map[string]*model.PDService
	orchByKey map[string]*model.PDOrchestration // routing key -> orchestration
	policies  map[string]*model.PDEscalationPolicy
	// unknownTopics gain a subscription whose endpoint the plan does not
	// show (known after apply, or sensitive): where they lead is unknown.
	unknownTopics map[string]bool
	// conds parses each rule condition once per run, not once per alarm.
	conds pcl.Cache
}

func newPDView(pd *model.PagerDuty) *pdView {
	v := &pdView{pd: pd, subs: map[string][]model.SNSSubscription{}, byKey: map[string]*model.PDService{},
		byID: map[string]*model.PDService{}, orchByKey: map[string]*model.PDOrchestration{}, policies: map[string]*model.PDEscalationPolicy{}}
	for _, s := range pd.Subscriptions {
		v.subs[s.TopicARN] = append(v.subs[s.TopicARN], s)
	}
	for _, s := range pd.Services {
		v.byID[s.ID] = s
		for _, i := range s.Integrations {
			if i.Key != "" {
				v.byKey[i.Key] = s
			}
		}
	}
	for _, o := range pd.Orchestrations {
		for _, k := range o.RoutingKeys {
			v.orchByKey[k] = o
		}
	}
	for _, e := range pd.EscalationPolicies {
		v.policies[e.ID] = e
	}
	return v
}

// PagerDuty returns the pass's PagerDuty view, or nil when PagerDuty was not read.
func (p *Pass) PagerDuty() *pdView {
	if p.World.Live == nil || p.World.Live.PagerDuty == nil {
		return nil
	}
	if p.shared == nil {
		p.shared = &shared{}
	}
	if p.shared.pd == nil {
		p.shared.pd = newPDView(p.World.Live.PagerDuty)
	}
	return p.shared.pd
}

// alarmEvent is the event PagerDuty's CloudWatch integration makes of an
// alarm's ALARM notification: AlarmName, NewStateValue, NewStateReason and
// the Trigger (metric alarms) or AlarmRule (composites) in custom_details.
func alarmEvent(a *model.Alarm) map[string]any {
	details := map[string]any{"AlarmName": a.Name, "NewStateValue": "ALARM", "Region": a.Region, "AWSAccountId": a.Account}
	if a.Kind == model.KindComposite {
		details["AlarmRule"] = a.AlarmRule
		details["NewStateReason"] = "arn:aws:cloudwatch composite alarm rule evaluated to ALARM"
	} else {
		trigger := map[string]any{"ComparisonOperator": a.Operator, "EvaluationPeriods": float64(a.EvaluationPeriods),
			"Period": float64(a.Period), "MetricName": a.MetricName, "Namespace": a.Namespace, "TreatMissingData": a.TreatMissingData}
		if a.Threshold.Known {
			trigger["Threshold"] = a.Threshold.Value
			details["NewStateReason"] = fmt.Sprintf("Threshold Crossed: 1 datapoint was greater than the threshold (%s).", a.Threshold)
		}
		var dims []any
		for _, d := range a.Dimensions {
			dims = append(dims, map[string]any{"name": d.Name, "value": d.Value})
		}
		trigger["Dimensions"] = dims
		details["Trigger"] = trigger
	}
	return map[string]any{"summary": fmt.Sprintf("ALARM: %q in %s", a.Name, a.Region), "source": "aws.cloudwatch",
		"severity": "critical", "custom_details": details}
}

// pdKey extracts the integration or routing key from a PagerDuty endpoint:
// .../integration/KEY/enqueue (a service integration) or .../x-ere/KEY
// (an event orchestration).
func pdKey(endpoint string) (key string, orchestration bool, ok bool) {
	if !strings.Contains(endpoint, "pagerduty.com/") {
		return "", false, false
	}
	parts := strings.Split(strings.TrimSuffix(endpoint, "/"), "/")
	for i, p := range parts {
		if p == "integration" && i+1 < len(parts) {
			return parts[i+1], false, true
		}
		if p == "x-ere" && i+1 < len(parts) {
			return parts[i+1], true, true
		}
	}
	return "", false, false
}

// routes simulates every PagerDuty delivery of an alarm's ALARM notification.
func (v *pdView) routes(a *model.Alarm) []pdRoute {
	var out []pdRoute
	event := alarmEvent(a)
	for _, topic := range a.AlarmActions {
		if v.unknownTopics[topic] {
			out = append(out, pdRoute{Endpoint: topic + " (a subscription known after apply)", Unknown: true})
		}
		for _, sub := range v.subs[topic] {
			key, viaOrch, ok := pdKey(sub.Endpoint)
			if !ok || !strings.HasPrefix(sub.Protocol, "http") {
				continue
			}
			r := pdRoute{Endpoint: sub.Endpoint}
			if !viaOrch {
				r.Service, r.Via = v.byKey[key], "integration "+key
				if r.Service == nil {
					r.Via += " (no service has this integration key)"
				}
			} else if o := v.orchByKey[key]; o == nil {
				r.Via = "routing key " + key + " (no event orchestration has it)"
			} else {
				r.Via = "event orchestration " + o.Name
				acts, label, err := v.runPath(o.Global, event)
				var racts model.PDActions
				var rlabel string
				switch {
				case err != nil:
					r.Unknown, r.Via = true, r.Via+", global rules: "+err.Error()
				case acts.DropEvent || acts.Suppress:
					r.Suppressed, r.Via = true, r.Via+", global rule "+label
				default:
					racts, rlabel, err = v.runPath(o.Router, event)
					if err != nil {
						r.Unknown, r.Via = true, r.Via+", router: "+err.Error()
						break
					}
					r.Via += ", router rule " + rlabel
					r.Service = v.byID[racts.RouteTo]
					r.Severity = acts.Severity
					switch {
					case racts.RouteTo == model.PDUnknown:
						r.Unknown, r.Via = true, r.Via+", to a service known only after apply"
					case r.Service == nil && (racts.RouteTo == "" || racts.RouteTo == "unrouted"):
						if uacts, ulabel, err := v.runPath(o.Unrouted, event); o.Unrouted != nil && err == nil {
							r.Via += ", unrouted rule " + ulabel
							if uacts.Severity != "" {
								r.Severity = uacts.Severity
							}
						}
					case r.Service == nil:
						r.Via += ", whose service " + racts.RouteTo + " does not exist"
					}
				}
			}
			if r.Service != nil {
				switch acts, label, err := v.runPath(v.pd.ServiceRules[r.Service.ID], event); {
				case err != nil:
					r.Unknown, r.Via = true, r.Via+", service rules: "+err.Error()
				case acts.Suppress || acts.DropEvent:
					r.Suppressed, r.Via = true, r.Via+", service rule "+label
				case acts.Severity != "":
					r.Severity = acts.Severity
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// runPath applies an orchestration path to an event: from the start set,
// the first matching rule of each set applies, following route_to into
// other sets; the catch-all applies when no rule matches. A rule whose
// conditions driftgate cannot evaluate, met before any match, makes the
// outcome unknown: the error says which rule and why.
func (v *pdView) runPath(p *model.PDRuleSets, event map[string]any) (model.PDActions, string, error) {
	if p == nil {
		return model.PDActions{}, "(none)", nil
	}
	if len(p.Sets) == 0 {
		return p.CatchAll, "catch-all", nil
	}
	sets := map[string]model.PDRuleSet{}
	for _, s := range p.Sets {
		sets[s.ID] = s
	}
	set, ok := sets["start"]
	if !ok {
		set = p.Sets[0]
	}
	var merged model.PDActions
	for range len(p.Sets) + 1 {
		rule, matched, err := v.firstMatch(set, event)
		if err != nil {
			return merged, "", err
		}
		if !matched {
			return mergeActions(merged, p.CatchAll), "catch-all", nil
		}
		merged = mergeActions(merged, rule.Actions)
		next, isSet := sets[rule.Actions.RouteTo]
		if !isSet {
			return merged, label(rule), nil
		}
		set = next
	}
	return merged, "(loop)", nil
}

func label(r model.PDRule) string {
	if r.Label != "" {
		return strconv.Quote(r.Label)
	}
	return r.ID
}

func mergeActions(a, b model.PDActions) model.PDActions {
	if b.RouteTo != "" {
		a.RouteTo = b.RouteTo
	}
	if b.Severity != "" {
		a.Severity = b.Severity
	}
	a.Suppress = a.Suppress || b.Suppress
	a.DropEvent = a.DropEvent || b.DropEvent
	return a
}

func (v *pdView) firstMatch(set model.PDRuleSet, event map[string]any) (model.PDRule, bool, error) {
	for _, r := range set.Rules {
		if r.Disabled {
			continue
		}
		matched, err := ruleMatches(r, event, nil, &v.conds)
		if err != nil {
			return model.PDRule{}, false, fmt.Errorf("rule %s in set %s: %w", label(r), set.ID, err)
		}
		if matched {
			return r, true, nil
		}
	}
	return model.PDRule{}, false, nil
}

// ruleMatches: no conditions always match; otherwise any one of them. When
// none matches and one does not parse, whether the rule matches is unknown.
func ruleMatches(r model.PDRule, event map[string]any, hook func(*pcl.Expr) (bool, bool), conds *pcl.Cache) (bool, error) {
	if len(r.Conditions) == 0 {
		return true, nil
	}
	var unknown error
	for _, c := range r.Conditions {
		e, err := conds.Parse(c)
		switch {
		case err != nil:
			unknown = fmt.Errorf("driftgate cannot evaluate %q: %w", c, err)
		case e.Eval(event, hook):
			return true, nil
		}
	}
	return false, unknown
}

// pdRuleRef is a rule with where it lives, for messages.
type pdRuleRef struct {
	rule  model.PDRule
	where string
}

// allRules lists every orchestration rule of the live PagerDuty state.
func (v *pdView) allRules() []pdRuleRef {
	var out []pdRuleRef
	add := func(p *model.PDRuleSets, where string) {
		if p == nil {
			return
		}
		for _, set := range p.Sets {
			for _, r := range set.Rules {
				if !r.Disabled {
					out = append(out, pdRuleRef{r, where})
				}
			}
		}
	}
	for _, o := range v.pd.Orchestrations {
		add(o.Global, "global rules of event orchestration "+o.Name)
		add(o.Router, "router of event orchestration "+o.Name)
		add(o.Unrouted, "unrouted rules of event orchestration "+o.Name)
	}
	for _, s := range v.pd.Services {
		add(v.pd.ServiceRules[s.ID], "rules of service "+s.Name)
	}
	return out
}

// thresholdRules finds the rules that, apart from a condition on the
// alarm's Trigger threshold, match the alarm's event, with the threshold
// they expect: PagerDuty's copy of a CloudWatch threshold.
func (v *pdView) thresholdRules(a *model.Alarm) []struct {
	ref       pdRuleRef
	threshold float64
} {
	var out []struct {
		ref       pdRuleRef
		threshold float64
	}
	event := alarmEvent(a)
	for _, ref := range v.allRules() {
		var literal string
		hook := func(e *pcl.Expr) (bool, bool) {
			if strings.HasSuffix(e.Path, ".Trigger.Threshold") && e.Op == "matches" {
				literal = e.Value
				return true, true
			}
			return false, false
		}
		if matched, _ := ruleMatches(ref.rule, event, hook, &v.conds); !matched || literal == "" {
			continue
		}
		if f, err := strconv.ParseFloat(literal, 64); err == nil {
			out = append(out, struct {
				ref       pdRuleRef
				threshold float64
			}{ref, f})
		}
	}
	return out
}

// plannedView is live PagerDuty with the routing the plans create, change or
// delete laid over it: where pages will go once the change is applied. It is
// nil when the plans change no routing. Objects the plan creates without a
// known ID or key cannot be joined and are left out.
func (p *Pass) plannedView() *pdView {
	if p.PagerDuty() == nil {
		return nil
	}
	if !p.shared.plannedDone {
		p.shared.planned, p.shared.plannedDone = p.buildPlannedView(), true
	}
	return p.shared.planned
}

// buildPlannedView lays the plans' routing over a copy of the live view.
func (p *Pass) buildPlannedView() *pdView {
	live, declared := p.PagerDuty(), p.World.Routing
	if live == nil || declared == nil {
		return nil
	}
	changes := func(d *model.Declared) bool {
		return d != nil && d.Action != model.ActionNoop && d.Action != model.ActionNone && d.Action != model.ActionRead
	}
	deletes := func(d *model.Declared) bool { return d.Action == model.ActionDelete }
	pd := *live.pd
	changed := false

	pd.Services = nil
	for _, s := range live.pd.Services {
		c := *s
		c.Integrations = slices.Clone(s.Integrations)
		gone := false
		for _, d := range declared.Services {
			if d.ID == s.ID && changes(d.Declared) {
				changed = true
				gone = deletes(d.Declared)
				if d.EscalationPolicy != "" { // "": a policy the plan creates
					c.EscalationPolicy = d.EscalationPolicy
				}
				if d.Urgency != "" {
					c.Urgency = d.Urgency
				}
			}
		}
		for _, d := range declared.ServiceIntegrations {
			if d.Service != s.ID || d.Key == "" || !changes(d.Declared) {
				continue
			}
			changed = true
			c.Integrations = slices.DeleteFunc(c.Integrations, func(i model.PDIntegration) bool { return i.Key == d.Key })
			if !deletes(d.Declared) {
				c.Integrations = append(c.Integrations, d.PDIntegration)
			}
		}
		if !gone {
			pd.Services = append(pd.Services, &c)
		}
	}

	pd.EscalationPolicies = nil
	for _, e := range live.pd.EscalationPolicies {
		c, gone := e, false
		for _, d := range declared.EscalationPolicies {
			if d.ID == e.ID && changes(d.Declared) {
				c, gone, changed = d, deletes(d.Declared), true
			}
		}
		if !gone {
			pd.EscalationPolicies = append(pd.EscalationPolicies, c)
		}
	}

	// Orchestration paths cannot be deleted: destroying one in Terraform
	// empties it, and an empty router leaves every event unrouted.
	pd.Orchestrations = nil
	for _, o := range live.pd.Orchestrations {
		c := *o
		for _, d := range declared.Orchestrations {
			if d.ID != o.ID || !changes(d.Declared) {
				continue
			}
			if d.Router != nil {
				c.Router, changed = d.Router, true
				if deletes(d.Declared) {
					c.Router = &model.PDRuleSets{CatchAll: model.PDActions{RouteTo: "unrouted"}}
				}
			}
			if d.Global != nil {
				c.Global, changed = d.Global, true
				if deletes(d.Declared) {
					c.Global = nil
				}
			}
			if d.Unrouted != nil {
				c.Unrouted, changed = d.Unrouted, true
				if deletes(d.Declared) {
					c.Unrouted = nil
				}
			}
		}
		pd.Orchestrations = append(pd.Orchestrations, &c)
	}
	pd.ServiceRules = maps.Clone(live.pd.ServiceRules)
	if pd.ServiceRules == nil {
		pd.ServiceRules = map[string]*model.PDRuleSets{}
	}
	for id, rs := range declared.ServiceRules {
		if changes(rs.Declared) {
			pd.ServiceRules[id], changed = rs, true
			if deletes(rs.Declared) {
				delete(pd.ServiceRules, id)
			}
		}
	}

	pd.Subscriptions = slices.Clone(live.pd.Subscriptions)
	unknownTopics := map[string]bool{}
	for _, d := range declared.Subscriptions {
		if !changes(d.Declared) {
			continue
		}
		same := func(l model.SNSSubscription) bool {
			return l.TopicARN == d.TopicARN && strings.EqualFold(l.Protocol, d.Protocol) && l.Endpoint == d.Endpoint
		}
		if d.Endpoint == "" {
			// A sensitive endpoint is redacted: the subscription is known only
			// when it is the topic's one subscription of its protocol.
			n := 0
			for _, l := range pd.Subscriptions {
				if l.TopicARN == d.TopicARN && strings.EqualFold(l.Protocol, d.Protocol) {
					n++
				}
			}
			if !deletes(d.Declared) {
				unknownTopics[d.TopicARN], changed = true, true
				continue
			}
			if n != 1 {
				continue
			}
			same = func(l model.SNSSubscription) bool {
				return l.TopicARN == d.TopicARN && strings.EqualFold(l.Protocol, d.Protocol)
			}
		}
		changed = true
		pd.Subscriptions = slices.DeleteFunc(pd.Subscriptions, same)
		if !deletes(d.Declared) {
			pd.Subscriptions = append(pd.Subscriptions, model.SNSSubscription{TopicARN: d.TopicARN, Protocol: d.Protocol, Endpoint: d.Endpoint})
		}
	}
	if !changed {
		return nil
	}
	v := newPDView(&pd)
	v.unknownTopics = unknownTopics
	return v
}

// routeIssue is a problem with where an alarm's notifications land.
type routeIssue struct {
	f   Finding
	msg string
}

// judgeRoutes runs judge on an alarm's routes as they are today and as this
// change's routing leaves them, and reports each issue once: today's as
// they are, and those only the change brings as such. An alarm this change
// creates has no today when the change routes it.
func (p *Pass) judgeRoutes(a *model.Alarm, judge func(v *pdView, routes []pdRoute) []routeIssue) {
	live, planned := p.PagerDuty(), p.plannedView()
	if live == nil {
		return
	}
	today := map[string]bool{}
	if a.Source == model.SourceLive || planned == nil {
		for _, is := range judge(live, live.routes(a)) {
			today[is.f.Identity] = true
			p.Reportf(is.f, "%s", is.msg)
		}
	}
	if planned == nil {
		return
	}
	for _, is := range judge(planned, planned.routes(a)) {
		if !today[is.f.Identity] {
			is.f.Identity += "/planned"
			p.Reportf(is.f, "%s once this change's PagerDuty routing applies", is.msg)
		}
	}
}
