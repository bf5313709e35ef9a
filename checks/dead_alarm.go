package checks

import (
	"fmt"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/driftgate/driftgate/model"
)

// DeadAlarm reports alarms whose metrics had no datapoints in the lookback.
var DeadAlarm = &Check{
	ID:    "dead-alarm",
	Title: "Alarm's metric has no data",
	Doc: Doc{
		Summary: "Reads each live alarm's own metric (or metric-math expression) over the lookback " +
			"(`evidence.lookback`, default 24h) and reports alarms that saw no datapoint at all: they cannot " +
			"fire whatever happens. A quiet alarm (data present, below its threshold) is not dead. When a " +
			"recently active metric (ListMetrics, RecentlyActive) differs from the alarm's in one dimension " +
			"value by a typo's distance, the finding names it. A page-tier alarm is an error, others a warning. " +
			"An alarm whose data could not be read is not judged, never called dead.",
		Example: "The page alarm of tenant 9f8e7d watches `TenantId = 9f8e7dd`; the service reports `9f8e7d`:\n\n" +
			"    alarm slo-9f8e7d-availability-page-slow-30m has had no data for 24h: TenantId 9f8e7dd has no data; 9f8e7d does",
		Why: "A dead alarm is the worst kind of green: the dashboard says all is well because nothing is measured.",
		Fix: "Correct the dimension (or metric name, or namespace) in the code and apply; delete alarms of " +
			"tenants that are gone.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"evidence", "cloudwatch"},
	Needs:           []model.Feed{model.FeedMetrics},
	Uses:            []model.Feed{model.FeedSLO, model.FeedDeclared},
	Run:             runDeadAlarm,
}

func runDeadAlarm(pass *Pass) {
	v := pass.evidence()
	if v == nil {
		return
	}
	for _, a := range evaluated(pass.World) {
		sum, read := v.series(a)
		if !read || sum.Points > 0 {
			continue
		}
		f := v.finding(pass, a)
		f.Severity = SeverityWarning
		if v.pages(a) {
			f.Severity = SeverityError
		}
		hint := ""
		if s := nearMiss(v.ev, a); s != "" {
			hint = ": " + s
			f.Evidence = map[string]string{"likely": s}
		}
		pass.Reportf(f, "alarm %s has had no data for %s%s", a.Name, v.lookback(), hint)
	}
}

// nearMiss finds a recently active metric that differs from one the alarm
// reads in a single dimension value by a few characters: a typo.
func nearMiss(ev *model.Evidence, a *model.Alarm) string {
	metrics := []model.MetricQuery{{Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions}}
	if a.Kind == model.KindMetricMath {
		metrics = a.Metrics
	}
	for _, m := range metrics {
		if m.MetricName == "" {
			continue
		}
		for _, cand := range ev.Active[m.Namespace+"/"+m.MetricName] {
			if s := oneValueApart(m.Dimensions, cand.Dimensions); s != "" {
				return s
			}
		}
	}
	return ""
}

func oneValueApart(want, have []model.Dimension) string {
	if len(want) != len(have) {
		return ""
	}
	diff := ""
	for i := range want {
		switch {
		case want[i].Name != have[i].Name:
			return ""
		case want[i].Value == have[i].Value:
		case diff != "":
			return "" // more than one dimension differs
		default:
			d := levenshtein.Distance(want[i].Value, have[i].Value, nil)
			if d > max(2, len(want[i].Value)/4) {
				return ""
			}
			diff = fmt.Sprintf("%s %s has no data; %s does", want[i].Name, quoteIfSpaced(want[i].Value), quoteIfSpaced(have[i].Value))
		}
	}
	return diff
}

func quoteIfSpaced(s string) string {
	if s == "" || strings.ContainsAny(s, " \t") {
		return fmt.Sprintf("%q", s)
	}
	return s
}
