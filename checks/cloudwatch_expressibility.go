package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/driftgate/driftgate/model"
)

// CloudWatch limits (CloudWatch user guide, "Alarms" and service quotas).
const (
	maxEvaluationSpan  = 24 * time.Hour // Period × EvaluationPeriods
	maxMathMetrics     = 10
	maxCompositeRule   = 10240
	maxCompositeAlarms = 100
)

// CloudWatchExpressibility reports SLO windows that CloudWatch cannot compute as written.
var CloudWatchExpressibility = &Check{
	ID:    "cloudwatch-expressibility",
	Title: "CloudWatch cannot evaluate the SLO window as written",
	Doc: Doc{
		Summary: "An error ratio over a window w needs one datapoint of Period = w with Sum statistics and " +
			"EvaluationPeriods = 1; M-of-N datapoints over shorter periods is not a window average. Also " +
			"reports Period × EvaluationPeriods above CloudWatch's one-day limit, metric math with more than " +
			"10 metrics, composite rules over 10,240 characters or 100 alarms, and SLO tiers whose long window " +
			"exceeds one day (use Application Signals' BurnRate metric for those).",
		Example: "A 1h window written as 60 one-minute datapoints:\n\n" +
			"    alarm slo-7c3f2e-availability-page-fast-1h (window 1h): period 60s × 60 evaluation periods is M-of-N datapoints, not a 1h error ratio; use period 3600s and 1 evaluation period",
		Why: "M-of-N over short periods fires on a few bad minutes and misses a steady burn; the numbers in " +
			"the SLO policy no longer describe what pages.",
		Fix: "Set the metrics' period to the window, evaluation periods to 1 and the statistic to Sum; move tiers longer than a day to Application Signals.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"slo", "cloudwatch"},
	Needs:           []model.Feed{model.FeedSLO},
	Uses:            []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runCloudWatchExpressibility,
}

func runCloudWatchExpressibility(pass *Pass) {
	for _, b := range pass.SLO().Bound {
		a := b.Alarm
		f := Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(a), Location: pass.alarmLocation(a), Scope: model.ScopeOf(a), Identity: a.Name}
		if a.Kind == model.KindComposite {
			children := len(model.AlarmRefs(a.AlarmRule))
			if len(a.AlarmRule) > maxCompositeRule || children > maxCompositeAlarms {
				pass.Reportf(f, "composite alarm %s: rule of %d characters over %d alarms exceeds CloudWatch's limits (%d characters, %d alarms)",
					a.Name, len(a.AlarmRule), children, maxCompositeRule, maxCompositeAlarms)
			}
			continue
		}
		periods, stats := metricPeriods(a)
		var problems []string
		for _, p := range periods {
			if time.Duration(p)*time.Second != b.Window && a.EvaluationPeriods > 1 {
				problems = append(problems, fmt.Sprintf("period %ds × %d evaluation periods is M-of-N datapoints, not a %s error ratio; use period %ds and 1 evaluation period",
					p, a.EvaluationPeriods, model.FormatWindow(b.Window), int(b.Window.Seconds())))
				break
			}
			if time.Duration(p)*time.Second != b.Window {
				problems = append(problems, fmt.Sprintf("period %ds does not match the %s window", p, model.FormatWindow(b.Window)))
				break
			}
		}
		if len(periods) > 0 && time.Duration(periods[0]*a.EvaluationPeriods)*time.Second > maxEvaluationSpan {
			problems = append(problems, fmt.Sprintf("period × evaluation periods is %s, over CloudWatch's 1d limit",
				model.FormatWindow(time.Duration(periods[0]*a.EvaluationPeriods)*time.Second)))
		}
		for _, s := range stats {
			if s != "Sum" && s != "SampleCount" {
				problems = append(problems, fmt.Sprintf("statistic %s: a ratio of counts needs Sum", s))
				break
			}
		}
		if n := countMetrics(a); n > maxMathMetrics {
			problems = append(problems, fmt.Sprintf("metric math uses %d metrics, over CloudWatch's %d", n, maxMathMetrics))
		}
		if len(problems) > 0 {
			pass.Reportf(f, "alarm %s (window %s): %s", a.Name, model.FormatWindow(b.Window), strings.Join(problems, "; "))
		}
	}
	for _, s := range pass.World.SLOs {
		for _, t := range s.Tiers {
			if t.Long > maxEvaluationSpan {
				pass.Reportf(Finding{Severity: SeverityWarning, Subject: s.Ref() + "/" + t.Name, Location: s.Location, Scope: model.ScopeDeclared, Identity: s.Ref() + "/" + t.Name},
					"SLO %s tier %s: a %s window exceeds what a CloudWatch metric alarm can evaluate (1d); use Application Signals' BurnRate metric or a shorter window",
					s.Ref(), t.Name, model.FormatWindow(t.Long))
			}
		}
	}
}

// metricPeriods lists the periods and statistics of an alarm's metrics.
func metricPeriods(a *model.Alarm) (periods []int, stats []string) {
	if a.Kind == model.KindMetric {
		stat := a.Statistic
		if stat == "" {
			stat = a.ExtendedStatistic
		}
		return []int{a.Period}, []string{stat}
	}
	for _, q := range a.Metrics {
		if q.Expression != "" {
			continue
		}
		periods = append(periods, q.Period)
		stats = append(stats, q.Stat)
	}
	return periods, stats
}

func countMetrics(a *model.Alarm) int {
	n := 0
	for _, q := range a.Metrics {
		if q.Expression == "" {
			n++
		}
	}
	return n
}
