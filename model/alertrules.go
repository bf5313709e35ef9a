package model

import (
	"fmt"
	"time"
)

// AlertRule is one row of a team's alert rule table (SQL alert_rules):
// declared alert configuration kept outside the infrastructure code.
type AlertRule struct {
	// Source names the configured source; Table the table it was read from.
	Source, Table string
	// Key is the rule's key (rule_id).
	Key    string
	Tenant string
	Metric string
	// Window is the rule's evaluation window; 0 when not given.
	Window time.Duration
	// Threshold is the rule's threshold as a ratio (threshold_percent / 100).
	Threshold Number
	Severity  string
	// AlarmName is the CloudWatch alarm that implements the rule, when given.
	AlarmName        string
	PagerDutyService string
	// Location is the config entry that declares the source: code scanning
	// needs a file, and the table has none.
	Location Location
}

// Ref names the rule in findings: "alert_rules rule_id=17".
func (r *AlertRule) Ref() string { return fmt.Sprintf("%s rule_id=%s", r.Table, r.Key) }

// AlertRuleSource is a configured SQL table of alert rules.
type AlertRuleSource struct {
	Name, Driver string
	// DSNEnv names the environment variable holding the DSN; the DSN itself
	// is never kept in the model, so no report can print it.
	DSNEnv, Query, Table string
	// Columns maps driftgate's column names to the query's result columns.
	Columns  map[string]string
	Timeout  time.Duration
	Location Location // the config entry
}

// SLORegistrySource is a configured table of per-tenant SLOs.
type SLORegistrySource struct {
	Table, Region, Account, RoleARN string
	// Attributes maps driftgate's attribute names to the item's.
	Attributes map[string]string
	Location   Location
}

// Label names the registry in messages: "dynamodb SloRegistry (us-east-1)".
func (s SLORegistrySource) Label() string {
	return fmt.Sprintf("dynamodb %s (%s)", s.Table, s.Region)
}
