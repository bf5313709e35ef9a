package snapshot

import (
	"strings"

	"github.com/driftgate/driftgate/model"
)

// PagerDutyState mirrors what PagerDuty's REST API v2 returns: services,
// escalation policies, global event orchestrations with their router, and
// service orchestrations. Field names are the API's.
type PagerDutyState struct {
	Complete              bool                           `json:"complete"`
	Error                 string                         `json:"error,omitempty"`
	Services              []PDService                    `json:"services"`
	EscalationPolicies    []PDEscalationPolicy           `json:"escalation_policies"`
	EventOrchestrations   []PDOrchestration              `json:"event_orchestrations"`
	ServiceOrchestrations map[string]PDOrchestrationPath `json:"service_orchestrations,omitempty"`
}

// PDReference is a {id, type} reference.
type PDReference struct {
	ID   string `json:"id"`
	Type string `json:"type,omitempty"`
}

// PDService mirrors GET /services.
type PDService struct {
	ID                  string      `json:"id"`
	Name                string      `json:"name"`
	Status              string      `json:"status"` // active, warning, critical, maintenance, disabled
	EscalationPolicy    PDReference `json:"escalation_policy"`
	IncidentUrgencyRule struct {
		Type    string `json:"type"` // constant, use_support_hours
		Urgency string `json:"urgency,omitempty"`
	} `json:"incident_urgency_rule"`
	Integrations []struct {
		ID             string `json:"id"`
		Type           string `json:"type"`
		IntegrationKey string `json:"integration_key,omitempty"`
	} `json:"integrations"`
}

// PDEscalationPolicy mirrors GET /escalation_policies.
type PDEscalationPolicy struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	NumLoops        int    `json:"num_loops"`
	EscalationRules []struct {
		EscalationDelayInMinutes int           `json:"escalation_delay_in_minutes"`
		Targets                  []PDReference `json:"targets"`
	} `json:"escalation_rules"`
}

// PDOrchestration mirrors GET /event_orchestrations/{id} with its global,
// router and unrouted paths (GET .../global, .../router, .../unrouted).
type PDOrchestration struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Integrations []struct {
		ID         string `json:"id"`
		Parameters struct {
			RoutingKey string `json:"routing_key"`
		} `json:"parameters"`
	} `json:"integrations"`
	Global *PDOrchestrationPath `json:"global,omitempty"`
	Router *PDOrchestrationPath `json:"router,omitempty"`
	// Unrouted is GET .../unrouted: what happens to events the router sends nowhere.
	Unrouted *PDOrchestrationPath `json:"unrouted,omitempty"`
}

// PDOrchestrationPath mirrors an orchestration_path.
type PDOrchestrationPath struct {
	Sets []struct {
		ID    string `json:"id"`
		Rules []struct {
			ID         string `json:"id"`
			Label      string `json:"label,omitempty"`
			Disabled   bool   `json:"disabled,omitempty"`
			Conditions []struct {
				Expression string `json:"expression"`
			} `json:"conditions"`
			Actions PDRuleActions `json:"actions"`
		} `json:"rules"`
	} `json:"sets"`
	CatchAll struct {
		Actions PDRuleActions `json:"actions"`
	} `json:"catch_all"`
}

// PDRuleActions mirrors a rule's actions.
type PDRuleActions struct {
	RouteTo   string `json:"route_to,omitempty"`
	Severity  string `json:"severity,omitempty"`
	Suppress  bool   `json:"suppress,omitempty"`
	DropEvent bool   `json:"drop_event,omitempty"`
}

// SNSRegion holds ListSubscriptionsByTopic results for one account and region.
type SNSRegion struct {
	Account       string            `json:"account"`
	Region        string            `json:"region"`
	Complete      bool              `json:"complete"`
	Error         string            `json:"error,omitempty"`
	Subscriptions []SNSSubscription `json:"Subscriptions"`
}

// SNSSubscription mirrors SNS's Subscription.
type SNSSubscription struct {
	SubscriptionArn string `json:"SubscriptionArn,omitempty"`
	TopicArn        string `json:"TopicArn"`
	Protocol        string `json:"Protocol"`
	Endpoint        string `json:"Endpoint"`
}

func (p *PDOrchestrationPath) model() *model.PDRuleSets {
	if p == nil {
		return nil
	}
	out := &model.PDRuleSets{CatchAll: actions(p.CatchAll.Actions)}
	for _, set := range p.Sets {
		ms := model.PDRuleSet{ID: set.ID}
		for _, r := range set.Rules {
			mr := model.PDRule{ID: r.ID, Label: r.Label, Disabled: r.Disabled, Actions: actions(r.Actions)}
			for _, c := range r.Conditions {
				mr.Conditions = append(mr.Conditions, c.Expression)
			}
			ms.Rules = append(ms.Rules, mr)
		}
		out.Sets = append(out.Sets, ms)
	}
	return out
}

func actions(a PDRuleActions) model.PDActions {
	return model.PDActions{RouteTo: a.RouteTo, Severity: a.Severity, Suppress: a.Suppress, DropEvent: a.DropEvent}
}

// model maps PagerDuty's state and the SNS subscriptions.
func (p *PagerDutyState) model(sns []SNSRegion) *model.PagerDuty {
	out := &model.PagerDuty{ServiceRules: map[string]*model.PDRuleSets{}}
	for _, s := range p.Services {
		ms := &model.PDService{ID: s.ID, Name: s.Name, Disabled: s.Status == "disabled", EscalationPolicy: s.EscalationPolicy.ID,
			Urgency: s.IncidentUrgencyRule.Urgency}
		if s.IncidentUrgencyRule.Type == "use_support_hours" {
			ms.Urgency = "use_support_hours"
		}
		for _, i := range s.Integrations {
			ms.Integrations = append(ms.Integrations, model.PDIntegration{ID: i.ID, Type: i.Type, Key: i.IntegrationKey})
		}
		out.Services = append(out.Services, ms)
	}
	for _, e := range p.EscalationPolicies {
		me := &model.PDEscalationPolicy{ID: e.ID, Name: e.Name, NumLoops: e.NumLoops}
		for _, r := range e.EscalationRules {
			me.Rules = append(me.Rules, model.PDEscalationRule{DelayMinutes: r.EscalationDelayInMinutes, Targets: len(r.Targets)})
		}
		out.EscalationPolicies = append(out.EscalationPolicies, me)
	}
	for _, o := range p.EventOrchestrations {
		mo := &model.PDOrchestration{ID: o.ID, Name: o.Name, Global: o.Global.model(), Router: o.Router.model(), Unrouted: o.Unrouted.model()}
		for _, i := range o.Integrations {
			mo.RoutingKeys = append(mo.RoutingKeys, i.Parameters.RoutingKey)
		}
		out.Orchestrations = append(out.Orchestrations, mo)
	}
	for id, path := range p.ServiceOrchestrations {
		out.ServiceRules[id] = path.model()
	}
	for _, r := range sns {
		for _, s := range r.Subscriptions {
			out.Subscriptions = append(out.Subscriptions, model.SNSSubscription{TopicARN: s.TopicArn, Protocol: strings.ToLower(s.Protocol), Endpoint: s.Endpoint})
		}
	}
	return out
}
