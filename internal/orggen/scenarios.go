package orggen

import (
	"fmt"
	"maps"
	"strings"

	"github.com/driftgate/driftgate/live/snapshot"
)

// Demo is the bundled demo scenario (fixtures/demo): 12 tenants, one SLO,
// three tiers of two windows plus a composite each, with one anomaly of each
// kind the foundation checks catch and one tenant that is clean.
func Demo() *Org {
	ids := []struct{ id, bucket string }{
		{"0a1b2c", "gold"}, {"1a2b3c", "silver"}, {"3c4d5e", "bronze"}, {"4d5e6f", "gold"},
		{"5e6f70", "silver"}, {"7c3f2e", "silver"}, {"8a9b0c", "bronze"}, {"9f8e7d", "gold"},
		{"b7c8d9", "bronze"}, {"c0ffee", "gold"}, {"d4e5f6", "silver"}, {"e1f2a3", "gold"},
		// declared in CloudFormation, not Terraform
		{"ab34cd", "silver"}, {"f00d42", "gold"},
	}
	o := &Org{SLOs: []string{"availability"}, TierComposites: []string{"page-fast", "page-slow", "ticket"},
		Namespace: "Acme/Checkout", Account: "123456789012", Region: "us-east-1", Seed: 1,
		// tenant 7c3f2e's 5m page threshold was raised in the console: 5.2 % live, 4.8 % declared
		LiveThreshold: map[string]float64{AlarmName("7c3f2e", "availability", "page-fast", "5m"): 5.2,
			// d4e5f6's 1h page alarm was raised to 50 % in the console during an incident
			AlarmName("d4e5f6", "availability", "page-fast", "1h"): 50},
		// someone deleted tenant 1a2b3c's short ticket window after the plan was made
		NotLive: map[string]bool{AlarmName("1a2b3c", "availability", "ticket", "2h"): true},
		// a hand-made alarm for a tenant, in the managed namespace, and one
		// left behind by the offboarded tenant ab12cd
		Unmanaged: []string{AlarmName("9f8e7d", "latency", "page-fast", "5m"), AlarmName("ab12cd", "availability", "page-fast", "5m")},
		// the onboarding tenant e1f2a3 is created by this plan: nothing of it is live yet
		Creating: map[string]bool{"e1f2a3": true},
		// this PR renames 3c4d5e's slow page composite out of the naming
		// convention, and out of PagerDuty's router rule for the tenant
		Renamed: map[string]string{AlarmName("3c4d5e", "availability", "page-slow", ""): "checkout-3c4d5e-availability-page-slow"},
		// this PR lowers b7c8d9's fast page threshold; live still has the old one
		Updating: map[string]float64{AlarmName("b7c8d9", "availability", "page-fast", "1h"): 12},
		// Terraform's refresh saw 4d5e6f's slow page threshold raised to 0.9 outside Terraform
		Drifted: map[string]float64{AlarmName("4d5e6f", "availability", "page-slow", "6h"): 0.9},
		// console noise only: must not be reported
		NoiseDrift:            map[string]bool{AlarmName("0a1b2c", "availability", "page-fast", "1h"): true},
		SecretDrift:           true,
		CloudFormationTenants: map[string]bool{"ab34cd": true, "f00d42": true},
		// The shared paging topic lives in a CloudFormation stack: someone
		// renamed it in the console and deleted its PagerDuty subscription.
		Stacks: []snapshot.Stack{{StackName: "alerting-shared",
			StackId:         "arn:aws:cloudformation:us-east-1:123456789012:stack/alerting-shared/5f1c2a30",
			DetectionStatus: "DETECTION_COMPLETE", StackDriftStatus: "DRIFTED", StackResourceDrifts: []snapshot.StackResourceDrift{
				{LogicalResourceId: "PageTopicGold", PhysicalResourceId: "arn:aws:sns:us-east-1:123456789012:pagerduty-gold", ResourceType: "AWS::SNS::Topic",
					ExpectedProperties: `{"DisplayName":"Page gold tenants","TopicName":"pagerduty-gold"}`,
					ActualProperties:   `{"DisplayName":"gold pages (temp)","TopicName":"pagerduty-gold"}`,
					PropertyDifferences: []snapshot.PropertyDifference{{PropertyPath: "/Properties/DisplayName",
						ExpectedValue: "Page gold tenants", ActualValue: "gold pages (temp)", DifferenceType: "NOT_EQUAL"}},
					StackResourceDriftStatus: "MODIFIED"},
				{LogicalResourceId: "PagerDutySubscriptionGold", ResourceType: "AWS::SNS::Subscription", StackResourceDriftStatus: "DELETED"},
			}}},

		// SLO coherence. 3c4d5e's contract is 90 %: a 14.4x page tier can never fire there.
		Objectives: map[string]float64{"3c4d5e": 0.90},
		// 1a2b3c has no page-tier alarm at all.
		Omit: omit(
			AlarmName("1a2b3c", "availability", "page-fast", "1h"), AlarmName("1a2b3c", "availability", "page-fast", "5m"), AlarmName("1a2b3c", "availability", "page-fast", ""),
			AlarmName("1a2b3c", "availability", "page-slow", "6h"), AlarmName("1a2b3c", "availability", "page-slow", "30m"), AlarmName("1a2b3c", "availability", "page-slow", ""),
		),
		Edit: map[string]func(map[string]any){
			// d4e5f6's ticket thresholds were computed for a 28-day period and never updated.
			AlarmName("d4e5f6", "availability", "ticket", "1d"): setAttr("threshold", 0.9333),
			AlarmName("d4e5f6", "availability", "ticket", "2h"): setAttr("threshold", 0.9333),
			// 5e6f70's slow page tier ORs its windows, and pages when data is missing.
			AlarmName("5e6f70", "availability", "page-slow", ""): setAttr("alarm_rule",
				`ALARM("slo-5e6f70-availability-page-slow-6h") OR ALARM("slo-5e6f70-availability-page-slow-30m")`),
			AlarmName("5e6f70", "availability", "page-fast", "5m"): setAttr("treat_missing_data", "breaching"),
			// 9f8e7d's 1h window is written as 60 one-minute datapoints.
			AlarmName("9f8e7d", "availability", "page-fast", "1h"): minuteDatapoints(60),
			// ab34cd's template kept an old 5m page threshold (and live matches it).
			AlarmName("ab34cd", "availability", "page-fast", "5m"): setAttr("threshold", 4.5),
			// 9f8e7d's 30m page alarm has a typo in its tenant dimension.
			AlarmName("9f8e7d", "availability", "page-slow", "30m"): tenantDimension("9f8e7dd"),
		},
		// 8a9b0c sees about one request a minute: a single error pages.
		EventsPerMinute: map[string]float64{"8a9b0c": 1, "c0ffee": 5000},
		// An ignore accepted when driftgate was adopted, past its date.
		Ignores: `
ignore:
  - address: 'module.tenant["0a1b2c"].*'
    attribute: tags.*
    checks: [terraform-drift]
    reason: the FinOps pipeline owns the cost tags (accepted at adoption)
    until: 2026-10-31
`,
		// Where pages must land, written down: 5e6f70's slow page has been
		// sent to 1a2b3c's service by a copy-pasted router rule.
		RouteTests: `# Routing tests (docs/routing-tests.md): where each page must land.
version: 1
cases:
  - name: 7c3f2e fast page reaches its own on-call within the hour
    alarm: slo-7c3f2e-availability-page-fast
    expect: {service: checkout-7c3f2e, urgency: high, paged_within: 1h}
  - name: 5e6f70 slow page reaches its own service
    alarm: slo-5e6f70-availability-page-slow
    expect: {service: checkout-5e6f70}
  - name: a new tenant's ticket goes to the tickets service at low urgency
    event: {alarm_name: slo-abc123-availability-ticket, topic: "arn:aws:sns:us-east-1:123456789012:tickets", region: us-east-1}
    expect: {service: checkout-tickets, urgency: low}
`,
		// Metric evidence over the last 24h:
		Evidence: &Evidence{
			// d4e5f6 has run at 10 % errors (30x its budget) for 8 hours; its
			// 1h page alarm was raised to 50 % in the console, so the page stays quiet.
			Burning: map[string]float64{"d4e5f6": 10},
			// 9f8e7d's 30m page alarm watches TenantId 9f8e7dd, which nothing reports;
			// the alarm left behind by the offboarded ab12cd sees no data either.
			Dead: map[string]bool{AlarmName("9f8e7d", "availability", "page-slow", "30m"): true, AlarmName("ab12cd", "availability", "page-fast", "5m"): true},
			// 8a9b0c's single errors cross its 5m threshold and clear: it flaps.
			Flapping: map[string]int{AlarmName("8a9b0c", "availability", "page-fast", "5m"): 14},
		},
		// A latency SLO for 9f8e7d only, whose ticket tier burns faster than its pages.
		ExtraSLOs: `  - name: latency
    service: checkout
    objective_percent: 99
    period: 30d
    applies_to: {tenants: ["9f8e7d"]}
    tiers:
      - {name: page-fast, severity: page, budget_percent: 2, long: 1h, short: 5m}
      - {name: ticket, severity: ticket, budget_percent: 60, long: 1d, short: 2h}
`,
	}
	for _, t := range ids {
		o.Tenants = append(o.Tenants, Tenant{ID: t.id, Bucket: t.bucket})
	}
	o.PagerDuty, o.SNS = demoPagerDuty(o)
	return o
}

// demoPagerDuty routes every topic through the "checkout" event
// orchestration, whose router sends each tenant's pages to the tenant's
// service and every ticket to a low-urgency one, with one anomaly for each
// routing check:
//   - 7c3f2e: a rule escalates the 5m page at 4.8 %, while CloudWatch pages at 5.2 %;
//   - 8a9b0c: no router rule, so its pages fall to the catch-all, unrouted;
//   - 5e6f70: a copy-pasted rule sends its pages to 1a2b3c's service;
//   - 4d5e6f: its service escalates three levels 30 minutes apart (a 43.2-minute budget);
//   - ab34cd: no service at all; checkout-ab12cd is left from an offboarded tenant.
func demoPagerDuty(o *Org) (*snapshot.PagerDutyState, []snapshot.SNSSubscription) {
	pd := &snapshot.PagerDutyState{Complete: true}
	ep := func(id, name string, delays ...int) snapshot.PDEscalationPolicy {
		p := snapshot.PDEscalationPolicy{ID: id, Name: name}
		for _, d := range delays {
			p.EscalationRules = append(p.EscalationRules, struct {
				EscalationDelayInMinutes int                    `json:"escalation_delay_in_minutes"`
				Targets                  []snapshot.PDReference `json:"targets"`
			}{d, []snapshot.PDReference{{ID: "PSCHED" + id, Type: "schedule_reference"}}})
		}
		return p
	}
	pd.EscalationPolicies = []snapshot.PDEscalationPolicy{ep("PEP1", "checkout on-call", 15, 15), ep("PEPSLOW", "checkout slow", 30, 30, 30)}
	service := func(id, name, urgency, policy string) snapshot.PDService {
		s := snapshot.PDService{ID: id, Name: name, Status: "active", EscalationPolicy: snapshot.PDReference{ID: policy, Type: "escalation_policy_reference"}}
		s.IncidentUrgencyRule.Type, s.IncidentUrgencyRule.Urgency = "constant", urgency
		return s
	}
	type rule = struct {
		ID         string `json:"id"`
		Label      string `json:"label,omitempty"`
		Disabled   bool   `json:"disabled,omitempty"`
		Conditions []struct {
			Expression string `json:"expression"`
		} `json:"conditions"`
		Actions snapshot.PDRuleActions `json:"actions"`
	}
	mkRule := func(id, label, cond string, actions snapshot.PDRuleActions) rule {
		r := rule{ID: id, Label: label, Actions: actions}
		r.Conditions = append(r.Conditions, struct {
			Expression string `json:"expression"`
		}{cond})
		return r
	}
	var rules []rule
	rules = append(rules, mkRule("r7c3f2efast", "7c3f2e fast page",
		`event.custom_details.AlarmName matches "slo-7c3f2e-availability-page-fast-5m" and event.custom_details.Trigger.Threshold matches "4.8"`,
		snapshot.PDRuleActions{RouteTo: "P7C3F2E", Severity: "critical"}))
	for _, t := range o.Tenants {
		id := "P" + strings.ToUpper(t.ID)
		switch t.ID {
		case "ab34cd":
			// no service
		case "4d5e6f":
			pd.Services = append(pd.Services, service(id, "checkout-"+t.ID, "high", "PEPSLOW"))
		default:
			pd.Services = append(pd.Services, service(id, "checkout-"+t.ID, "high", "PEP1"))
		}
		target := id
		switch t.ID {
		case "8a9b0c":
			continue
		case "5e6f70":
			target = "P1A2B3C"
		}
		rules = append(rules, mkRule("r"+t.ID, t.ID+" pages", `event.custom_details.AlarmName matches regex "^slo-`+t.ID+`-[a-z]+-page-"`,
			snapshot.PDRuleActions{RouteTo: target}))
	}
	rules = append(rules, mkRule("rtickets", "tickets", `event.custom_details.AlarmName matches part "-ticket"`, snapshot.PDRuleActions{RouteTo: "PTICKETS"}))
	pd.Services = append(pd.Services, service("PTICKETS", "checkout-tickets", "low", "PEP1"), service("PAB12CD", "checkout-ab12cd", "high", "PEP1"))
	router := &snapshot.PDOrchestrationPath{}
	router.Sets = append(router.Sets, struct {
		ID    string `json:"id"`
		Rules []rule `json:"rules"`
	}{"start", rules})
	router.CatchAll.Actions.RouteTo = "unrouted"
	orch := snapshot.PDOrchestration{ID: "PORCH1", Name: "checkout", Router: router}
	orch.Integrations = append(orch.Integrations, struct {
		ID         string `json:"id"`
		Parameters struct {
			RoutingKey string `json:"routing_key"`
		} `json:"parameters"`
	}{ID: "PINT1"})
	orch.Integrations[0].Parameters.RoutingKey = "R0CHECKOUT"
	pd.EventOrchestrations = []snapshot.PDOrchestration{orch}
	var subs []snapshot.SNSSubscription
	for _, topic := range []string{"pagerduty-gold", "pagerduty-silver", "pagerduty-bronze", "tickets"} {
		arn := fmt.Sprintf("arn:aws:sns:%s:%s:%s", o.Region, o.Account, topic)
		subs = append(subs, snapshot.SNSSubscription{SubscriptionArn: arn + ":7f3c", TopicArn: arn, Protocol: "https",
			Endpoint: "https://events.pagerduty.com/x-ere/R0CHECKOUT"})
	}
	return pd, subs
}

// PagerDutyFor is the demo's PagerDuty routing for any org: a service per
// tenant behind one event orchestration. The benchmark reads it back.
func PagerDutyFor(o *Org) *snapshot.PagerDutyState {
	pd, _ := demoPagerDuty(o)
	return pd
}

// Synthetic is the benchmark org: n tenants with two SLOs each, three tiers
// of two windows plus a composite per tier (18 alarms a tenant), and live
// thresholds drifted on 1 % of the alarms.
func Synthetic(n int) *Org {
	o := &Org{SLOs: []string{"availability", "latency"}, TierComposites: []string{"page-fast", "page-slow", "ticket"},
		Namespace: "Acme/Platform", Account: "210987654321", Region: "eu-west-1", Seed: 42,
		RandomThresholdDrift: 0.01, Drifted: map[string]float64{}}
	buckets := []string{"gold", "silver", "bronze"}
	for i := range n {
		id := fmt.Sprintf("%06x", (i*2654435761)&0xffffff)
		o.Tenants = append(o.Tenants, Tenant{ID: id, Bucket: buckets[i%3]})
		if i%50 == 0 {
			o.Drifted[AlarmName(id, "availability", "page-slow", "6h")] = 9.9
		}
	}
	return o
}

func omit(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

func setAttr(key string, value any) func(map[string]any) {
	return func(attrs map[string]any) { attrs[key] = value }
}

// tenantDimension sets the TenantId dimension of a window alarm's metrics.
func tenantDimension(value string) func(map[string]any) {
	return func(attrs map[string]any) {
		for _, q := range attrs["metric_query"].([]any) {
			for _, m := range q.(map[string]any)["metric"].([]any) {
				dims := maps.Clone(m.(map[string]any)["dimensions"].(map[string]any))
				dims["TenantId"] = value
				m.(map[string]any)["dimensions"] = dims
			}
		}
	}
}

// minuteDatapoints rewrites a window alarm as n one-minute datapoints.
func minuteDatapoints(n int) func(map[string]any) {
	return func(attrs map[string]any) {
		attrs["evaluation_periods"] = n
		for _, q := range attrs["metric_query"].([]any) {
			for _, m := range q.(map[string]any)["metric"].([]any) {
				m.(map[string]any)["period"] = 60
			}
		}
	}
}
