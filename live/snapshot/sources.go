package snapshot

// RegistryTable is one Scan of an SLO registry table in DynamoDB: the items
// as the API returned them (DynamoDB's typed JSON), so a check can replay
// them offline.
type RegistryTable struct {
	Table    string `json:"table"`
	Region   string `json:"region"`
	Account  string `json:"account,omitempty"`
	Complete bool   `json:"complete"`
	Error    string `json:"error,omitempty"`
	// Items are the table's items in DynamoDB's JSON form: {"objective": {"N": "99.9"}}.
	Items []map[string]AttributeValue `json:"items"`
}

// AttributeValue is one DynamoDB attribute value in its JSON form; exactly
// one field is set.
type AttributeValue struct {
	S    *string                   `json:"S,omitempty"`
	N    *string                   `json:"N,omitempty"`
	BOOL *bool                     `json:"BOOL,omitempty"`
	NULL *bool                     `json:"NULL,omitempty"`
	L    []AttributeValue          `json:"L,omitempty"`
	M    map[string]AttributeValue `json:"M,omitempty"`
	SS   []string                  `json:"SS,omitempty"`
	NS   []string                  `json:"NS,omitempty"`
}

// Type names the value's DynamoDB type: S, N, BOOL, NULL, L, M, SS or NS.
func (v AttributeValue) Type() string {
	switch {
	case v.S != nil:
		return "S"
	case v.N != nil:
		return "N"
	case v.BOOL != nil:
		return "BOOL"
	case v.NULL != nil:
		return "NULL"
	case v.M != nil:
		return "M"
	case v.L != nil:
		return "L"
	case v.SS != nil:
		return "SS"
	case v.NS != nil:
		return "NS"
	}
	return "(empty)"
}

// AlertRuleTable is one read of a SQL alert rule source: its rows as
// driftgate understood them, never its DSN.
type AlertRuleTable struct {
	Source   string         `json:"source"`
	Table    string         `json:"table"`
	Complete bool           `json:"complete"`
	Error    string         `json:"error,omitempty"`
	Rules    []AlertRuleRow `json:"rules"`
}

// AlertRuleRow is one rule, by driftgate's column names.
type AlertRuleRow struct {
	RuleID           string  `json:"rule_id"`
	TenantID         string  `json:"tenant_id"`
	Metric           string  `json:"metric,omitempty"`
	Window           string  `json:"window,omitempty"` // a duration: 5m, 1h
	ThresholdPercent float64 `json:"threshold_percent"`
	Severity         string  `json:"severity,omitempty"`
	AlarmName        string  `json:"alarm_name,omitempty"`
	PagerDutyService string  `json:"pagerduty_service,omitempty"`
}

// ServiceSLORegion is one account and region's Application Signals SLOs,
// each as GetServiceLevelObjective returned it (its JSON form).
type ServiceSLORegion struct {
	Account  string            `json:"account"`
	Region   string            `json:"region"`
	Complete bool              `json:"complete"`
	Error    string            `json:"error,omitempty"`
	SLOs     []ServiceLevelObj `json:"slos"`
}

// ServiceLevelObj is the part of an Application Signals SLO driftgate judges by.
type ServiceLevelObj struct {
	Arn                    string           `json:"Arn"`
	Name                   string           `json:"Name"`
	Goal                   SLOGoal          `json:"Goal"`
	BurnRateConfigurations []BurnRateConfig `json:"BurnRateConfigurations,omitempty"`
	EvaluationType         string           `json:"EvaluationType,omitempty"`
	Description            string           `json:"Description,omitempty"`
}

// SLOGoal is an SLO's attainment goal (a percentage) and interval.
type SLOGoal struct {
	AttainmentGoal   float64      `json:"AttainmentGoal"`
	WarningThreshold float64      `json:"WarningThreshold,omitempty"`
	Interval         *SLOInterval `json:"Interval,omitempty"`
}

// SLOInterval is either a rolling interval or a calendar one.
type SLOInterval struct {
	RollingInterval  *SLOIntervalLength `json:"RollingInterval,omitempty"`
	CalendarInterval *SLOIntervalLength `json:"CalendarInterval,omitempty"`
}

// SLOIntervalLength is an interval's Duration in DurationUnit (MINUTE, HOUR,
// DAY, MONTH); a calendar interval also has a StartTime.
type SLOIntervalLength struct {
	Duration     int    `json:"Duration"`
	DurationUnit string `json:"DurationUnit"`
}

// BurnRateConfig is one look-back window Application Signals publishes a
// BurnRate metric for.
type BurnRateConfig struct {
	LookBackWindowMinutes int `json:"LookBackWindowMinutes"`
}
