package aws

import (
	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/driftgate/driftgate/live/snapshot"
)

// metricAlarm maps the SDK's MetricAlarm into the snapshot's mirror of it.
func metricAlarm(a *cwtypes.MetricAlarm) snapshot.MetricAlarm {
	return snapshot.MetricAlarm{
		AlarmName: awssdk.ToString(a.AlarmName), AlarmArn: awssdk.ToString(a.AlarmArn), AlarmDescription: awssdk.ToString(a.AlarmDescription),
		AlarmConfigurationUpdatedTimestamp: a.AlarmConfigurationUpdatedTimestamp, ActionsEnabled: a.ActionsEnabled,
		OKActions: a.OKActions, AlarmActions: a.AlarmActions, InsufficientDataActions: a.InsufficientDataActions,
		StateValue: string(a.StateValue), StateReason: awssdk.ToString(a.StateReason), StateReasonData: awssdk.ToString(a.StateReasonData),
		StateUpdatedTimestamp: a.StateUpdatedTimestamp, StateTransitionedTimestamp: a.StateTransitionedTimestamp,
		MetricName: awssdk.ToString(a.MetricName), Namespace: awssdk.ToString(a.Namespace), Statistic: string(a.Statistic),
		ExtendedStatistic: awssdk.ToString(a.ExtendedStatistic), Dimensions: dimensions(a.Dimensions), Period: int(awssdk.ToInt32(a.Period)),
		Unit: string(a.Unit), EvaluationPeriods: int(awssdk.ToInt32(a.EvaluationPeriods)), DatapointsToAlarm: int(awssdk.ToInt32(a.DatapointsToAlarm)),
		Threshold: a.Threshold, ComparisonOperator: string(a.ComparisonOperator), TreatMissingData: awssdk.ToString(a.TreatMissingData),
		EvaluateLowSampleCountPercentile: awssdk.ToString(a.EvaluateLowSampleCountPercentile), Metrics: queries(a.Metrics),
		ThresholdMetricId: awssdk.ToString(a.ThresholdMetricId), EvaluationState: string(a.EvaluationState),
	}
}

func compositeAlarm(a *cwtypes.CompositeAlarm) snapshot.CompositeAlarm {
	return snapshot.CompositeAlarm{
		AlarmName: awssdk.ToString(a.AlarmName), AlarmArn: awssdk.ToString(a.AlarmArn), AlarmDescription: awssdk.ToString(a.AlarmDescription),
		AlarmConfigurationUpdatedTimestamp: a.AlarmConfigurationUpdatedTimestamp, AlarmRule: awssdk.ToString(a.AlarmRule),
		ActionsEnabled: a.ActionsEnabled, OKActions: a.OKActions, AlarmActions: a.AlarmActions, InsufficientDataActions: a.InsufficientDataActions,
		StateValue: string(a.StateValue), StateReason: awssdk.ToString(a.StateReason), StateReasonData: awssdk.ToString(a.StateReasonData),
		StateUpdatedTimestamp: a.StateUpdatedTimestamp, StateTransitionedTimestamp: a.StateTransitionedTimestamp,
		ActionsSuppressor: awssdk.ToString(a.ActionsSuppressor), ActionsSuppressedBy: string(a.ActionsSuppressedBy),
		ActionsSuppressedReason:     awssdk.ToString(a.ActionsSuppressedReason),
		ActionsSuppressorWaitPeriod: int(awssdk.ToInt32(a.ActionsSuppressorWaitPeriod)), ActionsSuppressorExtensionPeriod: int(awssdk.ToInt32(a.ActionsSuppressorExtensionPeriod)),
	}
}

func dimensions(ds []cwtypes.Dimension) []snapshot.Dimension {
	var out []snapshot.Dimension
	for _, d := range ds {
		out = append(out, snapshot.Dimension{Name: awssdk.ToString(d.Name), Value: awssdk.ToString(d.Value)})
	}
	return out
}

func queries(qs []cwtypes.MetricDataQuery) []snapshot.MetricDataQuery {
	var out []snapshot.MetricDataQuery
	for _, q := range qs {
		dq := snapshot.MetricDataQuery{Id: awssdk.ToString(q.Id), Expression: awssdk.ToString(q.Expression), Label: awssdk.ToString(q.Label),
			Period: int(awssdk.ToInt32(q.Period)), ReturnData: q.ReturnData, AccountId: awssdk.ToString(q.AccountId)}
		if s := q.MetricStat; s != nil {
			dq.MetricStat = &snapshot.MetricStat{Period: int(awssdk.ToInt32(s.Period)), Stat: awssdk.ToString(s.Stat), Unit: string(s.Unit)}
			if m := s.Metric; m != nil {
				dq.MetricStat.Metric = snapshot.Metric{Namespace: awssdk.ToString(m.Namespace), MetricName: awssdk.ToString(m.MetricName), Dimensions: dimensions(m.Dimensions)}
			}
		}
		out = append(out, dq)
	}
	return out
}
