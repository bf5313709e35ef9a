package routing

import (
	"maps"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/model"
)

// Overlay lays the routing a plan creates, changes or deletes over a copy of
// the live view: where pages go once the change is applied. It is nil when
// the plan changes no routing. Objects the plan creates without a known ID
// or key cannot be joined and are left out.
func Overlay(live *View, declared *model.PagerDuty) *View {
	if live == nil || declared == nil {
		return nil
	}
	o := &overlay{live: live.PD, declared: declared, pd: *live.PD, unknownTopics: map[string]bool{}}
	o.services()
	o.policies()
	o.orchestrations()
	o.serviceRules()
	o.subscriptions()
	if !o.changed {
		return nil
	}
	v := NewView(&o.pd)
	v.UnknownTopics = o.unknownTopics
	return v
}

// overlay builds the planned PagerDuty state one kind of object at a time.
type overlay struct {
	live, declared *model.PagerDuty
	pd             model.PagerDuty // the result: a shallow copy of live, kind by kind replaced
	unknownTopics  map[string]bool
	changed        bool
}

// changes reports whether the plan changes the object (create, update,
// replace or delete).
func changes(d *model.Declared) bool {
	return d != nil && d.Action != model.ActionNoop && d.Action != model.ActionNone && d.Action != model.ActionRead
}

func deletes(d *model.Declared) bool { return d.Action == model.ActionDelete }

// services applies service updates and deletions, and integration changes.
func (o *overlay) services() {
	o.pd.Services = nil
	for _, s := range o.live.Services {
		c := *s
		c.Integrations = slices.Clone(s.Integrations)
		gone := false
		for _, d := range o.declared.Services {
			if d.ID == s.ID && changes(d.Declared) {
				o.changed = true
				gone = deletes(d.Declared)
				if d.EscalationPolicy != "" { // "": a policy the plan creates
					c.EscalationPolicy = d.EscalationPolicy
				}
				if d.Urgency != "" {
					c.Urgency = d.Urgency
				}
			}
		}
		for _, d := range o.declared.ServiceIntegrations {
			if d.Service != s.ID || d.Key == "" || !changes(d.Declared) {
				continue
			}
			o.changed = true
			c.Integrations = slices.DeleteFunc(c.Integrations, func(i model.PDIntegration) bool { return i.Key == d.Key })
			if !deletes(d.Declared) {
				c.Integrations = append(c.Integrations, d.PDIntegration)
			}
		}
		if !gone {
			o.pd.Services = append(o.pd.Services, &c)
		}
	}
}

// policies replaces changed escalation policies and drops deleted ones.
func (o *overlay) policies() {
	o.pd.EscalationPolicies = nil
	for _, e := range o.live.EscalationPolicies {
		c, gone := e, false
		for _, d := range o.declared.EscalationPolicies {
			if d.ID == e.ID && changes(d.Declared) {
				c, gone, o.changed = d, deletes(d.Declared), true
			}
		}
		if !gone {
			o.pd.EscalationPolicies = append(o.pd.EscalationPolicies, c)
		}
	}
}

// orchestrations replaces changed paths. Orchestration paths cannot be
// deleted: destroying one in Terraform empties it, and an empty router
// leaves every event unrouted.
func (o *overlay) orchestrations() {
	o.pd.Orchestrations = nil
	for _, live := range o.live.Orchestrations {
		c := *live
		for _, d := range o.declared.Orchestrations {
			if d.ID != live.ID || !changes(d.Declared) {
				continue
			}
			if d.Router != nil {
				c.Router, o.changed = d.Router, true
				if deletes(d.Declared) {
					c.Router = &model.PDRuleSets{CatchAll: model.PDActions{RouteTo: "unrouted"}}
				}
			}
			if d.Global != nil {
				c.Global, o.changed = d.Global, true
				if deletes(d.Declared) {
					c.Global = nil
				}
			}
			if d.Unrouted != nil {
				c.Unrouted, o.changed = d.Unrouted, true
				if deletes(d.Declared) {
					c.Unrouted = nil
				}
			}
		}
		o.pd.Orchestrations = append(o.pd.Orchestrations, &c)
	}
}

// serviceRules replaces changed service orchestrations.
func (o *overlay) serviceRules() {
	o.pd.ServiceRules = maps.Clone(o.live.ServiceRules)
	if o.pd.ServiceRules == nil {
		o.pd.ServiceRules = map[string]*model.PDRuleSets{}
	}
	for id, rs := range o.declared.ServiceRules {
		if changes(rs.Declared) {
			o.pd.ServiceRules[id], o.changed = rs, true
			if deletes(rs.Declared) {
				delete(o.pd.ServiceRules, id)
			}
		}
	}
}

// subscriptions adds, replaces and removes SNS subscriptions. A created
// subscription whose endpoint the plan hides (sensitive, or known after
// apply) makes its topic's destination unknown.
func (o *overlay) subscriptions() {
	o.pd.Subscriptions = slices.Clone(o.live.Subscriptions)
	for _, d := range o.declared.Subscriptions {
		if !changes(d.Declared) {
			continue
		}
		same := func(l model.SNSSubscription) bool {
			return l.TopicARN == d.TopicARN && strings.EqualFold(l.Protocol, d.Protocol) && l.Endpoint == d.Endpoint
		}
		if d.Endpoint == "" {
			if !deletes(d.Declared) {
				o.unknownTopics[d.TopicARN], o.changed = true, true
				continue
			}
			// A redacted endpoint is known only when it is the topic's one
			// subscription of its protocol.
			n := 0
			for _, l := range o.pd.Subscriptions {
				if l.TopicARN == d.TopicARN && strings.EqualFold(l.Protocol, d.Protocol) {
					n++
				}
			}
			if n != 1 {
				continue
			}
			same = func(l model.SNSSubscription) bool {
				return l.TopicARN == d.TopicARN && strings.EqualFold(l.Protocol, d.Protocol)
			}
		}
		o.changed = true
		o.pd.Subscriptions = slices.DeleteFunc(o.pd.Subscriptions, same)
		if !deletes(d.Declared) {
			o.pd.Subscriptions = append(o.pd.Subscriptions, model.SNSSubscription{TopicARN: d.TopicARN, Protocol: d.Protocol, Endpoint: d.Endpoint})
		}
	}
}
