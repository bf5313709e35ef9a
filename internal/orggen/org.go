// Package orggen generates a synthetic multi-tenant organisation: the
// Terraform sources, the plan JSON `terraform show -json` would print for it,
// the config, and a live snapshot, with chosen anomalies. It feeds the demo
// fixture and the benchmark; it is not part of the driftgate binary.
package orggen

import (
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/driftgate/driftgate/live/snapshot"
)

// Tier is one multiwindow burn-rate tier (Google SRE workbook).
type Tier struct {
	Name   string  // page-fast, page-slow, ticket
	Long   string  // long window, e.g. 1h
	Short  string  // short window, 1/12 of the long one
	Factor float64 // burn factor b
	Page   bool    // routes to the paging topic
}

// Tiers are the workbook tiers for a 30-day period; the ticket tier uses 1d
// because CloudWatch caps period x evaluation periods at one day.
var Tiers = []Tier{
	{Name: "page-fast", Long: "1h", Short: "5m", Factor: 14.4, Page: true},
	{Name: "page-slow", Long: "6h", Short: "30m", Factor: 6, Page: true},
	{Name: "ticket", Long: "1d", Short: "2h", Factor: 3},
}

// Buckets map a tier bucket to its availability objective.
var Buckets = map[string]float64{
	"gold":   0.999,
	"silver": 1 - 1.0/300, // 99.667 %: page-fast pages at 4.8 %
	"bronze": 0.99,
}

// Tenant is one generated tenant.
type Tenant struct {
	ID     string
	Bucket string
}

// Org describes what to generate.
type Org struct {
	Tenants []Tenant
	SLOs    []string // SLO names per tenant, e.g. availability
	// TierComposites lists the tiers that get a composite alarm (long AND short).
	TierComposites []string
	Namespace      string
	Account        string
	Region         string

	// Anomalies, keyed by alarm name unless said otherwise.
	LiveThreshold map[string]float64 // live threshold differs from the declared one
	NotLive       map[string]bool    // declared and expected, but missing live
	Unmanaged     []string           // live alarms (window alarms) declared nowhere
	Creating      map[string]bool    // tenant IDs whose alarms the plan creates
	Updating      map[string]float64 // alarm name -> new threshold the plan sets (live keeps the old)
	// Renamed alarms get a new name in the plan (alarm_name forces a
	// replacement); live keeps the old one.
	Renamed map[string]string
	// Drifted alarms appear in resource_drift with the live value; the plan
	// reverts them. The value is the live (drifted) threshold.
	Drifted map[string]float64
	// NoiseDrift alarms appear in resource_drift with only known noise
	// (tags_all, datapoints_to_alarm filled in by the console).
	NoiseDrift map[string]bool
	// SecretDrift adds a sensitive SSM parameter that drifted.
	SecretDrift bool
	// Edit changes a declared alarm's attributes (declared and live alike).
	Edit map[string]func(attrs map[string]any)
	// Omit alarms are declared nowhere and not live.
	Omit map[string]bool
	// Objectives override a tenant's objective (thresholds follow it).
	Objectives map[string]float64
	// EventsPerMinute sets tenants' expected traffic in the config.
	EventsPerMinute map[string]float64
	// ExtraSLOs is YAML appended under the config's slos: list.
	ExtraSLOs string
	// CloudFormationTenants are declared in a CloudFormation template
	// (cloudformation/tenant-alarms.yaml) instead of the Terraform plan.
	CloudFormationTenants map[string]bool
	// PagerDuty and SNS are the live alert routing, when the scenario has it.
	PagerDuty *snapshot.PagerDutyState
	SNS       []snapshot.SNSSubscription
	// Stacks are CloudFormation stacks whose drift detection the live state records.
	Stacks []snapshot.Stack
	// Ignores is YAML for the config's ignore: section.
	Ignores string
	// RouteTests, when set, is written as routing-tests.yaml and named in
	// the config's inputs.route_tests (docs/routing-tests.md).
	RouteTests string
	// Evidence, when set, records metric data and alarm history in the
	// live snapshot.
	Evidence *Evidence
	// RandomThresholdDrift makes this fraction of live alarms' thresholds differ.
	RandomThresholdDrift float64
	Seed                 uint64
}

// Alarm is one generated alarm, in Terraform attribute names.
type Alarm struct {
	Tenant, SLO, Tier, Window string
	Resource                  string // resource name in the module
	Key                       string // for_each key (the SLO)
	Composite                 bool
	Attrs                     map[string]any
}

// Address is the alarm's Terraform instance address.
func (a *Alarm) Address() string {
	typ := "aws_cloudwatch_metric_alarm"
	if a.Composite {
		typ = "aws_cloudwatch_composite_alarm"
	}
	return fmt.Sprintf("module.tenant[%q].%s.%s[%q]", a.Tenant, typ, a.Resource, a.Key)
}

// Name is the alarm name.
func (a *Alarm) Name() string { return a.Attrs["alarm_name"].(string) }

var windowSeconds = map[string]int{"5m": 300, "30m": 1800, "1h": 3600, "2h": 7200, "6h": 21600, "1d": 86400}

// AlarmName follows the convention the generated config declares.
func AlarmName(tenant, slo, tier, window string) string {
	if window == "" {
		return fmt.Sprintf("slo-%s-%s-%s", tenant, slo, tier)
	}
	return fmt.Sprintf("slo-%s-%s-%s-%s", tenant, slo, tier, window)
}

// NamePattern is the alarm_name convention matching AlarmName.
const NamePattern = `^slo-(?P<tenant>[0-9a-f]{6})-(?P<slo>[a-z]+)-(?P<tier>page-fast|page-slow|ticket)(?:-(?P<window>[0-9]+[mhd]))?$`

func resourceName(tier, part string) string {
	return map[string]string{"page-fast": "page_fast", "page-slow": "page_slow", "ticket": "ticket"}[tier] + part
}

func (o *Org) topic(t Tier, bucket string) string {
	if t.Page {
		return fmt.Sprintf("arn:aws:sns:%s:%s:pagerduty-%s", o.Region, o.Account, bucket)
	}
	return fmt.Sprintf("arn:aws:sns:%s:%s:tickets", o.Region, o.Account)
}

// Alarms builds every declared alarm, sorted by name.
func (o *Org) Alarms() []*Alarm {
	var out []*Alarm
	for _, t := range o.Tenants {
		objective := Buckets[t.Bucket]
		if v, ok := o.Objectives[t.ID]; ok {
			objective = v
		}
		budget := 1 - objective
		for _, slo := range o.SLOs {
			for _, tier := range o.Tiers() {
				threshold := round(tier.Factor * budget * 100)
				for i, w := range []string{tier.Long, tier.Short} {
					part := "_long"
					if i == 1 {
						part = "_short"
					}
					out = append(out, &Alarm{Tenant: t.ID, SLO: slo, Tier: tier.Name, Window: w, Resource: resourceName(tier.Name, part), Key: slo,
						Attrs: o.metricAlarm(t, slo, tier, w, threshold)})
				}
				if o.hasComposite(tier.Name) {
					name := AlarmName(t.ID, slo, tier.Name, "")
					out = append(out, &Alarm{Tenant: t.ID, SLO: slo, Tier: tier.Name, Resource: resourceName(tier.Name, ""), Key: slo, Composite: true,
						Attrs: map[string]any{
							"alarm_name":        name,
							"alarm_rule":        fmt.Sprintf("ALARM(%q) AND ALARM(%q)", AlarmName(t.ID, slo, tier.Name, tier.Long), AlarmName(t.ID, slo, tier.Name, tier.Short)),
							"alarm_description": fmt.Sprintf("%s %s burn rate over %gx for tenant %s", slo, tier.Name, tier.Factor, t.ID),
							"actions_enabled":   true, "alarm_actions": []any{o.topic(tier, t.Bucket)}, "ok_actions": []any{o.topic(tier, t.Bucket)},
							"insufficient_data_actions": []any{}, "actions_suppressor": []any{},
							"tags": map[string]any{"Tenant": t.ID, "SLO": slo}, "tags_all": map[string]any{"Tenant": t.ID, "SLO": slo, "ManagedBy": "terraform"},
							"arn": fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", o.Region, o.Account, name), "id": name,
						}})
				}
			}
		}
	}
	kept := out[:0]
	for _, a := range out {
		if o.Omit[a.Name()] {
			continue
		}
		if edit := o.Edit[a.Name()]; edit != nil {
			edit(a.Attrs)
		}
		kept = append(kept, a)
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].Name() < kept[j].Name() })
	return kept
}

// Tiers returns the tiers generated for every SLO.
func (o *Org) Tiers() []Tier { return Tiers }

func (o *Org) hasComposite(tier string) bool {
	for _, t := range o.TierComposites {
		if t == tier {
			return true
		}
	}
	return false
}

func round(v float64) float64 { return float64(int64(v*10000+0.5)) / 10000 }

func (o *Org) metricAlarm(t Tenant, slo string, tier Tier, window string, threshold float64) map[string]any {
	name := AlarmName(t.ID, slo, tier.Name, window)
	period := windowSeconds[window]
	metric := func(id, metricName string) map[string]any {
		return map[string]any{"id": id, "expression": "", "label": "", "return_data": false, "period": 0, "account_id": "",
			"metric": []any{map[string]any{"metric_name": metricName, "namespace": o.Namespace, "period": period, "stat": "Sum", "unit": "",
				"dimensions": map[string]any{"TenantId": t.ID, "SLO": slo}}}}
	}
	return map[string]any{
		"alarm_name": name, "alarm_description": fmt.Sprintf("%s error ratio over %s, %s tier", slo, window, tier.Name),
		"comparison_operator": "GreaterThanThreshold", "evaluation_periods": 1, "datapoints_to_alarm": 0,
		"threshold": threshold, "threshold_metric_id": "", "treat_missing_data": "notBreaching",
		"metric_name": "", "namespace": "", "period": 0, "statistic": "", "extended_statistic": "", "unit": "", "dimensions": map[string]any{},
		"actions_enabled": true, "alarm_actions": []any{}, "ok_actions": []any{}, "insufficient_data_actions": []any{},
		"evaluate_low_sample_count_percentiles": "",
		"metric_query": []any{
			metric("errors", "Errors"), metric("requests", "Requests"),
			map[string]any{"id": "error_rate", "expression": "100 * errors / requests", "label": "error rate (%)", "return_data": true, "period": 0, "account_id": "", "metric": []any{}},
		},
		"tags": map[string]any{"Tenant": t.ID, "SLO": slo, "Tier": tier.Name}, "tags_all": map[string]any{"Tenant": t.ID, "SLO": slo, "Tier": tier.Name, "ManagedBy": "terraform"},
		"arn": fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", o.Region, o.Account, name), "id": name,
	}
}

// rng is the org's deterministic random source.
func (o *Org) rng() *rand.Rand { return rand.New(rand.NewPCG(o.Seed, o.Seed^0x5eed)) }
