package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestUnmanagedAlarm(t *testing.T) {
	extra := func(ns, name string) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			w.Live.Alarms = append(w.Live.Alarms, &model.Alarm{Name: name, Namespace: ns, Kind: model.KindMetric, Source: model.SourceLive, Tenant: "7c3f2e"})
		}
	}
	runCases(t, UnmanagedAlarm, []checkCase{
		{name: "every live alarm is declared: nothing"},
		{name: "a hand-made alarm in the managed namespace",
			mutate: extra("Acme/Checkout", "hand-made"),
			want:   []string{"alarm hand-made is live in managed namespace Acme/Checkout but declared nowhere"}},
		{name: "a hand-made alarm with a managed prefix",
			mutate: extra("Other", "slo-hand-made"),
			want:   []string{"alarm slo-hand-made is live in a managed name prefix but declared nowhere"}},
		{name: "an alarm outside the managed scope",
			mutate: extra("AWS/EC2", "cpu-high")},
		{name: "no managed scope configured: nothing",
			mutate: func(w *model.World, s *Settings) {
				extra("Acme/Checkout", "hand-made")(w, s)
				s.ManagedNamespaces, s.ManagedPrefixes = nil, nil
			}},
		{name: "a math alarm whose metrics are in the managed namespace",
			mutate: func(w *model.World, s *Settings) {
				w.Live.Alarms = append(w.Live.Alarms, &model.Alarm{Name: "math", Kind: model.KindMetricMath,
					Metrics: []model.MetricQuery{{ID: "m", Namespace: "Acme/Checkout"}}})
			},
			want: []string{"alarm math is live in managed namespace Acme/Checkout"}},
		{name: "ignored by address pattern",
			mutate: func(w *model.World, s *Settings) {
				extra("Acme/Checkout", "hand-made")(w, s)
				s.Ignore = []IgnoreRule{{Address: "hand-*", Checks: []string{"unmanaged-alarm"}}}
			}},
	})
}
