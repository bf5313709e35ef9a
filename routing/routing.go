// Package routing simulates where PagerDuty sends an alarm's notification:
// the event PagerDuty's CloudWatch integration builds, its SNS subscriptions,
// an integration key or an event orchestration's global rules, router and
// unrouted rules, and the service's own rules; and lays a plan's routing
// changes over the live state to see where pages go once it is applied.
// It does no I/O.
package routing

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/pcl"
)

// Route is where one notification of an alarm lands in PagerDuty.
type Route struct {
	Endpoint   string
	Service    *model.PDService // nil when unrouted
	Severity   string
	Suppressed bool
	// Unknown is a route the plan decides only at apply (a rule routing to
	// a service the same plan creates): it cannot be judged.
	Unknown bool
	Via     string // how it got there, for messages
}

// View indexes the live PagerDuty state for route simulation.
type View struct {
	PD        *model.PagerDuty
	Subs      map[string][]model.SNSSubscription // by topic ARN
	ByKey     map[string]*model.PDService        // integration key -> service
	ByID      map[string]*model.PDService
	OrchByKey map[string]*model.PDOrchestration // routing key -> orchestration
	Policies  map[string]*model.PDEscalationPolicy
	// UnknownTopics gain a subscription whose endpoint the plan does not
	// show (known after apply, or sensitive): where they lead is unknown.
	UnknownTopics map[string]bool
	// conds parses each rule condition once per run, not once per alarm.
	conds pcl.Cache
}

func NewView(pd *model.PagerDuty) *View {
	v := &View{PD: pd, Subs: map[string][]model.SNSSubscription{}, ByKey: map[string]*model.PDService{},
		ByID: map[string]*model.PDService{}, OrchByKey: map[string]*model.PDOrchestration{}, Policies: map[string]*model.PDEscalationPolicy{}}
	for _, s := range pd.Subscriptions {
		v.Subs[s.TopicARN] = append(v.Subs[s.TopicARN], s)
	}
	for _, s := range pd.Services {
		v.ByID[s.ID] = s
		for _, i := range s.Integrations {
			if i.Key != "" {
				v.ByKey[i.Key] = s
			}
		}
	}
	for _, o := range pd.Orchestrations {
		for _, k := range o.RoutingKeys {
			v.OrchByKey[k] = o
		}
	}
	for _, e := range pd.EscalationPolicies {
		v.Policies[e.ID] = e
	}
	return v
}

// AlarmEvent is the event PagerDuty's CloudWatch integration makes of an
// alarm's ALARM notification: AlarmName, NewStateValue, NewStateReason and
// the Trigger (metric alarms) or AlarmRule (composites) in custom_details.
func AlarmEvent(a *model.Alarm) map[string]any {
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

// Key extracts the integration or routing key from a PagerDuty endpoint:
// .../integration/KEY/enqueue (a service integration) or .../x-ere/KEY
// (an event orchestration).
func Key(endpoint string) (key string, orchestration bool, ok bool) {
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

// Routes simulates every PagerDuty delivery of an alarm's ALARM notification.
func (v *View) Routes(a *model.Alarm) []Route {
	var out []Route
	event := AlarmEvent(a)
	for _, topic := range a.AlarmActions {
		if v.UnknownTopics[topic] {
			out = append(out, Route{Endpoint: topic + " (a subscription known after apply)", Unknown: true})
		}
		for _, sub := range v.Subs[topic] {
			key, viaOrch, ok := Key(sub.Endpoint)
			if !ok || !strings.HasPrefix(sub.Protocol, "http") {
				continue
			}
			r := Route{Endpoint: sub.Endpoint}
			if viaOrch {
				v.throughOrchestration(&r, key, event)
			} else {
				r.Service, r.Via = v.ByKey[key], "integration "+key
				if r.Service == nil {
					r.Via += " (no service has this integration key)"
				}
			}
			if r.Service != nil {
				v.throughServiceRules(&r, event)
			}
			out = append(out, r)
		}
	}
	return out
}

// throughOrchestration follows an event sent with an orchestration's
// routing key: global rules (which may drop or suppress it), the router,
// and the unrouted rules when the router picks no service.
func (v *View) throughOrchestration(r *Route, key string, event map[string]any) {
	o := v.OrchByKey[key]
	if o == nil {
		r.Via = "routing key " + key + " (no event orchestration has it)"
		return
	}
	r.Via = "event orchestration " + o.Name
	acts, label, err := v.RunPath(o.Global, event)
	switch {
	case err != nil:
		r.Unknown, r.Via = true, r.Via+", global rules: "+err.Error()
		return
	case acts.DropEvent || acts.Suppress:
		r.Suppressed, r.Via = true, r.Via+", global rule "+label
		return
	}
	racts, rlabel, err := v.RunPath(o.Router, event)
	if err != nil {
		r.Unknown, r.Via = true, r.Via+", router: "+err.Error()
		return
	}
	r.Via += ", router rule " + rlabel
	r.Service = v.ByID[racts.RouteTo]
	r.Severity = acts.Severity
	switch {
	case racts.RouteTo == model.PDUnknown:
		r.Unknown, r.Via = true, r.Via+", to a service known only after apply"
	case r.Service == nil && (racts.RouteTo == "" || racts.RouteTo == "unrouted"):
		if uacts, ulabel, err := v.RunPath(o.Unrouted, event); o.Unrouted != nil && err == nil {
			r.Via += ", unrouted rule " + ulabel
			if uacts.Severity != "" {
				r.Severity = uacts.Severity
			}
		}
	case r.Service == nil:
		r.Via += ", whose service " + racts.RouteTo + " does not exist"
	}
}

// throughServiceRules applies the service's own orchestration rules.
func (v *View) throughServiceRules(r *Route, event map[string]any) {
	switch acts, label, err := v.RunPath(v.PD.ServiceRules[r.Service.ID], event); {
	case err != nil:
		r.Unknown, r.Via = true, r.Via+", service rules: "+err.Error()
	case acts.Suppress || acts.DropEvent:
		r.Suppressed, r.Via = true, r.Via+", service rule "+label
	case acts.Severity != "":
		r.Severity = acts.Severity
	}
}

// RunPath applies an orchestration path to an event: from the start set,
// the first matching rule of each set applies, following route_to into
// other sets; the catch-all applies when no rule matches. A rule whose
// conditions driftgate cannot evaluate, met before any match, makes the
// outcome unknown: the error says which rule and why.
func (v *View) RunPath(p *model.PDRuleSets, event map[string]any) (model.PDActions, string, error) {
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
			return merged, Label(rule), nil
		}
		set = next
	}
	return merged, "(loop)", nil
}

// Label names a rule for messages: its label, else its ID.
func Label(r model.PDRule) string {
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

func (v *View) firstMatch(set model.PDRuleSet, event map[string]any) (model.PDRule, bool, error) {
	for _, r := range set.Rules {
		if r.Disabled {
			continue
		}
		matched, err := RuleMatches(r, event, nil, &v.conds)
		if err != nil {
			return model.PDRule{}, false, fmt.Errorf("rule %s in set %s: %w", Label(r), set.ID, err)
		}
		if matched {
			return r, true, nil
		}
	}
	return model.PDRule{}, false, nil
}

// RuleMatches: no conditions always match; otherwise any one of them. When
// none matches and one does not parse, whether the rule matches is unknown.
func RuleMatches(r model.PDRule, event map[string]any, hook func(*pcl.Expr) (bool, bool), conds *pcl.Cache) (bool, error) {
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

// RuleRef is a rule with where it lives, for messages.
type RuleRef struct {
	Rule  model.PDRule
	Where string
}

// AllRules lists every orchestration rule of the live PagerDuty state.
func (v *View) AllRules() []RuleRef {
	var out []RuleRef
	add := func(p *model.PDRuleSets, where string) {
		if p == nil {
			return
		}
		for _, set := range p.Sets {
			for _, r := range set.Rules {
				if !r.Disabled {
					out = append(out, RuleRef{r, where})
				}
			}
		}
	}
	for _, o := range v.PD.Orchestrations {
		add(o.Global, "global rules of event orchestration "+o.Name)
		add(o.Router, "router of event orchestration "+o.Name)
		add(o.Unrouted, "unrouted rules of event orchestration "+o.Name)
	}
	for _, s := range v.PD.Services {
		add(v.PD.ServiceRules[s.ID], "rules of service "+s.Name)
	}
	return out
}

// ThresholdRule is a rule that tests an alarm's threshold, and the
// threshold it expects.
type ThresholdRule struct {
	Ref       RuleRef
	Threshold float64
}

// ThresholdRules finds the rules that, apart from a condition on the
// alarm's Trigger threshold, match the alarm's event, with the threshold
// they expect: PagerDuty's copy of a CloudWatch threshold.
func (v *View) ThresholdRules(a *model.Alarm) []ThresholdRule {
	var out []ThresholdRule
	event := AlarmEvent(a)
	for _, ref := range v.AllRules() {
		var literal string
		hook := func(e *pcl.Expr) (bool, bool) {
			if strings.HasSuffix(e.Path, ".Trigger.Threshold") && e.Op == "matches" {
				literal = e.Value
				return true, true
			}
			return false, false
		}
		if matched, _ := RuleMatches(ref.Rule, event, hook, &v.conds); !matched || literal == "" {
			continue
		}
		if f, err := strconv.ParseFloat(literal, 64); err == nil {
			out = append(out, ThresholdRule{ref, f})
		}
	}
	return out
}
