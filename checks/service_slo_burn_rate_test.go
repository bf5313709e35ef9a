package checks

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

// burnRateAlarm is an alarm on Application Signals' BurnRate metric.
func burnRateAlarm(name, slo, window string, threshold float64, source model.Source) *model.Alarm {
	dims := []model.Dimension{{Name: "BurnRateWindowMinutes", Value: window}, {Name: "SloName", Value: slo}}
	a := &model.Alarm{Name: name, Kind: model.KindMetric, Source: source, Namespace: "AWS/ApplicationSignals", MetricName: "BurnRate",
		Dimensions: dims, Statistic: "Average", Period: 60, EvaluationPeriods: 1, Threshold: model.Known(threshold), Operator: "GreaterThanThreshold"}
	if source == model.SourceLive {
		a.Account, a.Region = "1", "us-east-1"
	} else {
		a.Address, a.Location, a.Action = "checkout/"+name, model.Location{File: "slo.yaml", Line: 40}, model.ActionNoop
	}
	return a
}

func checkoutSLO(goal float64, windows ...int) *model.ServiceSLO {
	s := &model.ServiceSLO{Name: "checkout-availability", Goal: goal, Interval: 28 * 24 * time.Hour, Source: model.SourceCloudFormation,
		Address: "checkout/CheckoutSLO", Location: model.Location{File: "slo.yaml", Line: 5}}
	for _, m := range windows {
		s.BurnWindows = append(s.BurnWindows, time.Duration(m)*time.Minute)
	}
	return s
}

// templatePage is a template declaring slo and one page alarm on its burn
// rate over window minutes.
func templatePage(slo *model.ServiceSLO, name, window string, threshold float64) func(*model.World, *Settings) {
	return func(w *model.World, _ *Settings) {
		w.ServiceSLOs = []*model.ServiceSLO{slo}
		w.Declared = append(w.Declared, burnRateAlarm(name, slo.Name, window, threshold, model.SourceTerraform))
	}
}

func TestServiceSLOBurnRate(t *testing.T) {
	runCases(t, ServiceSLOBurnRate, []checkCase{
		{name: "a 14.4x page on a 99.9% SLO that publishes its window: nothing",
			mutate: templatePage(checkoutSLO(0.999, 5, 60), "checkout-burn-page-1h", "60", 14.4)},
		{name: "a 14.4x page on a 90% SLO can never fire",
			mutate: templatePage(checkoutSLO(0.90, 5, 60), "checkout-burn-page-1h", "60", 14.4),
			want:   []string{"alarm checkout-burn-page-1h watches the 1h burn rate of Application Signals SLO checkout-availability (goal 90%): its threshold 14.4 can never be crossed, the burn rate is at most 1/(1 - 90%) = 10"}},
		{name: "exactly the highest burn rate: > can never fire, >= can",
			mutate: func(w *model.World, _ *Settings) {
				w.ServiceSLOs = []*model.ServiceSLO{checkoutSLO(0.90, 60)}
				gt := burnRateAlarm("gt", "checkout-availability", "60", 10, model.SourceTerraform)
				ge := burnRateAlarm("ge", "checkout-availability", "60", 10, model.SourceTerraform)
				ge.Operator = "GreaterThanOrEqualToThreshold"
				w.Declared = append(w.Declared, gt, ge)
			},
			want: []string{"alarm gt watches the 1h burn rate"}},
		{name: "a window the SLO does not publish",
			mutate: templatePage(checkoutSLO(0.999, 5, 60), "checkout-burn-page-30m", "30", 6),
			want:   []string{"watches the 30m burn rate of Application Signals SLO checkout-availability (goal 99.9%), which publishes burn rates over 5m, 1h only"}},
		{name: "an SLO without burn rate configurations",
			mutate: templatePage(checkoutSLO(0.999), "checkout-burn-page-1h", "60", 14.4),
			want:   []string{"which has no BurnRateConfigurations"}},
		{name: "a live alarm on an SLO its region does not have, the region read in full",
			mutate: func(w *model.World, _ *Settings) {
				w.Live.Sources = append(w.Live.Sources, model.LiveSource{Kind: "application-signals", Account: "1", Region: "us-east-1", Complete: true})
				w.Live.ServiceSLOs = []*model.ServiceSLO{{Name: "checkout-latency", Goal: 0.99, Account: "1", Region: "us-east-1", Source: model.SourceLive, BurnWindows: []time.Duration{time.Hour}}}
				w.Live.Alarms = append(w.Live.Alarms, burnRateAlarm("checkout-burn-page-1h", "checkout-availabilty", "60", 14.4, model.SourceLive))
			},
			want: []string{"watches the burn rate of Application Signals SLO checkout-availabilty, which does not exist in 1/us-east-1"}},
		{name: "the live SLO of the alarm's region is the one judged, not the template's",
			mutate: func(w *model.World, _ *Settings) {
				w.ServiceSLOs = []*model.ServiceSLO{checkoutSLO(0.999, 60)}
				w.Live.Sources = append(w.Live.Sources, model.LiveSource{Kind: "application-signals", Account: "1", Region: "us-east-1", Complete: true})
				w.Live.ServiceSLOs = []*model.ServiceSLO{{Name: "checkout-availability", Goal: 0.95, Account: "1", Region: "us-east-1", Source: model.SourceLive, BurnWindows: []time.Duration{time.Hour}}}
				w.Live.Alarms = append(w.Live.Alarms, burnRateAlarm("checkout-burn-page-1h", "checkout-availability", "60", 24, model.SourceLive))
			},
			want: []string{"(goal 95%): its threshold 24 can never be crossed, the burn rate is at most 1/(1 - 95%) = 20"}},
		{name: "an SLO missing from a region whose read failed is not judged, never reported",
			mutate: func(w *model.World, _ *Settings) {
				w.Live.Sources = append(w.Live.Sources, model.LiveSource{Kind: "application-signals", Account: "1", Region: "us-east-1", Error: "throttled"})
				w.Live.Alarms = append(w.Live.Alarms, burnRateAlarm("checkout-burn-page-1h", "checkout-availability", "60", 14.4, model.SourceLive))
			}},
		{name: "a burn rate inside metric math: the window is judged, the threshold is not",
			mutate: func(w *model.World, _ *Settings) {
				w.ServiceSLOs = []*model.ServiceSLO{checkoutSLO(0.90, 60)}
				a := burnRateAlarm("math", "", "", 14.4, model.SourceTerraform)
				a.Kind, a.Namespace, a.MetricName, a.Dimensions = model.KindMetricMath, "", "", nil
				a.Metrics = []model.MetricQuery{
					{ID: "b", Namespace: "AWS/ApplicationSignals", MetricName: "BurnRate", Dimensions: []model.Dimension{{Name: "SloName", Value: "checkout-availability"}, {Name: "BurnRateWindowMinutes", Value: "60"}}},
					{ID: "c", Namespace: "AWS/ApplicationSignals", MetricName: "BurnRate", Dimensions: []model.Dimension{{Name: "SloName", Value: "checkout-availability"}, {Name: "BurnRateWindowMinutes", Value: "120"}}},
					{ID: "m", Expression: "MIN([b, c])", ReturnData: true}}
				w.Declared = append(w.Declared, a)
			},
			want: []string{"alarm math watches the 2h burn rate"}},
	})
}

// Without any Application Signals SLO, declared or read, the check is not judged.
func TestServiceSLOBurnRateNeedsSLOs(t *testing.T) {
	w, s := baseWorld(), defaultSettings()
	w.Declared = append(w.Declared, burnRateAlarm("checkout-burn-page-1h", "checkout-availability", "60", 14.4, model.SourceTerraform))
	findings, notJudged := Run(w, s, []*Check{ServiceSLOBurnRate})
	if len(findings) != 0 || len(notJudged) != 1 || notJudged[0].Feed != model.FeedServiceSLOs {
		t.Errorf("findings %s, not judged %+v", messages(findings), notJudged)
	}
}
