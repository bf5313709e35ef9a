package checks

import (
	"strings"

	"github.com/driftgate/driftgate/model"
)

// CloudFormationDrift reports CloudFormation stack drift detection results.
var CloudFormationDrift = &Check{
	ID:    "cloudformation-drift",
	Title: "Stack resource changed outside CloudFormation",
	Doc: Doc{
		Summary: "Reports each stack resource that CloudFormation's drift detection found MODIFIED (with " +
			"every property difference) or DELETED. Drift on an alarm's threshold, operator, windows, " +
			"metrics, rule or actions, on where an SNS subscription delivers, and the deletion of an alarm, " +
			"topic or subscription (pages then go nowhere) are errors; other drift is a warning. Resources CloudFormation could " +
			"not check (UNKNOWN, NOT_CHECKED) are not drift; a detection that failed makes the run inconclusive " +
			"(incomplete-input). JSON documents that differ only in order are not drift.",
		Example: "Drift detection on stack checkout-alarms found the console raised a threshold:\n\n" +
			"    checkout-alarms/PageFast5m changed outside CloudFormation: Threshold 4.8 -> 5.2",
		Why: "The next stack update silently reverts the change, or fails on it; until then the stack " +
			"template no longer describes what pages people.",
		Fix: "Bring the change into the template if it was right, or update the stack to revert it.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"drift", "cloudformation"},
	Needs:           []model.Feed{model.FeedStackDrift},
	Run:             runCloudFormationDrift,
}

// CloudFormation alarm properties whose drift changes when or whom an alarm pages.
var cfnPagingProperties = map[string]bool{
	"Threshold": true, "ComparisonOperator": true, "EvaluationPeriods": true, "Period": true, "DatapointsToAlarm": true,
	"Metrics": true, "AlarmRule": true, "AlarmActions": true, "OKActions": true, "ActionsEnabled": true,
	"Endpoint": true, "Protocol": true, "TopicArn": true, // SNS subscriptions: where pages go
}

func runCloudFormationDrift(pass *Pass) {
	if pass.World.Live == nil {
		return
	}
	for _, d := range pass.World.Live.Drifts {
		alerting := strings.HasPrefix(d.Type, "AWS::CloudWatch::") || d.Type == "AWS::SNS::Topic" || d.Type == "AWS::SNS::Subscription"
		reportDrift(pass, d, "", "CloudFormation", alerting,
			func(c model.AttributeChange) bool { return sameJSONDocument(c.Before, c.After) },
			func(path string) bool { top, _, _ := strings.Cut(path, "."); return cfnPagingProperties[top] })
	}
}
