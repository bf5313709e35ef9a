package checks

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/driftgate/driftgate/model"
)

// ServiceSLOBurnRate judges alarms on Application Signals burn rate metrics.
var ServiceSLOBurnRate = &Check{
	ID:    "service-slo-burn-rate",
	Title: "Alarm on an Application Signals burn rate that can never fire",
	Doc: Doc{
		Summary: "CloudWatch Application Signals computes each SLO's burn rate itself and publishes one `BurnRate` " +
			"metric (namespace `AWS/ApplicationSignals`, dimensions `SloName` and `BurnRateWindowMinutes`) for " +
			"each look-back window in the SLO's `BurnRateConfigurations`. For every alarm on such a metric, " +
			"reports (error): a window the SLO does not publish (no data, ever); a threshold above the highest " +
			"burn rate the SLO can show, 1/(1 − goal), reached only at 100 % errors; and, where the region's " +
			"SLOs were read in full, an SLO that does not exist. SLOs come from templates " +
			"(`AWS::ApplicationSignals::ServiceLevelObjective`) and, with `aws.application_signals`, from the " +
			"live API; a live alarm is judged against its own region's SLO.",
		Example: "A 14.4x page on a 90 % SLO:\n\n" +
			"    alarm checkout-burn-page-1h watches the 60m burn rate of Application Signals SLO checkout-availability " +
			"(goal 90%): its threshold 14.4 can never be crossed, the burn rate is at most 1/(1 - 90%) = 10",
		Why: "An alarm on a burn rate that cannot reach its threshold, or on a window that is never published, " +
			"stays OK through any outage.",
		Fix: "Add the window to the SLO's BurnRateConfigurations, or alarm on one it has; for a low goal use a " +
			"smaller factor (at most 1/(1 − goal)).",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"slo", "burn-rate", "application-signals"},
	Needs:           []model.Feed{model.FeedServiceSLOs},
	NeedsAny:        []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runServiceSLOBurnRate,
}

// burnRateWatch is an alarm's watch of one SLO's burn rate metric.
type burnRateWatch struct {
	slo    string
	window string // BurnRateWindowMinutes as written
	direct bool   // the alarm's value is this burn rate itself (no math)
}

// burnRateWatches lists the Application Signals burn rates an alarm reads.
func burnRateWatches(a *model.Alarm) []burnRateWatch {
	watch := func(ns, name string, dims []model.Dimension, direct bool) (burnRateWatch, bool) {
		if ns != model.ServiceSLONamespace || name != model.ServiceSLOBurnRate {
			return burnRateWatch{}, false
		}
		w := burnRateWatch{direct: direct}
		for _, d := range dims {
			switch d.Name {
			case model.ServiceSLODimension:
				w.slo = d.Value
			case model.ServiceSLOWindowMinute:
				w.window = d.Value
			}
		}
		return w, true
	}
	var out []burnRateWatch
	if w, ok := watch(a.Namespace, a.MetricName, a.Dimensions, true); ok {
		out = append(out, w)
	}
	for _, q := range a.Metrics {
		// A lone metric query that returns its data is the alarm's value.
		direct := len(a.Metrics) == 1 && q.Expression == ""
		if w, ok := watch(q.Namespace, q.MetricName, q.Dimensions, direct); ok {
			out = append(out, w)
		}
	}
	return out
}

func runServiceSLOBurnRate(pass *Pass) {
	w := pass.World
	idx := &serviceSLOIndex{declared: map[string]*model.ServiceSLO{}, live: map[string]*model.ServiceSLO{},
		byName: map[string]*model.ServiceSLO{}, complete: map[string]bool{}}
	for _, s := range w.ServiceSLOs {
		idx.declared[s.Name] = s
	}
	if w.Live != nil {
		for _, s := range w.Live.ServiceSLOs {
			scope := model.AWSScope(s.Account, s.Region)
			idx.live[scope+"/"+s.Name] = s
			if first := idx.byName[s.Name]; first == nil || scope < model.AWSScope(first.Account, first.Region) {
				idx.byName[s.Name] = s
			}
		}
	}
	for _, r := range w.FeedReads().Of(model.FeedServiceSLOs) {
		if r.State == model.ReadComplete && r.Scope != model.ScopeDeclared && r.Scope != "" {
			idx.complete[r.Scope] = true
		}
	}
	effective, _ := pass.effective()
	for _, a := range effective {
		for _, watch := range burnRateWatches(a) {
			judgeBurnRateWatch(pass, a, watch, idx)
		}
	}
}

// serviceSLOIndex finds the SLO an alarm's burn rate comes from.
type serviceSLOIndex struct {
	declared map[string]*model.ServiceSLO // by name
	live     map[string]*model.ServiceSLO // by scope/name
	byName   map[string]*model.ServiceSLO // live, the first scope that has the name
	complete map[string]bool              // live scopes whose SLOs were all read
}

// find returns the SLO and the scope a finding about it rests on. A live
// alarm watches its own region's SLO (else the templates'). A change deploys
// its templates' SLOs with its alarms: a declared alarm watches the
// template's SLO, else one read live.
func (x *serviceSLOIndex) find(a *model.Alarm, name string) (*model.ServiceSLO, string) {
	if a.Source == model.SourceLive {
		scope := model.ScopeOf(a)
		if s := x.live[scope+"/"+name]; s != nil {
			return s, scope
		}
		return x.declared[name], scope
	}
	if s := x.declared[name]; s != nil {
		return s, model.ScopeDeclared
	}
	if s := x.byName[name]; s != nil {
		return s, model.AWSScope(s.Account, s.Region)
	}
	return nil, model.ScopeDeclared
}

func judgeBurnRateWatch(pass *Pass, a *model.Alarm, watch burnRateWatch, idx *serviceSLOIndex) {
	report := func(sloScope, format string, args ...any) {
		pass.Reportf(Finding{Subject: alarmSubject(a), Location: pass.alarmLocation(a), Scope: sloScope, Identity: a.Name + "/" + watch.slo + "/" + watch.window},
			"alarm %s "+format, append([]any{a.Name}, args...)...)
	}
	if watch.slo == "" {
		report(model.ScopeDeclared, "watches an Application Signals BurnRate metric without a %s dimension: no such metric is published, the alarm can never fire", model.ServiceSLODimension)
		return
	}
	slo, sloScope := idx.find(a, watch.slo)
	if slo == nil {
		if a.Source == model.SourceLive && idx.complete[sloScope] {
			report(sloScope, "watches the burn rate of Application Signals SLO %s, which does not exist in %s: the metric is never published, the alarm can never fire", watch.slo, sloScope)
		}
		return
	}
	label := fmt.Sprintf("Application Signals SLO %s (goal %s)", slo.Name, pct(slo.Goal))
	minutes, err := strconv.Atoi(watch.window)
	if err != nil || minutes < 1 {
		report(sloScope, "watches a burn rate of %s without a valid %s dimension (%q): no such metric is published, the alarm can never fire", label, model.ServiceSLOWindowMinute, watch.window)
		return
	}
	window := time.Duration(minutes) * time.Minute
	switch {
	case len(slo.BurnWindows) == 0:
		report(sloScope, "watches the %s burn rate of %s, which has no BurnRateConfigurations: no burn rate is published, the alarm can never fire",
			model.FormatWindow(window), label)
		return
	case !slo.HasWindow(window):
		report(sloScope, "watches the %s burn rate of %s, which publishes burn rates over %s only (BurnRateConfigurations): that metric has no data, the alarm can never fire",
			model.FormatWindow(window), label, windowsList(slo.BurnWindows))
		return
	}
	if !watch.direct || !a.Threshold.Known {
		return
	}
	// 1/(1 - 0.9) is 10.000000000000002 in floating point: compare with a
	// relative tolerance, so a threshold of exactly the limit is judged as written.
	limit, eps := slo.MaxBurnRate(), 1e-9
	never := false
	switch a.Operator {
	case "GreaterThanThreshold":
		never = a.Threshold.Value >= limit*(1-eps)
	case "GreaterThanOrEqualToThreshold":
		never = a.Threshold.Value > limit*(1+eps)
	}
	if never {
		report(sloScope, "watches the %s burn rate of %s: its threshold %g can never be crossed, the burn rate is at most 1/(1 - %s) = %.4g",
			model.FormatWindow(window), label, a.Threshold.Value, pct(slo.Goal), limit)
	}
}

// windowsList prints windows for messages: "5m, 1h".
func windowsList(ws []time.Duration) string {
	sorted := slices.Clone(ws)
	slices.Sort(sorted)
	parts := make([]string, len(sorted))
	for i, w := range sorted {
		parts[i] = model.FormatWindow(w)
	}
	return strings.Join(parts, ", ")
}
