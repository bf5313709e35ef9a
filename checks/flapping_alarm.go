package checks

import (
	"github.com/driftgate/driftgate/model"
)

// FlappingAlarm reports alarms that changed state too often in the lookback.
var FlappingAlarm = &Check{
	ID:    "flapping-alarm",
	Title: "Alarm flaps between OK and ALARM",
	Doc: Doc{
		Summary: "Counts each live alarm's state changes in the lookback (DescribeAlarmHistory) and reports " +
			"alarms that changed state more than `evidence.flapping_transitions` times (default 10).",
		Example: "Tenant 8a9b0c sees a request a minute, so one error crosses its 5m threshold and the next clears it:\n\n" +
			"    alarm slo-8a9b0c-availability-page-fast-5m changed state 14 times in 24h (went to ALARM 7 times): it flaps",
		Why: "A page that fires and clears on its own trains people to ignore pages, including the real one.",
		Fix: "Page on burn rate over a long window with a short window to reset it, require M of N datapoints, " +
			"or move low-traffic tenants to a ticket tier.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"evidence", "cloudwatch", "noise"},
	Needs:           []model.Feed{model.FeedHistory},
	Uses:            []model.Feed{model.FeedDeclared},
	Run:             runFlappingAlarm,
}

func runFlappingAlarm(pass *Pass) {
	v := pass.evidence()
	if v == nil {
		return
	}
	limit := pass.Settings.FlappingTransitions
	if limit <= 0 {
		limit = DefaultFlappingTransitions
	}
	for _, a := range pass.World.Live.Alarms {
		h := v.history(a)
		if len(h) <= limit {
			continue
		}
		fired := 0
		for _, t := range h {
			if t.To == "ALARM" {
				fired++
			}
		}
		f := v.finding(pass, a)
		f.Evidence = map[string]string{"transitions": itoa(len(h)), "to_alarm": itoa(fired), "limit": itoa(limit)}
		pass.Reportf(f, "alarm %s changed state %d times in %s (went to ALARM %d times): it flaps", a.Name, len(h), v.lookback(), fired)
	}
}
