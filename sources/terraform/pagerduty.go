package terraform

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/driftgate/driftgate/model"
)

// The PagerDuty provider's resources (and SNS subscriptions) that route
// alarms, mirrored for the attributes driftgate compares.
type pdServiceAttrs struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	EscalationPolicy    string `json:"escalation_policy"`
	IncidentUrgencyRule []struct {
		Type    string `json:"type"`
		Urgency string `json:"urgency"`
	} `json:"incident_urgency_rule"`
}

type pdEscalationPolicyAttrs struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	NumLoops float64 `json:"num_loops"`
	Rule     []struct {
		EscalationDelayInMinutes float64    `json:"escalation_delay_in_minutes"`
		Target                   []pdTarget `json:"target"`
	} `json:"rule"`
}

type pdTarget struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type pdRuleAttrs struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	Disabled  bool   `json:"disabled"`
	Condition []struct {
		Expression string `json:"expression"`
	} `json:"condition"`
	Actions []pdActionAttrs `json:"actions"`
}

// pdActionAttrs are the rule actions that decide where an event goes.
type pdActionAttrs struct {
	RouteTo   string `json:"route_to"`
	Severity  string `json:"severity"`
	Suppress  bool   `json:"suppress"`
	DropEvent bool   `json:"drop_event"`
}

func (a pdActionAttrs) model() model.PDActions {
	return model.PDActions{RouteTo: a.RouteTo, Severity: a.Severity, Suppress: a.Suppress, DropEvent: a.DropEvent}
}

type pdPathAttrs struct {
	EventOrchestration string `json:"event_orchestration"`
	Service            string `json:"service"`
	Set                []struct {
		ID   string        `json:"id"`
		Rule []pdRuleAttrs `json:"rule"`
	} `json:"set"`
	CatchAll []struct {
		Actions []pdActionAttrs `json:"actions"`
	} `json:"catch_all"`
}

type snsSubscriptionAttrs struct {
	TopicARN string `json:"topic_arn"`
	Protocol string `json:"protocol"`
	Endpoint string `json:"endpoint"`
}

type pdServiceIntegrationAttrs struct {
	ID             string `json:"id"`
	Service        string `json:"service"`
	Type           string `json:"type"`
	Vendor         string `json:"vendor"`
	IntegrationKey string `json:"integration_key"`
}

// routingTypes are the resource types mapped into declared PagerDuty routing.
var routingTypes = map[string]bool{
	"pagerduty_service": true, "pagerduty_escalation_policy": true,
	"pagerduty_event_orchestration_router": true, "pagerduty_event_orchestration_service": true,
	"pagerduty_event_orchestration_global": true, "aws_sns_topic_subscription": true,
	"pagerduty_service_integration": true, "pagerduty_event_orchestration_unrouted": true,
}

// model maps an orchestration path. A router rule always routes to a
// service, so a router rule without route_to routes to one not known yet.
func (p *pdPathAttrs) model(router bool) *model.PDRuleSets {
	out := &model.PDRuleSets{}
	for _, c := range p.CatchAll {
		for _, a := range c.Actions {
			out.CatchAll = a.model()
		}
	}
	for _, s := range p.Set {
		set := model.PDRuleSet{ID: s.ID}
		for _, r := range s.Rule {
			rule := model.PDRule{ID: r.ID, Label: r.Label, Disabled: r.Disabled}
			for _, c := range r.Condition {
				rule.Conditions = append(rule.Conditions, c.Expression)
			}
			for _, a := range r.Actions {
				rule.Actions = a.model()
			}
			if router && rule.Actions.RouteTo == "" {
				rule.Actions.RouteTo = model.PDUnknown
			}
			set.Rules = append(set.Rules, rule)
		}
		out.Sets = append(out.Sets, set)
	}
	return out
}

// routing adds one resource to the declared routing; sensitive values were
// redacted to null before it is called.
func routing(pd *model.PagerDuty, rc *ResourceChange, raw jsontext.Value, loc model.Location) error {
	ref := model.Declared{Address: rc.Address, Location: loc, Action: action(rc)}
	switch rc.Type {
	case "pagerduty_service":
		var s pdServiceAttrs
		if err := jsonv2.Unmarshal(raw, &s); err != nil {
			return err
		}
		svc := &model.PDService{ID: s.ID, Name: s.Name, EscalationPolicy: s.EscalationPolicy, Declared: &ref}
		for _, u := range s.IncidentUrgencyRule {
			svc.Urgency = u.Urgency
			if u.Type == "use_support_hours" {
				svc.Urgency = "use_support_hours"
			}
		}
		pd.Services = append(pd.Services, svc)
	case "pagerduty_escalation_policy":
		var e pdEscalationPolicyAttrs
		if err := jsonv2.Unmarshal(raw, &e); err != nil {
			return err
		}
		ep := &model.PDEscalationPolicy{ID: e.ID, Name: e.Name, NumLoops: int(e.NumLoops), Declared: &ref}
		for _, r := range e.Rule {
			ep.Rules = append(ep.Rules, model.PDEscalationRule{DelayMinutes: int(r.EscalationDelayInMinutes), Targets: len(r.Target)})
		}
		pd.EscalationPolicies = append(pd.EscalationPolicies, ep)
	case "pagerduty_event_orchestration_router", "pagerduty_event_orchestration_global", "pagerduty_event_orchestration_unrouted":
		var p pdPathAttrs
		if err := jsonv2.Unmarshal(raw, &p); err != nil {
			return err
		}
		o := &model.PDOrchestration{ID: p.EventOrchestration, Declared: &ref}
		switch rc.Type {
		case "pagerduty_event_orchestration_router":
			o.Router = p.model(true)
		case "pagerduty_event_orchestration_global":
			o.Global = p.model(false)
		default:
			o.Unrouted = p.model(false)
		}
		pd.Orchestrations = append(pd.Orchestrations, o)
	case "pagerduty_event_orchestration_service":
		var p pdPathAttrs
		if err := jsonv2.Unmarshal(raw, &p); err != nil {
			return err
		}
		if pd.ServiceRules == nil {
			pd.ServiceRules = map[string]*model.PDRuleSets{}
		}
		rs := p.model(false)
		rs.Declared = &ref
		pd.ServiceRules[p.Service] = rs
	case "pagerduty_service_integration":
		var i pdServiceIntegrationAttrs
		if err := jsonv2.Unmarshal(raw, &i); err != nil {
			return err
		}
		typ := i.Type
		if typ == "" {
			typ = i.Vendor
		}
		pd.ServiceIntegrations = append(pd.ServiceIntegrations, model.PDServiceIntegration{Service: i.Service,
			PDIntegration: model.PDIntegration{ID: i.ID, Type: typ, Key: i.IntegrationKey}, Declared: &ref})
	case "aws_sns_topic_subscription":
		var s snsSubscriptionAttrs
		if err := jsonv2.Unmarshal(raw, &s); err != nil {
			return err
		}
		pd.Subscriptions = append(pd.Subscriptions, model.SNSSubscription{TopicARN: s.TopicARN, Protocol: s.Protocol, Endpoint: s.Endpoint, Declared: &ref})
	}
	return nil
}
