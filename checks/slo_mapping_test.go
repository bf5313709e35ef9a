package checks

import (
	"strings"
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestSLOMapping(t *testing.T) {
	orphan := func(name, tenant, slo, tier, window string) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			a := &model.Alarm{Name: name, Kind: model.KindMetric, Tenant: tenant, SLO: slo, Tier: tier, Window: window, Period: 300}
			addBoth(w, a)
		}
	}
	runCases(t, SLOMapping, sloCases(t, []checkCase{
		{name: "every alarm maps: nothing"},
		{name: "an alarm for a tenant that is not configured",
			mutate: orphan("slo-ab12cd-availability-page-5m", "ab12cd", "availability", "page", "5m"),
			want:   []string{"alarm slo-ab12cd-availability-page-5m is tied to no SLO tier: tenant \"ab12cd\" is not configured"}},
		{name: "an SLO that is not defined",
			mutate: orphan("slo-aa0001-latency-page-5m", "aa0001", "latency", "page", "5m"),
			want:   []string{"SLO \"latency\" is not defined"}},
		{name: "a tier the SLO lacks",
			mutate: orphan("slo-aa0001-availability-warn-5m", "aa0001", "availability", "warn", "5m"),
			want:   []string{"SLO availability has no tier \"warn\""}},
		{name: "a window the tier lacks",
			mutate: orphan("slo-aa0001-availability-page-10m", "aa0001", "availability", "page", "10m"),
			want:   []string{"window 10m is neither the long (1h) nor the short (5m) window of tier page"}},
		{name: "no SLOs given: nothing is an orphan",
			mutate: func(w *model.World, s *Settings) {
				orphan("slo-ab12cd-availability-page-5m", "ab12cd", "availability", "page", "5m")(w, s)
				w.SLOs = nil
			}},
	}))
}

func TestSLOMappingScopedAway(t *testing.T) {
	w, s := sloWorld(), defaultSettings()
	w.SLOs[0].Scope = model.SLOScope{Buckets: []string{"silver"}}
	got := runOne(SLOMapping, w, s)
	if len(got) != 4*6 {
		t.Fatalf("%d findings, want the 24 alarms of the four gold tenants", len(got))
	}
	if want := `SLO "availability" does not apply to tenant aa0001`; !containsMessage(got, want) {
		t.Errorf("no finding says %q", want)
	}
}

func containsMessage(fs []Finding, sub string) bool {
	for _, f := range fs {
		if strings.Contains(f.Message, sub) {
			return true
		}
	}
	return false
}
