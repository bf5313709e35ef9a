package model

// Declared says where a routing object is declared, for objects from a plan.
type Declared struct {
	Address  string
	Location Location
	Action   Action
}

// PagerDuty is the alerting side of the path from an alarm to a human: the
// SNS subscriptions that carry CloudWatch notifications to PagerDuty, and
// PagerDuty's services, escalation policies and event orchestrations.
type PagerDuty struct {
	Services           []*PDService
	EscalationPolicies []*PDEscalationPolicy
	// Orchestrations are global event orchestrations with their routers.
	Orchestrations []*PDOrchestration
	// ServiceRules are service orchestrations, by service ID.
	ServiceRules  map[string]*PDRuleSets
	Subscriptions []SNSSubscription
	// ServiceIntegrations are integrations declared as resources of their own
	// (pagerduty_service_integration); live integrations sit on their services.
	ServiceIntegrations []PDServiceIntegration
}

// PDService is a PagerDuty service.
type PDService struct {
	ID, Name         string
	Disabled         bool
	EscalationPolicy string // ID; "" when none
	// Urgency is high, low, severity_based or use_support_hours.
	Urgency      string
	Integrations []PDIntegration
	Tenant       string    // from the configured service naming convention
	Declared     *Declared // nil for live objects
}

// PDIntegration is an integration of a service: its key is what an SNS
// subscription's endpoint carries.
type PDIntegration struct {
	ID, Type, Key string
}

// PDServiceIntegration is an integration declared apart from its service.
type PDServiceIntegration struct {
	Service string // the service's ID
	PDIntegration
	Declared *Declared
}

// PDEscalationPolicy is an escalation policy: rules tried in turn, each after
// the previous one's delay, the whole NumLoops more times.
type PDEscalationPolicy struct {
	ID, Name string
	NumLoops int
	Rules    []PDEscalationRule
	Declared *Declared
}

// PDEscalationRule is one level of an escalation policy.
type PDEscalationRule struct {
	DelayMinutes int
	Targets      int
}

// PDOrchestration is a global event orchestration: events sent with one of
// its routing keys pass its global rules, then its router picks a service.
type PDOrchestration struct {
	ID, Name    string
	RoutingKeys []string
	Global      *PDRuleSets
	Router      *PDRuleSets
	// Unrouted is the path of events the router sends nowhere: it can set
	// their severity but never a service.
	Unrouted *PDRuleSets
	Declared *Declared
}

// PDUnknown stands for a value a plan knows only after apply, such as the
// ID of a service the same plan creates.
const PDUnknown = "(known after apply)"

// PDRuleSets is an orchestration path: rule sets, starting at "start", and
// the catch-all for events no rule matches.
type PDRuleSets struct {
	Sets     []PDRuleSet
	CatchAll PDActions
	Declared *Declared
}

// PDRuleSet is one set of rules; the first rule that matches applies.
type PDRuleSet struct {
	ID    string
	Rules []PDRule
}

// PDRule is an orchestration rule: any one of its conditions (PCL
// expressions) matching makes its actions apply.
type PDRule struct {
	ID, Label  string
	Conditions []string
	Actions    PDActions
	Disabled   bool
}

// PDActions are what a rule does to an event.
type PDActions struct {
	RouteTo   string // a set ID (global and service paths) or a service ID (router); "unrouted"
	Severity  string
	Suppress  bool
	DropEvent bool
}

// SNSSubscription delivers an SNS topic's notifications to an endpoint.
type SNSSubscription struct {
	TopicARN, Protocol, Endpoint string
	Declared                     *Declared
}
