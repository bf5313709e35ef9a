// Package snapshot reads and writes driftgate's recorded live state: what the
// AWS (and later PagerDuty) APIs returned, so a check can be replayed offline.
// The alarm objects mirror CloudWatch's DescribeAlarms output field for field;
// docs/snapshot.md documents the format.
package snapshot

import (
	"time"

	"github.com/driftgate/driftgate/input"
)

// FormatVersion is the snapshot format this build writes and reads.
const FormatVersion = 1

// Snapshot is one recording of live state.
type Snapshot struct {
	// Version is the snapshot format version.
	Version int `json:"version"`
	// Generator names the tool and version that wrote it.
	Generator string `json:"generator,omitempty"`
	// CapturedAt is when the recording started.
	CapturedAt *time.Time `json:"captured_at,omitempty"`
	// CloudWatch holds one entry per account and region read.
	CloudWatch []CloudWatchRegion `json:"cloudwatch"`
	// CloudFormation holds stack drift detection results per account and region.
	CloudFormation []CloudFormationRegion `json:"cloudformation,omitempty"`
	// SNS holds the subscriptions of the topics in alarm actions.
	SNS []SNSRegion `json:"sns,omitempty"`
	// PagerDuty holds PagerDuty's services, escalation policies and event orchestrations.
	PagerDuty *PagerDutyState `json:"pagerduty,omitempty"`
	// Evidence holds metric data and alarm history per account and region.
	Evidence []EvidenceRegion `json:"evidence,omitempty"`
	// SLORegistry holds the items of each SLO registry table read.
	SLORegistry []RegistryTable `json:"slo_registry,omitempty"`
	// AlertRules holds the rows of each SQL alert rule source read.
	AlertRules []AlertRuleTable `json:"alert_rules,omitempty"`
	// ApplicationSignals holds Application Signals SLOs per account and region.
	ApplicationSignals []ServiceSLORegion `json:"application_signals,omitempty"`
}

// CloudFormationRegion is the drift detection of some stacks in one account and region.
type CloudFormationRegion struct {
	Account  string  `json:"account"`
	Region   string  `json:"region"`
	Complete bool    `json:"complete"`
	Error    string  `json:"error,omitempty"`
	Stacks   []Stack `json:"Stacks"`
}

// Stack is one stack's drift detection: DescribeStackDriftDetectionStatus
// and the DescribeStackResourceDrifts that are not IN_SYNC.
type Stack struct {
	StackName             string               `json:"StackName"`
	StackId               string               `json:"StackId,omitempty"`
	DetectionStatus       string               `json:"DetectionStatus"` // DETECTION_COMPLETE, DETECTION_FAILED, ...
	DetectionStatusReason string               `json:"DetectionStatusReason,omitempty"`
	StackDriftStatus      string               `json:"StackDriftStatus,omitempty"` // DRIFTED, IN_SYNC, UNKNOWN, NOT_CHECKED
	StackResourceDrifts   []StackResourceDrift `json:"StackResourceDrifts"`
}

// StackResourceDrift mirrors CloudFormation's StackResourceDrift.
type StackResourceDrift struct {
	LogicalResourceId  string `json:"LogicalResourceId"`
	PhysicalResourceId string `json:"PhysicalResourceId,omitempty"`
	ResourceType       string `json:"ResourceType"`
	// ExpectedProperties and ActualProperties are JSON documents in strings,
	// as the API returns them.
	ExpectedProperties       string               `json:"ExpectedProperties,omitempty"`
	ActualProperties         string               `json:"ActualProperties,omitempty"`
	PropertyDifferences      []PropertyDifference `json:"PropertyDifferences,omitempty"`
	StackResourceDriftStatus string               `json:"StackResourceDriftStatus"` // MODIFIED, DELETED, UNKNOWN, ...
	DriftStatusReason        string               `json:"DriftStatusReason,omitempty"`
	Timestamp                *time.Time           `json:"Timestamp,omitempty"`
}

// PropertyDifference is one property that differs from the template.
type PropertyDifference struct {
	PropertyPath   string `json:"PropertyPath"` // /Properties/Threshold
	ExpectedValue  string `json:"ExpectedValue"`
	ActualValue    string `json:"ActualValue"`
	DifferenceType string `json:"DifferenceType"` // ADD, REMOVE, NOT_EQUAL
}

// CloudWatchRegion is everything read from CloudWatch in one account and region.
type CloudWatchRegion struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	// Complete is false when a read failed; the error says why.
	Complete bool   `json:"complete"`
	Error    string `json:"error,omitempty"`
	// MetricAlarms and CompositeAlarms are DescribeAlarms' two lists.
	MetricAlarms    input.List[MetricAlarm]    `json:"MetricAlarms"`
	CompositeAlarms input.List[CompositeAlarm] `json:"CompositeAlarms"`
	// Tags maps an alarm ARN to its ListTagsForResource result.
	Tags map[string][]Tag `json:"Tags,omitempty"`
}

// Tag is a CloudWatch resource tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// Dimension is a CloudWatch metric dimension.
type Dimension struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// Metric names a CloudWatch metric.
type Metric struct {
	Namespace  string      `json:"Namespace,omitempty"`
	MetricName string      `json:"MetricName,omitempty"`
	Dimensions []Dimension `json:"Dimensions,omitempty"`
}

// MetricStat is a metric with its period and statistic.
type MetricStat struct {
	Metric Metric `json:"Metric"`
	Period int    `json:"Period,omitempty"`
	Stat   string `json:"Stat,omitempty"`
	Unit   string `json:"Unit,omitempty"`
}

// MetricDataQuery is one entry of a metric-math alarm's Metrics.
type MetricDataQuery struct {
	Id         string      `json:"Id"`
	Expression string      `json:"Expression,omitempty"`
	Label      string      `json:"Label,omitempty"`
	MetricStat *MetricStat `json:"MetricStat,omitempty"`
	Period     int         `json:"Period,omitempty"`
	ReturnData *bool       `json:"ReturnData,omitempty"`
	AccountId  string      `json:"AccountId,omitempty"`
}

// MetricAlarm mirrors CloudWatch's MetricAlarm.
type MetricAlarm struct {
	AlarmName                          string            `json:"AlarmName"`
	AlarmArn                           string            `json:"AlarmArn,omitempty"`
	AlarmDescription                   string            `json:"AlarmDescription,omitempty"`
	AlarmConfigurationUpdatedTimestamp *time.Time        `json:"AlarmConfigurationUpdatedTimestamp,omitempty"`
	ActionsEnabled                     *bool             `json:"ActionsEnabled,omitempty"`
	OKActions                          []string          `json:"OKActions,omitempty"`
	AlarmActions                       []string          `json:"AlarmActions,omitempty"`
	InsufficientDataActions            []string          `json:"InsufficientDataActions,omitempty"`
	StateValue                         string            `json:"StateValue,omitempty"`
	StateReason                        string            `json:"StateReason,omitempty"`
	StateReasonData                    string            `json:"StateReasonData,omitempty"`
	StateUpdatedTimestamp              *time.Time        `json:"StateUpdatedTimestamp,omitempty"`
	StateTransitionedTimestamp         *time.Time        `json:"StateTransitionedTimestamp,omitempty"`
	MetricName                         string            `json:"MetricName,omitempty"`
	Namespace                          string            `json:"Namespace,omitempty"`
	Statistic                          string            `json:"Statistic,omitempty"`
	ExtendedStatistic                  string            `json:"ExtendedStatistic,omitempty"`
	Dimensions                         []Dimension       `json:"Dimensions,omitempty"`
	Period                             int               `json:"Period,omitempty"`
	Unit                               string            `json:"Unit,omitempty"`
	EvaluationPeriods                  int               `json:"EvaluationPeriods,omitempty"`
	DatapointsToAlarm                  int               `json:"DatapointsToAlarm,omitempty"`
	Threshold                          *float64          `json:"Threshold,omitempty"`
	ComparisonOperator                 string            `json:"ComparisonOperator,omitempty"`
	TreatMissingData                   string            `json:"TreatMissingData,omitempty"`
	EvaluateLowSampleCountPercentile   string            `json:"EvaluateLowSampleCountPercentile,omitempty"`
	Metrics                            []MetricDataQuery `json:"Metrics,omitempty"`
	ThresholdMetricId                  string            `json:"ThresholdMetricId,omitempty"`
	EvaluationState                    string            `json:"EvaluationState,omitempty"`
}

// CompositeAlarm mirrors CloudWatch's CompositeAlarm.
type CompositeAlarm struct {
	AlarmName                          string     `json:"AlarmName"`
	AlarmArn                           string     `json:"AlarmArn,omitempty"`
	AlarmDescription                   string     `json:"AlarmDescription,omitempty"`
	AlarmConfigurationUpdatedTimestamp *time.Time `json:"AlarmConfigurationUpdatedTimestamp,omitempty"`
	AlarmRule                          string     `json:"AlarmRule"`
	ActionsEnabled                     *bool      `json:"ActionsEnabled,omitempty"`
	OKActions                          []string   `json:"OKActions,omitempty"`
	AlarmActions                       []string   `json:"AlarmActions,omitempty"`
	InsufficientDataActions            []string   `json:"InsufficientDataActions,omitempty"`
	StateValue                         string     `json:"StateValue,omitempty"`
	StateReason                        string     `json:"StateReason,omitempty"`
	StateReasonData                    string     `json:"StateReasonData,omitempty"`
	StateUpdatedTimestamp              *time.Time `json:"StateUpdatedTimestamp,omitempty"`
	StateTransitionedTimestamp         *time.Time `json:"StateTransitionedTimestamp,omitempty"`
	ActionsSuppressor                  string     `json:"ActionsSuppressor,omitempty"`
	ActionsSuppressedBy                string     `json:"ActionsSuppressedBy,omitempty"`
	ActionsSuppressedReason            string     `json:"ActionsSuppressedReason,omitempty"`
	ActionsSuppressorWaitPeriod        int        `json:"ActionsSuppressorWaitPeriod,omitempty"`
	ActionsSuppressorExtensionPeriod   int        `json:"ActionsSuppressorExtensionPeriod,omitempty"`
}
