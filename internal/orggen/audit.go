package orggen

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/driftgate/driftgate/live/snapshot"
)

// AuditRulesSource is the name the audit's config gives its alert_rules
// source; the snapshot records the rows under it.
const AuditRulesSource = "rds-alerting"

// Audit is the nightly audit's organisation (fixtures/audit, make
// demo-audit): twelve tenants of one checkout service, audited from the live
// estate alone, with the SLO targets in a DynamoDB registry and the alert
// rules in an SQL table. With changed set it is the estate today; without,
// as the last audit saw it (the baseline attestation's).
//
// What the audit must find:
//   - 7c3f2e's 5m page alarm was raised to 5.2 % in the console, while the
//     alert_rules table and PagerDuty's orchestration rule say 4.8 % (drift 8.33 %);
//   - three alert configs changed since the last audit: that threshold,
//     c0ffee's slow page evaluating 3 periods instead of 1, and e1f2a3's
//     ticket composite that no longer notifies anyone;
//   - the registry holds 99.95 % for 9f8e7d, whose alarms are set for 99.9 %;
//   - 1a2b3c's 2h ticket alarm was deleted, its rule remains;
//   - the service's Application Signals SLO has a 90 % goal, and its 1h
//     burn rate pages at 14.4, which a burn rate of at most 10 never reaches;
//     the 30m page watches a window the SLO does not publish.
func Audit(changed bool) *Org {
	o := &Org{SLOs: []string{"availability"}, TierComposites: []string{"page-fast", "page-slow", "ticket"},
		Namespace: "Acme/Checkout", Account: "123456789012", Region: "us-east-1", Seed: 7,
		NotLive: map[string]bool{AlarmName("1a2b3c", "availability", "ticket", "2h"): true},
		Edit:    map[string]func(map[string]any){},
	}
	if changed {
		o.LiveThreshold = map[string]float64{AlarmName("7c3f2e", "availability", "page-fast", "5m"): 5.2}
		o.Edit[AlarmName("c0ffee", "availability", "page-slow", "6h")] = setAttr("evaluation_periods", 3)
		o.Edit[AlarmName("e1f2a3", "availability", "ticket", "")] = setAttr("alarm_actions", []any{})
	}
	for _, t := range []struct{ id, bucket string }{
		{"0a1b2c", "gold"}, {"1a2b3c", "silver"}, {"3c4d5e", "bronze"}, {"4d5e6f", "gold"},
		{"5e6f70", "silver"}, {"7c3f2e", "silver"}, {"8a9b0c", "bronze"}, {"9f8e7d", "gold"},
		{"b7c8d9", "bronze"}, {"c0ffee", "gold"}, {"d4e5f6", "silver"}, {"e1f2a3", "gold"},
	} {
		o.Tenants = append(o.Tenants, Tenant{ID: t.id, Bucket: t.bucket})
	}
	o.PagerDuty, o.SNS = demoPagerDuty(o)
	return o
}

// registryObjectives are the audit's registry objectives that differ from
// the tenant's bucket.
var registryObjectives = map[string]string{"9f8e7d": "99.95"}

// AuditFiles writes the audit fixture: the config, the live snapshot (with
// the registry and the alert rules recorded in it, as `driftgate snapshot`
// records them), the alert_rules table as SQL, and the last audit's
// snapshot the baseline attestation is made from.
func AuditFiles() (Files, error) {
	now, err := auditSnapshot(Audit(true))
	if err != nil {
		return nil, err
	}
	before, err := auditSnapshot(Audit(false))
	if err != nil {
		return nil, err
	}
	o := Audit(true)
	return Files{
		".driftgate.yml":       []byte(auditConfig(o)),
		"live.json":            now,
		"last-audit/live.json": before,
		"alert_rules.sql":      []byte(auditSQL(o)),
	}, nil
}

func auditSnapshot(o *Org) ([]byte, error) {
	files, err := o.Generate()
	if err != nil {
		return nil, err
	}
	var snap snapshot.Snapshot
	if err := json.Unmarshal(files["live.json"], &snap); err != nil {
		return nil, err
	}
	snap.SLORegistry = []snapshot.RegistryTable{{Table: "SloRegistry", Region: o.Region, Complete: true, Items: registryItems(o)}}
	var rows []snapshot.AlertRuleRow
	for _, r := range auditRules(o) {
		if r.multiTenant {
			rows = append(rows, r.AlertRuleRow)
		}
	}
	snap.AlertRules = []snapshot.AlertRuleTable{{Source: AuditRulesSource, Table: "alert_rules", Complete: true, Rules: rows}}
	addServiceSLO(o, &snap)
	data, err := json.MarshalIndent(snap, "", "  ")
	return append(data, '\n'), err
}

// ServiceSLOName is the audit's Application Signals SLO.
const ServiceSLOName = "checkout-availability"

// addServiceSLO records the service's Application Signals SLO (a 90 % goal
// over 28 days, burn rates over 5m and 1h) and two page alarms on its burn
// rate, as the service team set them up beside the per-tenant alarms.
func addServiceSLO(o *Org, snap *snapshot.Snapshot) {
	snap.ApplicationSignals = []snapshot.ServiceSLORegion{{Account: o.Account, Region: o.Region, Complete: true, SLOs: []snapshot.ServiceLevelObj{{
		Arn:  fmt.Sprintf("arn:aws:application-signals:%s:%s:slo/%s", o.Region, o.Account, ServiceSLOName),
		Name: ServiceSLOName, EvaluationType: "PeriodBased",
		Goal: snapshot.SLOGoal{AttainmentGoal: 90, WarningThreshold: 50,
			Interval: &snapshot.SLOInterval{RollingInterval: &snapshot.SLOIntervalLength{Duration: 28, DurationUnit: "DAY"}}},
		BurnRateConfigurations: []snapshot.BurnRateConfig{{LookBackWindowMinutes: 5}, {LookBackWindowMinutes: 60}},
	}}}}
	cw := &snap.CloudWatch[0]
	for _, a := range []struct {
		window    string
		threshold float64
	}{{"60", 14.4}, {"30", 6}} {
		name := "checkout-slo-burn-page-" + map[string]string{"60": "1h", "30": "30m"}[a.window]
		threshold, enabled := a.threshold, true
		cw.MetricAlarms = append(cw.MetricAlarms, snapshot.MetricAlarm{AlarmName: name,
			AlarmArn:         fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", o.Region, o.Account, name),
			AlarmDescription: "checkout availability SLO burning fast", ActionsEnabled: &enabled, StateValue: "OK",
			Namespace: "AWS/ApplicationSignals", MetricName: "BurnRate", Statistic: "Average", Period: 60,
			Dimensions:        []snapshot.Dimension{{Name: "BurnRateWindowMinutes", Value: a.window}, {Name: "SloName", Value: ServiceSLOName}},
			EvaluationPeriods: 1, Threshold: &threshold, ComparisonOperator: "GreaterThanThreshold", TreatMissingData: "notBreaching"})
	}
	sort.Slice(cw.MetricAlarms, func(i, j int) bool { return cw.MetricAlarms[i].AlarmName < cw.MetricAlarms[j].AlarmName })
}

func registryItems(o *Org) []map[string]snapshot.AttributeValue {
	str := func(s string) snapshot.AttributeValue { return snapshot.AttributeValue{S: &s} }
	num := func(s string) snapshot.AttributeValue { return snapshot.AttributeValue{N: &s} }
	var items []map[string]snapshot.AttributeValue
	for _, t := range o.Tenants {
		objective := percentOf(Buckets[t.Bucket])
		if v, ok := registryObjectives[t.ID]; ok {
			objective = v
		}
		item := map[string]snapshot.AttributeValue{"tenant_id": str(t.ID), "service": str("checkout"), "slo": str("availability"),
			"objective": num(objective), "period_days": num("30")}
		if t.ID == "c0ffee" {
			// This tenant's item carries its tiers; the others take the spec's.
			var tiers []snapshot.AttributeValue
			for _, tier := range Tiers {
				severity := "ticket"
				if tier.Page {
					severity = "page"
				}
				tiers = append(tiers, snapshot.AttributeValue{M: map[string]snapshot.AttributeValue{"name": str(tier.Name),
					"long_window": str(tier.Long), "short_window": str(tier.Short), "burn_factor": num(fmt.Sprint(tier.Factor)), "severity": str(severity)}})
			}
			item["tiers"] = snapshot.AttributeValue{L: tiers}
		}
		items = append(items, item)
	}
	return items
}

type auditRule struct {
	snapshot.AlertRuleRow
	multiTenant bool
}

// auditRules are the alert_rules table: one multi-tenant rule per tenant
// window alarm (72), at the thresholds the alarms were made with, and 17
// rules of single-tenant services that the default query leaves out.
func auditRules(o *Org) []auditRule {
	var out []auditRule
	for _, t := range o.Tenants {
		budget := 1 - Buckets[t.Bucket]
		for _, tier := range Tiers {
			severity := "ticket"
			if tier.Page {
				severity = "page"
			}
			for _, w := range []string{tier.Short, tier.Long} {
				out = append(out, auditRule{multiTenant: true, AlertRuleRow: snapshot.AlertRuleRow{
					RuleID: fmt.Sprintf("r-%03d", len(out)+1), TenantID: t.ID, Metric: "error_rate", Window: w,
					ThresholdPercent: round(tier.Factor * budget * 100), Severity: severity,
					AlarmName: AlarmName(t.ID, "availability", tier.Name, w), PagerDutyService: "checkout-" + t.ID}})
			}
		}
	}
	for i, svc := range []string{"billing", "search", "ledger", "reports", "identity", "notifications", "exports", "audit-log", "pricing",
		"inventory", "shipping", "tax", "fraud", "catalog", "payouts", "webhooks", "admin"} {
		out = append(out, auditRule{AlertRuleRow: snapshot.AlertRuleRow{RuleID: fmt.Sprintf("s-%03d", i+1), TenantID: "internal",
			Metric: "error_rate", Window: "5m", ThresholdPercent: 1 + float64(i%4)*0.5, Severity: "page",
			AlarmName: svc + "-errors-5m", PagerDutyService: svc}})
	}
	return out
}

// auditSQL is the alert_rules table as one SQL script that PostgreSQL and
// SQLite both run: the table, its 89 rows, and an index on the filter.
func auditSQL(o *Org) string {
	var b strings.Builder
	b.WriteString(`-- The audit's alert_rules table (generated by internal/orggen; make fixtures).
-- 72 rules of the multi-tenant checkout service and 17 of single-tenant
-- services, which driftgate's default query leaves out.
CREATE TABLE alert_rules (
  rule_id           TEXT PRIMARY KEY,
  tenant_id         TEXT NOT NULL,
  service_type      TEXT NOT NULL,
  metric            TEXT NOT NULL,
  "window"          TEXT NOT NULL,
  threshold_percent NUMERIC(7, 4) NOT NULL,
  severity          TEXT NOT NULL,
  alarm_name        TEXT,
  pagerduty_service TEXT
);
CREATE INDEX alert_rules_service_type ON alert_rules (service_type);
INSERT INTO alert_rules (rule_id, tenant_id, service_type, metric, "window", threshold_percent, severity, alarm_name, pagerduty_service) VALUES
`)
	rules := auditRules(o)
	for i, r := range rules {
		kind := "single_tenant"
		if r.multiTenant {
			kind = "multi_tenant"
		}
		end := ",\n"
		if i == len(rules)-1 {
			end = ";\n"
		}
		fmt.Fprintf(&b, "  ('%s', '%s', '%s', '%s', '%s', %g, '%s', '%s', '%s')%s",
			r.RuleID, r.TenantID, kind, r.Metric, r.Window, r.ThresholdPercent, r.Severity, r.AlarmName, r.PagerDutyService, end)
	}
	return b.String()
}

// auditConfig is the audit's .driftgate.yml: no IaC, the live snapshot, the
// SLO spec whose tiers registry items without their own take, the registry
// and the rules table.
func auditConfig(o *Org) string {
	var b strings.Builder
	b.WriteString(`# The nightly audit of the checkout service's twelve tenants (make demo-audit,
# docs/sources.md): no IaC, the live estate read from AWS and PagerDuty (here
# recorded in live.json), SLO targets from the SloRegistry table in DynamoDB,
# alert rules from the alert_rules table in PostgreSQL.
version: 1

tenants:
`)
	for _, t := range o.Tenants {
		fmt.Fprintf(&b, "  - id: %q\n    bucket: %s\n", t.ID, t.Bucket)
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

aws:
  regions: [%s]
  application_signals: true   # the service's SLO in CloudWatch Application Signals

inputs:
  live: live.json

slo_registry:
  - dynamodb: {table: SloRegistry, region: %s}

alert_rules:
  - name: %s
    driver: postgres
    dsn_env: DRIFTGATE_AUDIT_RULES_DSN

checks:
  fail_on: error
  drift_tolerance_percent: 1
`, NamePattern, o.pdConvention(), o.Namespace, o.Region, o.Region, AuditRulesSource)
	b.WriteString(o.sloConfig())
	return b.String()
}
