// Package model holds the normalized view of declared and live alerting state
// that every check reads. It imports nothing else of driftgate's: loaders and
// live readers map their formats into it, checks only read it.
package model

import (
	"fmt"
	"slices"
	"strconv"
)

// Source says where an alarm definition came from.
type Source string

const (
	SourceTerraform      Source = "terraform"
	SourceCloudFormation Source = "cloudformation"
	SourceLive           Source = "live"
)

// AlarmKind distinguishes the CloudWatch alarm shapes, which checks compare differently.
type AlarmKind string

const (
	KindMetric     AlarmKind = "metric"
	KindMetricMath AlarmKind = "metric-math"
	KindComposite  AlarmKind = "composite"
)

// Action is what the plan will do to a declared resource.
type Action string

const (
	ActionNone    Action = ""        // live alarms carry no action
	ActionNoop    Action = "no-op"   // unchanged by the plan
	ActionCreate  Action = "create"  // does not exist yet
	ActionUpdate  Action = "update"  // changed in place
	ActionReplace Action = "replace" // deleted and created again
	ActionDelete  Action = "delete"  // removed by the plan
	ActionRead    Action = "read"    // data sources
)

// ExpectedLive reports whether a resource with this action should already exist
// in the live account before the plan is applied.
func (a Action) ExpectedLive() bool {
	return a == ActionNoop || a == ActionUpdate || a == ActionReplace || a == ActionDelete
}

// Number is a numeric value that may be unknown, for example a Terraform value
// known only after apply, or a CloudFormation parameter without a default.
// An unknown number is never treated as 0.
type Number struct {
	Value float64
	Known bool
}

// Known returns a known Number.
func Known(v float64) Number { return Number{Value: v, Known: true} }

// Unknown is the Number that could not be resolved.
var Unknown = Number{}

func (n Number) String() string {
	if !n.Known {
		return "(unknown)"
	}
	return strconv.FormatFloat(n.Value, 'g', -1, 64)
}

// Location is a position in a repository file, 1-based. Line 0 means the
// whole file.
type Location struct {
	File string
	Line int
}

func (l Location) String() string {
	if l.Line == 0 {
		return l.File
	}
	return fmt.Sprintf("%s:%d", l.File, l.Line)
}

// Dimension is one CloudWatch metric dimension.
type Dimension struct {
	Name  string
	Value string
}

// MetricQuery is one entry of a metric-math alarm (Terraform metric_query,
// CloudWatch Metrics[]).
type MetricQuery struct {
	ID         string
	Expression string
	Label      string
	ReturnData bool
	Namespace  string
	MetricName string
	Dimensions []Dimension
	Period     int
	Stat       string
}

// Alarm is one CloudWatch alarm, declared or live, in one shape for both.
type Alarm struct {
	Name    string
	Source  Source
	Kind    AlarmKind
	Address string // Terraform address or CloudFormation logical ID; empty for live alarms
	ARN     string // live alarms only
	Account string // live alarms: where they were read
	Region  string
	Action  Action // declared alarms only

	Tenant string // resolved by the configured conventions; "" when none matched
	SLO    string // from the naming convention, when it names one
	Tier   string // page, ticket, ... from the naming convention
	Window string // 5m, 1h, ... from the naming convention

	// Threshold is the value as written; ThresholdRatio is the same value as a
	// ratio (0.052 for 5.2 %), unknown when the unit is not known.
	Threshold         Number
	ThresholdRatio    Number
	Operator          string
	Period            int // seconds; 0 when not set (math and composite alarms)
	EvaluationPeriods int
	DatapointsToAlarm int // 0 when not set; CloudWatch then uses EvaluationPeriods
	Statistic         string
	ExtendedStatistic string
	Namespace         string
	MetricName        string
	Dimensions        []Dimension
	Metrics           []MetricQuery
	TreatMissingData  string
	ActionsEnabled    bool
	AlarmActions      []string
	OKActions         []string
	InsufficientData  []string
	AlarmRule         string // composite alarms
	Tags              Tags
	// State is a live alarm's state: OK, ALARM or INSUFFICIENT_DATA.
	State string
	// What a complete PutMetricAlarm (or PutCompositeAlarm) needs beyond the
	// compared attributes; read from live alarms only.
	Live *LiveExtra `json:"-"`

	Location Location
	// Prior is the alarm as Terraform last recorded it, for updates: what the
	// plan changes is not drift, but a live value that matches neither is.
	Prior *Alarm
	// Unknown lists the attributes whose values are known only after apply,
	// and the sensitive ones, which most checks must not see either.
	Unknown []string
	// Sensitive lists the attributes the plan marks sensitive; Secret is the
	// alarm with their values in place, for comparisons with live state
	// whose findings print "(sensitive)", never the value.
	Sensitive []string
	Secret    *Alarm `json:"-"`
}

// LiveExtra is what CloudWatch holds of an alarm that no check compares
// but that rewriting the alarm must carry over.
type LiveExtra struct {
	Description                      string
	Unit                             string
	ThresholdMetricID                string
	EvaluateLowSampleCountPercentile string
	ActionsSuppressor                string
	ActionsSuppressorWaitPeriod      int
	ActionsSuppressorExtensionPeriod int
}

// ShareStrings replaces the alarm's strings that many alarms repeat
// (operator, statistics, namespace and metric, treat-missing-data, state,
// actions, dimensions, metric queries, tags, description, unit) by of(s),
// which hands back one shared copy of each: a model of tens of thousands of
// alarms then keeps each once. Its slices are changed in place.
func (a *Alarm) ShareStrings(of func(string) string) {
	for _, p := range []*string{&a.Operator, &a.Statistic, &a.ExtendedStatistic, &a.Namespace, &a.MetricName,
		&a.TreatMissingData, &a.State} {
		*p = of(*p)
	}
	for _, set := range [][]string{a.AlarmActions, a.OKActions, a.InsufficientData} {
		for i := range set {
			set[i] = of(set[i])
		}
	}
	shareDimensions(a.Dimensions, of)
	for i := range a.Metrics {
		q := &a.Metrics[i]
		q.ID, q.Expression, q.Label, q.Stat = of(q.ID), of(q.Expression), of(q.Label), of(q.Stat)
		q.Namespace, q.MetricName = of(q.Namespace), of(q.MetricName)
		shareDimensions(q.Dimensions, of)
	}
	for i := range a.Tags {
		a.Tags[i].Key, a.Tags[i].Value = of(a.Tags[i].Key), of(a.Tags[i].Value)
	}
	if l := a.Live; l != nil {
		l.Description, l.Unit = of(l.Description), of(l.Unit)
		l.EvaluateLowSampleCountPercentile, l.ActionsSuppressor = of(l.EvaluateLowSampleCountPercentile), of(l.ActionsSuppressor)
	}
}

func shareDimensions(ds []Dimension, of func(string) string) {
	for i := range ds {
		ds[i].Name, ds[i].Value = of(ds[i].Name), of(ds[i].Value)
	}
}

// IsSensitive reports whether the plan marks attr sensitive.
func (a *Alarm) IsSensitive(attr string) bool {
	return slices.Contains(a.Sensitive, attr)
}

// Label names the alarm in messages: "(sensitive name)" when its name is
// sensitive.
func (a *Alarm) Label() string {
	if a.IsSensitive("alarm_name") {
		return "(sensitive name)"
	}
	return a.Name
}

// Compared is the alarm as comparisons with live state read it: with its
// sensitive values in place when it has any.
func (a *Alarm) Compared() *Alarm {
	if a.Secret != nil {
		return a.Secret
	}
	return a
}

// Identity is the alarm's stable key across runs and audits:
// declared/<source>/<address or name> for declared alarms,
// live/<account>/<region>/<name> for live ones.
func (a *Alarm) Identity() string {
	if a.Source == SourceLive {
		return "live/" + a.Account + "/" + a.Region + "/" + a.Name
	}
	key := a.Address
	if key == "" {
		key = a.Name
	}
	return "declared/" + string(a.Source) + "/" + key
}

// LiveName is the name the alarm has live before the plan applies: its prior
// name when the change renames it.
func (a *Alarm) LiveName() string {
	if a.Prior != nil && a.Prior.Name != "" {
		return a.Prior.Name
	}
	return a.Name
}

// EffectiveDatapoints is the M of "M out of N" as CloudWatch applies it.
func (a *Alarm) EffectiveDatapoints() int {
	if a.DatapointsToAlarm == 0 {
		return a.EvaluationPeriods
	}
	return a.DatapointsToAlarm
}

// IsUnknown reports whether attr is known only after apply.
func (a *Alarm) IsUnknown(attr string) bool {
	for _, u := range a.Unknown {
		if u == attr {
			return true
		}
	}
	return false
}

// Tenant is one customer of a multi-tenant service.
type Tenant struct {
	ID     string
	Bucket string // tier bucket, e.g. gold
	// EventsPerMinute is the expected request volume; 0 when unknown.
	EventsPerMinute float64
	// Implicit is the one tenant that owns every alarm when none are
	// configured: it exists only as far as alarms do.
	Implicit bool
}

// AttributeChange is one attribute that differs between two views of a resource.
type AttributeChange struct {
	Path     string // dotted path, e.g. "threshold" or "tags.Team"
	Before   string // rendered value; "(sensitive)" when redacted
	After    string
	Relevant bool // the plan depends on this attribute (relevant_attributes)
}

// ResourceDrift is a difference between what a tool last recorded and what is
// live, as Terraform reports it in resource_drift.
type ResourceDrift struct {
	Address string
	Type    string
	Name    string // alarm name when the resource is an alarm
	Source  Source
	Changes []AttributeChange
	// Current holds the rendered top-level scalar values as they are now, so
	// checks can tell provider defaults (datapoints = evaluation periods) from drift.
	Current map[string]string
	Deleted bool // the resource is gone outside the tool
	// Stack and LogicalID name a CloudFormation resource.
	Stack, LogicalID string
	// Scope is the account and region a live stack drift was read in.
	Scope    string
	Location Location
	PlanFile string
}

// Plan describes one loaded Terraform plan file.
type Plan struct {
	File             string
	FormatVersion    string
	TerraformVersion string
	Complete         bool // false for partial (errored or targeted) plans
	Errored          bool
	HasDrift         bool // the plan carries resource_drift data
}

// LiveSource is one live reading (an account and region of CloudWatch, ...).
type LiveSource struct {
	Kind     string // cloudwatch, cloudformation, pagerduty
	Account  string
	Region   string
	Complete bool
	Error    string // why the reading is incomplete
}

// Live is the live state, read from the APIs or from a recorded snapshot.
type Live struct {
	File    string // snapshot path, empty when read from the APIs
	Sources []LiveSource
	Alarms  []*Alarm
	// Drifts are CloudFormation stack drift detection results.
	Drifts []ResourceDrift
	// PagerDuty is the live alert routing; nil when it was not read.
	PagerDuty *PagerDuty
	// Evidence is metric data and alarm history; nil when not read.
	Evidence *Evidence
	// ServiceSLOs are Application Signals SLOs, when read.
	ServiceSLOs []*ServiceSLO
}

// Complete reports whether every live source was read in full.
func (l *Live) Complete() bool {
	for _, s := range l.Sources {
		if !s.Complete {
			return false
		}
	}
	return true
}

// World is everything the checks see.
type World struct {
	// Tenants are the tenants to check: all of them, or one shard's.
	Tenants []Tenant
	// Configured is every configured tenant's ID, whatever the shard.
	Configured map[string]bool
	Declared   []*Alarm
	// Routing is the PagerDuty routing and SNS subscriptions the plans declare.
	Routing *PagerDuty
	Drifts  []ResourceDrift
	// RouteCases are routing assertions: where pages must land.
	RouteCases []RouteCase
	// Planned holds, by resource address, the attributes the plans change
	// in place (updates and replacements), sensitive values hidden.
	Planned map[string][]AttributeChange
	Plans   []Plan
	SLOs    []*SLO
	// ServiceSLOs are Application Signals SLOs the templates declare.
	ServiceSLOs []*ServiceSLO
	// AlertRules are the rows of SQL alert rule tables.
	AlertRules []*AlertRule
	Live       *Live               // nil when no live state was given
	Locations  map[string]Location // every declared resource address, alarm or not
	// Anchor is where findings about live-only objects point (the config
	// file, else the first plan): code scanning needs a file for each.
	Anchor Location
	// AlertDigests maps each alert's stable identity to the checksum of its
	// normalised payload; Baseline holds the same from a previous audit.
	AlertDigests map[string]string
	Baseline     *Baseline
	// Reads records how completely each feed was read, per scope; the
	// checks framework judges a check only where its feeds were read.
	Reads Reads
}

// Baseline is a previous audit's alert checksums.
type Baseline struct {
	File   string
	Alerts map[string]string
	// Redacted baselines key alerts by redacted identities.
	Redacted bool
}

// LiveByName indexes live alarms by name.
func (w *World) LiveByName() map[string]*Alarm {
	if w.Live == nil {
		return map[string]*Alarm{}
	}
	m := make(map[string]*Alarm, len(w.Live.Alarms))
	for _, a := range w.Live.Alarms {
		m[a.Name] = a
	}
	return m
}

// TenantByID returns the tenant with the given ID.
func (w *World) TenantByID(id string) (Tenant, bool) {
	for _, t := range w.Tenants {
		if t.ID == id {
			return t, true
		}
	}
	return Tenant{}, false
}
