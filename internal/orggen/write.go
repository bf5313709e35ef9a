package orggen

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/driftgate/driftgate/live/snapshot"
)

const provider = "registry.terraform.io/hashicorp/aws"

// Secret values of the drifted SSM parameter; tests assert they never appear
// in any report.
const (
	SecretBefore = "pdkey-BEFORE-0b1c2d3e4f"
	SecretAfter  = "pdkey-AFTER-9z8y7x6w5v"
)

// Files are the generated inputs, as file contents by relative path.
type Files map[string][]byte

// Write writes the files under dir.
func (f Files) Write(dir string) error {
	for name, data := range f {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

type change struct {
	Actions         []string `json:"actions"`
	Before          any      `json:"before"`
	After           any      `json:"after"`
	AfterUnknown    any      `json:"after_unknown"`
	BeforeSensitive any      `json:"before_sensitive"`
	AfterSensitive  any      `json:"after_sensitive"`
}

type resourceChange struct {
	Address       string `json:"address"`
	ModuleAddress string `json:"module_address,omitempty"`
	Mode          string `json:"mode"`
	Type          string `json:"type"`
	Name          string `json:"name"`
	Index         any    `json:"index,omitempty"`
	ProviderName  string `json:"provider_name"`
	Change        change `json:"change"`
}

type stateResource struct {
	Address         string `json:"address"`
	Mode            string `json:"mode"`
	Type            string `json:"type"`
	Name            string `json:"name"`
	Index           any    `json:"index,omitempty"`
	ProviderName    string `json:"provider_name"`
	SchemaVersion   int    `json:"schema_version"`
	Values          any    `json:"values"`
	SensitiveValues any    `json:"sensitive_values"`
}

type stateModule struct {
	Address      string          `json:"address,omitempty"`
	Resources    []stateResource `json:"resources,omitempty"`
	ChildModules []*stateModule  `json:"child_modules,omitempty"`
}

type relevantAttribute struct {
	Resource  string `json:"resource"`
	Attribute []any  `json:"attribute"`
}

type plan struct {
	FormatVersion      string              `json:"format_version"`
	TerraformVersion   string              `json:"terraform_version"`
	PlannedValues      map[string]any      `json:"planned_values"`
	ResourceDrift      []resourceChange    `json:"resource_drift,omitempty"`
	ResourceChanges    []resourceChange    `json:"resource_changes"`
	PriorState         map[string]any      `json:"prior_state"`
	Configuration      map[string]any      `json:"configuration"`
	RelevantAttributes []relevantAttribute `json:"relevant_attributes,omitempty"`
	Timestamp          string              `json:"timestamp"`
	Applyable          bool                `json:"applyable"`
	Complete           bool                `json:"complete"`
	Errored            bool                `json:"errored"`
}

func withThreshold(attrs map[string]any, v float64) map[string]any {
	c := maps.Clone(attrs)
	c["threshold"] = v
	return c
}

func typeOf(a *Alarm) string {
	if a.Composite {
		return "aws_cloudwatch_composite_alarm"
	}
	return "aws_cloudwatch_metric_alarm"
}

// Generate builds every file of the org.
func (o *Org) Generate() (Files, error) {
	alarms := o.Alarms()
	p := plan{FormatVersion: "1.2", TerraformVersion: "1.9.8", Timestamp: "2026-11-23T12:00:00Z", Applyable: true, Complete: true}
	planned := map[string]*stateModule{}
	prior := map[string]*stateModule{}
	module := func(m map[string]*stateModule, tenant string) *stateModule {
		addr := fmt.Sprintf("module.tenant[%q]", tenant)
		if m[addr] == nil {
			m[addr] = &stateModule{Address: addr}
		}
		return m[addr]
	}
	live := o.liveRegion()
	rng := o.rng()
	var templated []*Alarm
	for _, a := range alarms {
		if o.CloudFormationTenants[a.Tenant] {
			templated = append(templated, a)
			addLive(live, a, a.Attrs, o.LiveThreshold, rng, o.RandomThresholdDrift)
			continue
		}
		typ := typeOf(a)
		rc := resourceChange{Address: a.Address(), ModuleAddress: fmt.Sprintf("module.tenant[%q]", a.Tenant), Mode: "managed",
			Type: typ, Name: a.Resource, Index: a.Key, ProviderName: provider}
		after, before := a.Attrs, a.Attrs
		liveAttrs := a.Attrs
		switch {
		case o.Creating[a.Tenant]:
			after = maps.Clone(a.Attrs)
			delete(after, "arn")
			delete(after, "id")
			rc.Change = change{Actions: []string{"create"}, Before: nil, After: after,
				AfterUnknown: map[string]any{"arn": true, "id": true}, BeforeSensitive: false, AfterSensitive: map[string]any{}}
			liveAttrs = nil
		case o.Renamed[a.Name()] != "":
			after = maps.Clone(a.Attrs)
			after["alarm_name"] = o.Renamed[a.Name()]
			delete(after, "arn")
			delete(after, "id")
			rc.Change = change{Actions: []string{"delete", "create"}, Before: before, After: after,
				AfterUnknown: map[string]any{"arn": true, "id": true}, BeforeSensitive: map[string]any{}, AfterSensitive: map[string]any{}}
		case o.Updating[a.Name()] != 0:
			after = withThreshold(a.Attrs, o.Updating[a.Name()])
			rc.Change = change{Actions: []string{"update"}, Before: before, After: after, AfterUnknown: map[string]any{}, BeforeSensitive: map[string]any{}, AfterSensitive: map[string]any{}}
		case o.Drifted[a.Name()] != 0:
			refreshed := withThreshold(a.Attrs, o.Drifted[a.Name()])
			p.ResourceDrift = append(p.ResourceDrift, resourceChange{Address: rc.Address, ModuleAddress: rc.ModuleAddress, Mode: "managed",
				Type: typ, Name: a.Resource, Index: a.Key, ProviderName: provider,
				Change: change{Actions: []string{"update"}, Before: a.Attrs, After: refreshed, AfterUnknown: map[string]any{}, BeforeSensitive: map[string]any{}, AfterSensitive: map[string]any{}}})
			p.RelevantAttributes = append(p.RelevantAttributes, relevantAttribute{Resource: rc.Address, Attribute: []any{"threshold"}})
			before, liveAttrs = refreshed, refreshed
			rc.Change = change{Actions: []string{"update"}, Before: refreshed, After: after, AfterUnknown: map[string]any{}, BeforeSensitive: map[string]any{}, AfterSensitive: map[string]any{}}
		case o.NoiseDrift[a.Name()]:
			refreshed := maps.Clone(a.Attrs)
			refreshed["datapoints_to_alarm"] = refreshed["evaluation_periods"]
			tagsAll := maps.Clone(refreshed["tags_all"].(map[string]any))
			tagsAll["CostCenter"] = "sre"
			refreshed["tags_all"] = tagsAll
			p.ResourceDrift = append(p.ResourceDrift, resourceChange{Address: rc.Address, ModuleAddress: rc.ModuleAddress, Mode: "managed",
				Type: typ, Name: a.Resource, Index: a.Key, ProviderName: provider,
				Change: change{Actions: []string{"update"}, Before: a.Attrs, After: refreshed, AfterUnknown: map[string]any{}, BeforeSensitive: map[string]any{}, AfterSensitive: map[string]any{}}})
			after, before, liveAttrs = refreshed, refreshed, refreshed
			rc.Change = change{Actions: []string{"no-op"}, Before: before, After: after, AfterUnknown: map[string]any{}, BeforeSensitive: map[string]any{}, AfterSensitive: map[string]any{}}
		default:
			rc.Change = change{Actions: []string{"no-op"}, Before: before, After: after, AfterUnknown: map[string]any{}, BeforeSensitive: map[string]any{}, AfterSensitive: map[string]any{}}
		}
		p.ResourceChanges = append(p.ResourceChanges, rc)
		module(planned, a.Tenant).Resources = append(module(planned, a.Tenant).Resources, stateResource{Address: rc.Address, Mode: "managed", Type: typ,
			Name: a.Resource, Index: a.Key, ProviderName: provider, Values: after, SensitiveValues: map[string]any{}})
		if rc.Change.Before != nil {
			module(prior, a.Tenant).Resources = append(module(prior, a.Tenant).Resources, stateResource{Address: rc.Address, Mode: "managed", Type: typ,
				Name: a.Resource, Index: a.Key, ProviderName: provider, Values: rc.Change.Before, SensitiveValues: map[string]any{}})
		}
		if liveAttrs != nil && !o.NotLive[a.Name()] {
			addLive(live, a, liveAttrs, o.LiveThreshold, rng, o.RandomThresholdDrift)
		}
	}
	for _, name := range o.Unmanaged {
		attrs := o.metricAlarm(Tenant{ID: name[4:10], Bucket: "gold"}, "latency", Tiers[0], "5m", 1.44)
		attrs["alarm_name"] = name
		attrs["arn"] = fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", o.Region, o.Account, name)
		addLive(live, &Alarm{Attrs: attrs}, attrs, nil, nil, 0)
	}
	rootResources := []stateResource{}
	if o.SecretDrift {
		o.addSecretDrift(&p, &rootResources)
	}
	o.addDeclaredRouting(&p)
	p.PlannedValues = map[string]any{"root_module": rootModule(planned, rootResources)}
	p.PriorState = map[string]any{"format_version": "1.0", "terraform_version": p.TerraformVersion,
		"values": map[string]any{"root_module": rootModule(prior, rootResources)}}
	p.Configuration = o.configuration()
	planJSON, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	sort.Slice(live.MetricAlarms, func(i, j int) bool { return live.MetricAlarms[i].AlarmName < live.MetricAlarms[j].AlarmName })
	sort.Slice(live.CompositeAlarms, func(i, j int) bool {
		return live.CompositeAlarms[i].AlarmName < live.CompositeAlarms[j].AlarmName
	})
	captured := time.Date(2026, 11, 23, 12, 5, 0, 0, time.UTC)
	var evidence []snapshot.EvidenceRegion
	if o.Evidence != nil {
		evidence = append(evidence, o.evidence(live, captured.Truncate(time.Hour)))
	}
	snap := snapshot.Snapshot{Version: snapshot.FormatVersion, Generator: "driftgate orggen", CapturedAt: &captured,
		CloudWatch: []snapshot.CloudWatchRegion{*live}, Evidence: evidence}
	if len(o.Stacks) > 0 {
		snap.CloudFormation = []snapshot.CloudFormationRegion{{Account: o.Account, Region: o.Region, Complete: true, Stacks: o.Stacks}}
	}
	if o.PagerDuty != nil {
		snap.PagerDuty = o.PagerDuty
		snap.SNS = []snapshot.SNSRegion{{Account: o.Account, Region: o.Region, Complete: true, Subscriptions: o.SNS}}
	}
	snapJSON, err := json.MarshalIndent(snap, "", "  ")
	if err != nil {
		return nil, err
	}
	files := Files{
		"plan.json":                            planJSON,
		"live.json":                            append(snapJSON, '\n'),
		".driftgate.yml":                       []byte(o.config()),
		"terraform/main.tf":                    []byte(o.rootTF()),
		"terraform/modules/tenant-slo/main.tf": []byte(moduleTF(o)),
	}
	if o.PagerDuty != nil {
		files["terraform/pagerduty.tf"] = []byte(o.routingTF())
	}
	if o.RouteTests != "" {
		files["routing-tests.yaml"] = []byte(o.RouteTests)
	}
	for _, st := range o.Stacks {
		files["cloudformation/"+st.StackName+".yaml"] = []byte(stackTemplate(o, st))
	}
	if len(templated) > 0 {
		files["cloudformation/tenant-alarms.yaml"] = []byte(tenantTemplate(o, templated))
	}
	return files, nil
}

// logicalID makes a CloudFormation logical ID (alphanumeric) for an alarm.
func logicalID(a *Alarm) string {
	id := "T" + a.Tenant
	for _, part := range strings.FieldsFunc(a.SLO+"-"+a.Tier+"-"+a.Window, func(r rune) bool { return r == '-' }) {
		id += strings.ToUpper(part[:1]) + part[1:]
	}
	return id
}

// tenantTemplate declares the alarms of some tenants the way a team that
// uses CloudFormation would: names with !Sub, thresholds as strings, the
// paging topics as parameters, composites over !Ref of their windows.
func tenantTemplate(o *Org, alarms []*Alarm) string {
	var b strings.Builder
	fmt.Fprintf(&b, "AWSTemplateFormatVersion: '2010-09-09'\nDescription: SLO alarms of the tenants managed with CloudFormation (generated by internal/orggen).\n\n")
	fmt.Fprintf(&b, "Parameters:\n  Namespace:\n    Type: String\n    Default: %s\n", o.Namespace)
	topics := map[string]bool{}
	for _, a := range alarms {
		for _, t := range strs(a.Attrs["alarm_actions"]) {
			topics[t] = true
		}
	}
	for _, t := range slices.Sorted(maps.Keys(topics)) {
		fmt.Fprintf(&b, "  %sTopic:\n    Type: String\n    Default: %s\n", topicParam(t), t)
	}
	b.WriteString("\nResources:\n")
	ids := map[string]string{}
	for _, a := range alarms {
		ids[a.Name()] = logicalID(a)
	}
	for _, a := range alarms {
		fmt.Fprintf(&b, "  %s:\n", ids[a.Name()])
		if a.Composite {
			b.WriteString("    Type: AWS::CloudWatch::CompositeAlarm\n    Properties:\n")
			fmt.Fprintf(&b, "      AlarmName: %s\n", a.Name())
			rule := a.Attrs["alarm_rule"].(string)
			for name, id := range ids {
				rule = strings.ReplaceAll(rule, fmt.Sprintf("%q", name), `"${`+id+`}"`)
			}
			fmt.Fprintf(&b, "      AlarmRule: !Sub '%s'\n", rule)
			for _, key := range []string{"alarm_actions", "ok_actions"} {
				if acts := strs(a.Attrs[key]); len(acts) > 0 {
					fmt.Fprintf(&b, "      %s:\n", map[string]string{"alarm_actions": "AlarmActions", "ok_actions": "OKActions"}[key])
					for _, t := range acts {
						fmt.Fprintf(&b, "        - !Ref %sTopic\n", topicParam(t))
					}
				}
			}
			b.WriteString("\n")
			continue
		}
		b.WriteString("    Type: AWS::CloudWatch::Alarm\n    Properties:\n")
		fmt.Fprintf(&b, "      AlarmName: !Sub 'slo-%s-%s-%s-%s'\n", a.Tenant, a.SLO, a.Tier, a.Window)
		fmt.Fprintf(&b, "      ComparisonOperator: %s\n      EvaluationPeriods: %d\n      Threshold: '%v'\n      TreatMissingData: %s\n",
			a.Attrs["comparison_operator"], a.Attrs["evaluation_periods"], a.Attrs["threshold"], a.Attrs["treat_missing_data"])
		b.WriteString("      Metrics:\n")
		for _, q := range a.Attrs["metric_query"].([]any) {
			q := q.(map[string]any)
			fmt.Fprintf(&b, "        - Id: %s\n", q["id"])
			if e := q["expression"].(string); e != "" {
				fmt.Fprintf(&b, "          Expression: %s\n          Label: %q\n          ReturnData: true\n", e, q["label"])
				continue
			}
			m := q["metric"].([]any)[0].(map[string]any)
			dims := m["dimensions"].(map[string]any)
			fmt.Fprintf(&b, "          ReturnData: false\n          MetricStat:\n            Metric:\n              Namespace: !Ref Namespace\n              MetricName: %s\n              Dimensions:\n", m["metric_name"])
			for _, k := range slices.Sorted(maps.Keys(dims)) {
				fmt.Fprintf(&b, "                - {Name: %s, Value: %s}\n", k, dims[k])
			}
			fmt.Fprintf(&b, "            Period: %d\n            Stat: %s\n", m["period"], m["stat"])
		}
		b.WriteString("\n")
	}
	return b.String()
}

// topicParam names the parameter of a topic ARN: PagerdutyGold for ...:pagerduty-gold.
func topicParam(arn string) string {
	name := arn[strings.LastIndex(arn, ":")+1:]
	var out string
	for _, part := range strings.Split(name, "-") {
		out += strings.ToUpper(part[:1]) + part[1:]
	}
	return out
}

// stackTemplate writes a template declaring the stack's drifted resources.
func stackTemplate(o *Org, st snapshot.Stack) string {
	var b strings.Builder
	fmt.Fprintf(&b, "AWSTemplateFormatVersion: '2010-09-09'\nDescription: Shared alerting for %s (generated by internal/orggen).\n\n", o.Namespace)
	b.WriteString("Parameters:\n  PagerDutyIntegrationUrl:\n    Type: String\n    NoEcho: true\n\nResources:\n")
	for _, d := range st.StackResourceDrifts {
		switch d.ResourceType {
		case "AWS::SNS::Topic":
			fmt.Fprintf(&b, "  %s:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: pagerduty-gold\n      DisplayName: Page gold tenants\n\n", d.LogicalResourceId)
		case "AWS::SNS::Subscription":
			fmt.Fprintf(&b, "  %s:\n    Type: AWS::SNS::Subscription\n    Properties:\n      TopicArn: !Ref PageTopicGold\n      Protocol: https\n      Endpoint: !Ref PagerDutyIntegrationUrl\n\n", d.LogicalResourceId)
		}
	}
	return b.String()
}

func rootModule(children map[string]*stateModule, resources []stateResource) *stateModule {
	root := &stateModule{Resources: resources}
	keys := make([]string, 0, len(children))
	for k := range children {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		root.ChildModules = append(root.ChildModules, children[k])
	}
	return root
}

func (o *Org) liveRegion() *snapshot.CloudWatchRegion {
	return &snapshot.CloudWatchRegion{Account: o.Account, Region: o.Region, Complete: true,
		MetricAlarms: []snapshot.MetricAlarm{}, CompositeAlarms: []snapshot.CompositeAlarm{}}
}

func strs(v any) []string {
	out := []string{}
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

func addLive(r *snapshot.CloudWatchRegion, a *Alarm, attrs map[string]any, override map[string]float64, rng interface{ Float64() float64 }, randomDrift float64) {
	enabled := attrs["actions_enabled"].(bool)
	name := attrs["alarm_name"].(string)
	if a.Composite {
		r.CompositeAlarms = append(r.CompositeAlarms, snapshot.CompositeAlarm{AlarmName: name, AlarmArn: attrs["arn"].(string),
			AlarmDescription: attrs["alarm_description"].(string), AlarmRule: attrs["alarm_rule"].(string), ActionsEnabled: &enabled,
			AlarmActions: strs(attrs["alarm_actions"]), OKActions: strs(attrs["ok_actions"]), StateValue: "OK"})
		return
	}
	threshold := attrs["threshold"].(float64)
	if v, ok := override[name]; ok {
		threshold = v
	} else if rng != nil && randomDrift > 0 && rng.Float64() < randomDrift {
		threshold = round(threshold * 1.1)
	}
	m := snapshot.MetricAlarm{AlarmName: name, AlarmArn: attrs["arn"].(string), AlarmDescription: attrs["alarm_description"].(string),
		ActionsEnabled: &enabled, Threshold: &threshold, ComparisonOperator: attrs["comparison_operator"].(string),
		EvaluationPeriods: attrs["evaluation_periods"].(int), TreatMissingData: attrs["treat_missing_data"].(string),
		AlarmActions: strs(attrs["alarm_actions"]), OKActions: strs(attrs["ok_actions"]), StateValue: "OK"}
	if d, ok := attrs["datapoints_to_alarm"].(int); ok && d > 0 {
		m.DatapointsToAlarm = d
	}
	for _, q := range attrs["metric_query"].([]any) {
		q := q.(map[string]any)
		ret := q["return_data"].(bool)
		dq := snapshot.MetricDataQuery{Id: q["id"].(string), Expression: q["expression"].(string), Label: q["label"].(string), ReturnData: &ret}
		if ms := q["metric"].([]any); len(ms) > 0 {
			st := ms[0].(map[string]any)
			var dims []snapshot.Dimension
			dm := st["dimensions"].(map[string]any)
			for _, k := range slices.Sorted(maps.Keys(dm)) {
				dims = append(dims, snapshot.Dimension{Name: k, Value: dm[k].(string)})
			}
			dq.MetricStat = &snapshot.MetricStat{Metric: snapshot.Metric{Namespace: st["namespace"].(string), MetricName: st["metric_name"].(string), Dimensions: dims},
				Period: st["period"].(int), Stat: st["stat"].(string)}
		}
		m.Metrics = append(m.Metrics, dq)
	}
	r.MetricAlarms = append(r.MetricAlarms, m)
}

func (o *Org) addSecretDrift(p *plan, root *[]stateResource) {
	addr := "aws_ssm_parameter.pagerduty_integration_key"
	base := map[string]any{"name": "/alerting/pagerduty/integration-key", "type": "SecureString", "value": SecretBefore,
		"description": "PagerDuty Events API v2 integration key", "tier": "Standard", "arn": "arn:aws:ssm:" + o.Region + ":" + o.Account + ":parameter/alerting/pagerduty/integration-key"}
	refreshed := maps.Clone(base)
	refreshed["value"] = SecretAfter
	refreshed["description"] = "rotated by hand"
	sens := map[string]any{"value": true}
	p.ResourceDrift = append(p.ResourceDrift, resourceChange{Address: addr, Mode: "managed", Type: "aws_ssm_parameter", Name: "pagerduty_integration_key", ProviderName: provider,
		Change: change{Actions: []string{"update"}, Before: base, After: refreshed, AfterUnknown: map[string]any{}, BeforeSensitive: sens, AfterSensitive: sens}})
	p.ResourceChanges = append(p.ResourceChanges, resourceChange{Address: addr, Mode: "managed", Type: "aws_ssm_parameter", Name: "pagerduty_integration_key", ProviderName: provider,
		Change: change{Actions: []string{"update"}, Before: refreshed, After: base, AfterUnknown: map[string]any{}, BeforeSensitive: sens, AfterSensitive: sens}})
	*root = append(*root, stateResource{Address: addr, Mode: "managed", Type: "aws_ssm_parameter", Name: "pagerduty_integration_key",
		ProviderName: provider, Values: base, SensitiveValues: sens})
}

func (o *Org) configuration() map[string]any {
	var resources []any
	for _, tier := range o.Tiers() {
		for _, part := range []string{"_long", "_short"} {
			resources = append(resources, map[string]any{"address": "aws_cloudwatch_metric_alarm." + resourceName(tier.Name, part), "mode": "managed",
				"type": "aws_cloudwatch_metric_alarm", "name": resourceName(tier.Name, part), "provider_config_key": "aws", "schema_version": 1,
				"for_each_expression": map[string]any{"references": []any{"var.slos"}}})
		}
		if o.hasComposite(tier.Name) {
			resources = append(resources, map[string]any{"address": "aws_cloudwatch_composite_alarm." + resourceName(tier.Name, ""), "mode": "managed",
				"type": "aws_cloudwatch_composite_alarm", "name": resourceName(tier.Name, ""), "provider_config_key": "aws", "schema_version": 0,
				"for_each_expression": map[string]any{"references": []any{"var.slos"}}})
		}
	}
	return map[string]any{
		"provider_config": map[string]any{"aws": map[string]any{"name": "aws", "full_name": provider}},
		"root_module": map[string]any{
			"module_calls": map[string]any{"tenant": map[string]any{"source": "./modules/tenant-slo",
				"for_each_expression": map[string]any{"references": []any{"var.tenants"}},
				"module":              map[string]any{"resources": resources}}},
		},
	}
}

func (o *Org) rootTF() string {
	var b strings.Builder
	b.WriteString("# Generated by internal/orggen: a multi-tenant SLO alerting stack.\n\n")
	b.WriteString("variable \"tenants\" {\n  description = \"Tenant ID to tier bucket.\"\n  type        = map(string)\n}\n\n")
	b.WriteString("variable \"objectives\" {\n  description = \"Availability objective per tier bucket.\"\n  type        = map(number)\n}\n\n")
	fmt.Fprintf(&b, "module \"tenant\" {\n  for_each = var.tenants\n  source   = \"./modules/tenant-slo\"\n\n  tenant_id    = each.key\n  objective    = var.objectives[each.value]\n  namespace    = %q\n  page_topic   = \"arn:aws:sns:%s:%s:pagerduty-${each.value}\"\n  ticket_topic = \"arn:aws:sns:%s:%s:tickets\"\n  slos         = toset(%s)\n}\n",
		o.Namespace, o.Region, o.Account, o.Region, o.Account, hclList(o.SLOs))
	if o.SecretDrift {
		b.WriteString("\nresource \"aws_ssm_parameter\" \"pagerduty_integration_key\" {\n  name        = \"/alerting/pagerduty/integration-key\"\n  type        = \"SecureString\"\n  value       = var.pagerduty_integration_key\n  description = \"PagerDuty Events API v2 integration key\"\n}\n")
		b.WriteString("\nvariable \"pagerduty_integration_key\" {\n  type      = string\n  sensitive = true\n}\n")
	}
	return b.String()
}

func hclList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func moduleTF(o *Org) string {
	var b strings.Builder
	b.WriteString("# One SLO's multiwindow, multi-burn-rate alarms for one tenant (Google SRE workbook).\n\n")
	for _, v := range []string{"tenant_id", "namespace", "page_topic", "ticket_topic"} {
		fmt.Fprintf(&b, "variable %q {\n  type = string\n}\n\n", v)
	}
	b.WriteString("variable \"objective\" {\n  type = number\n}\n\nvariable \"slos\" {\n  type = set(string)\n}\n\nlocals {\n  budget_percent = (1 - var.objective) * 100\n}\n")
	for _, tier := range o.Tiers() {
		topic := "var.ticket_topic"
		if tier.Page {
			topic = "var.page_topic"
		}
		for i, w := range []string{tier.Long, tier.Short} {
			part := "_long"
			if i == 1 {
				part = "_short"
			}
			fmt.Fprintf(&b, `
resource "aws_cloudwatch_metric_alarm" %q {
  for_each            = var.slos
  alarm_name          = "slo-${var.tenant_id}-${each.key}-%s-%s"
  alarm_description   = "${each.key} error ratio over %s, %s tier"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = %g * local.budget_percent
  treat_missing_data  = "notBreaching"

  metric_query {
    id = "errors"
    metric {
      namespace   = var.namespace
      metric_name = "Errors"
      period      = %d
      stat        = "Sum"
      dimensions  = { TenantId = var.tenant_id, SLO = each.key }
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = var.namespace
      metric_name = "Requests"
      period      = %d
      stat        = "Sum"
      dimensions  = { TenantId = var.tenant_id, SLO = each.key }
    }
  }

  metric_query {
    id          = "error_rate"
    expression  = "100 * errors / requests"
    label       = "error rate (%%)"
    return_data = true
  }

  tags = { Tenant = var.tenant_id, SLO = each.key, Tier = %q }
}
`, resourceName(tier.Name, part), tier.Name, w, w, tier.Name, tier.Factor, windowSeconds[w], windowSeconds[w], tier.Name)
		}
		if o.hasComposite(tier.Name) {
			fmt.Fprintf(&b, `
resource "aws_cloudwatch_composite_alarm" %q {
  for_each          = var.slos
  alarm_name        = "slo-${var.tenant_id}-${each.key}-%s"
  alarm_description = "${each.key} %s burn rate over %gx for tenant ${var.tenant_id}"
  alarm_rule        = "ALARM(\"${aws_cloudwatch_metric_alarm.%s[each.key].alarm_name}\") AND ALARM(\"${aws_cloudwatch_metric_alarm.%s[each.key].alarm_name}\")"
  alarm_actions     = [%s]
  ok_actions        = [%s]

  tags = { Tenant = var.tenant_id, SLO = each.key }
}
`, resourceName(tier.Name, ""), tier.Name, tier.Name, tier.Factor, resourceName(tier.Name, "_long"), resourceName(tier.Name, "_short"), topic, topic)
		}
	}
	return b.String()
}

func (o *Org) config() string {
	var b strings.Builder
	b.WriteString("# driftgate configuration for the generated organisation (see docs/config.md).\nversion: 1\n\ntenants:\n")
	for _, t := range o.Tenants {
		fmt.Fprintf(&b, "  - id: %q\n    bucket: %s\n", t.ID, t.Bucket)
		if epm := o.EventsPerMinute[t.ID]; epm > 0 {
			fmt.Fprintf(&b, "    events_per_minute: %g\n", epm)
		}
	}
	fmt.Fprintf(&b, `
conventions:
  tenant_dimension: TenantId
  alarm_name: '%s'
  threshold_unit: percent
%s
managed:
  namespaces: [%s]
  name_prefixes: [slo-]
%s
inputs:
  plans: [plan.json]
  terraform_dir: terraform
  live: live.json
%s
checks:
  fail_on: error
  drift_tolerance_percent: 1
  locked: [page-routing, tenant-route]
%s`, NamePattern, o.pdConvention(), o.Namespace, o.awsConfig(), o.cfnInputs(), o.Ignores)
	b.WriteString(o.sloConfig())
	return b.String()
}

// sloConfig declares the org's SLO natively: the workbook's page tiers and a
// one-day ticket tier (CloudWatch cannot evaluate longer windows), with the
// bucket and tenant objectives the thresholds were generated from.
func (o *Org) sloConfig() string {
	var b strings.Builder
	b.WriteString("\nslos:\n")
	for _, name := range o.SLOs {
		fmt.Fprintf(&b, "  - name: %s\n    service: checkout\n    objective_percent: %s\n    period: 30d\n    tiers:\n", name, percentOf(Buckets["gold"]))
		for _, t := range Tiers {
			severity := "ticket"
			if t.Page {
				severity = "page"
			}
			fmt.Fprintf(&b, "      - {name: %s, severity: %s, budget_percent: %g, long: %s, short: %s}\n",
				t.Name, severity, round(t.Factor*float64(windowSeconds[t.Long])/(30*86400)*100), t.Long, t.Short)
		}
		b.WriteString("    overrides:\n")
		for _, bucket := range []string{"silver", "bronze"} {
			fmt.Fprintf(&b, "      - {bucket: %s, objective_percent: %s}\n", bucket, percentOf(Buckets[bucket]))
		}
		for _, id := range slices.Sorted(maps.Keys(o.Objectives)) {
			fmt.Fprintf(&b, "      - {tenant: %q, objective_percent: %s}\n", id, percentOf(o.Objectives[id]))
		}
	}
	b.WriteString(o.ExtraSLOs)
	return b.String()
}

// percentOf prints an objective as a percentage with six decimals at most,
// enough that thresholds derived from it match the generated ones.
func percentOf(objective float64) string {
	return strconv.FormatFloat(math.Round(objective*1e8)/1e6, 'f', -1, 64)
}

// awsConfig names the stacks whose drift `--live aws` detects.
func (o *Org) awsConfig() string {
	if len(o.Stacks) == 0 {
		return ""
	}
	var names []string
	for _, s := range o.Stacks {
		names = append(names, s.StackName)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\naws:\n  regions: [%s]\n  stacks: [%s]\n  templates:\n", o.Region, strings.Join(names, ", "))
	for _, n := range names {
		fmt.Fprintf(&b, "    %s: cloudformation/%s.yaml\n", n, n)
	}
	return b.String()
}

func (o *Org) cfnInputs() string {
	var s string
	if len(o.CloudFormationTenants) > 0 {
		s += "  cloudformation: [cloudformation/tenant-alarms.yaml]\n"
	}
	if o.RouteTests != "" {
		s += "  route_tests: [routing-tests.yaml]\n"
	}
	return s
}

func (o *Org) pdConvention() string {
	if o.PagerDuty == nil {
		return ""
	}
	return "  pagerduty_service: '^checkout-(?P<tenant>[0-9a-f]{6})$'\n"
}

// declaredPolicies are the escalation policies the demo's Terraform declares,
// by PagerDuty ID: the slow one is declared shorter than PagerDuty has it.
var declaredPolicies = []struct {
	resource, id, name string
	delays             []int
}{
	{"checkout", "PEP1", "checkout on-call", []int{15, 15}},
	{"checkout_slow", "PEPSLOW", "checkout slow", []int{15, 15}},
}

// addDeclaredRouting puts the PagerDuty escalation policies and the SNS
// subscriptions to PagerDuty in the plan, unchanged by it.
func (o *Org) addDeclaredRouting(p *plan) {
	if o.PagerDuty == nil {
		return
	}
	noop := func(addr, typ, name string, index any, attrs map[string]any) {
		p.ResourceChanges = append(p.ResourceChanges, resourceChange{Address: addr, Mode: "managed", Type: typ, Name: name, Index: index,
			ProviderName: "registry.terraform.io/pagerduty/pagerduty",
			Change:       change{Actions: []string{"no-op"}, Before: attrs, After: attrs, AfterUnknown: map[string]any{}, BeforeSensitive: map[string]any{}, AfterSensitive: map[string]any{}}})
	}
	for _, ep := range declaredPolicies {
		var rules []any
		for _, d := range ep.delays {
			rules = append(rules, map[string]any{"escalation_delay_in_minutes": d, "target": []any{map[string]any{"id": "PSCHED" + ep.id, "type": "schedule_reference"}}})
		}
		noop("pagerduty_escalation_policy."+ep.resource, "pagerduty_escalation_policy", ep.resource, nil,
			map[string]any{"id": ep.id, "name": ep.name, "num_loops": 0, "rule": rules})
	}
	for _, s := range o.SNS {
		topic := s.TopicArn[strings.LastIndex(s.TopicArn, ":")+1:]
		noop(fmt.Sprintf("aws_sns_topic_subscription.pagerduty[%q]", topic), "aws_sns_topic_subscription", "pagerduty", topic,
			map[string]any{"topic_arn": s.TopicArn, "protocol": s.Protocol, "endpoint": s.Endpoint, "arn": s.SubscriptionArn})
	}
}

func (o *Org) routingTF() string {
	var b strings.Builder
	b.WriteString("# PagerDuty escalation and the SNS subscriptions that carry pages there.\n")
	for _, ep := range declaredPolicies {
		fmt.Fprintf(&b, "\nresource \"pagerduty_escalation_policy\" %q {\n  name = %q\n", ep.resource, ep.name)
		for _, d := range ep.delays {
			fmt.Fprintf(&b, "\n  rule {\n    escalation_delay_in_minutes = %d\n    target {\n      type = \"schedule_reference\"\n      id   = \"PSCHED%s\"\n    }\n  }\n", d, ep.id)
		}
		b.WriteString("}\n")
	}
	b.WriteString("\nresource \"aws_sns_topic_subscription\" \"pagerduty\" {\n  for_each  = toset([\"pagerduty-gold\", \"pagerduty-silver\", \"pagerduty-bronze\", \"tickets\"])\n  topic_arn = \"arn:aws:sns:us-east-1:123456789012:${each.key}\"\n  protocol  = \"https\"\n  endpoint  = \"https://events.pagerduty.com/x-ere/R0CHECKOUT\"\n}\n")
	return b.String()
}
