package model

import (
	"math"
	"testing"
	"time"
)

const day = 24 * time.Hour

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6g, want %.6g (±%g)", what, got, want, tol)
	}
}

// The multiwindow table at 99.9 % over 30 days (design.md §4).
func TestWorkbookTableAt999Over30Days(t *testing.T) {
	tiers := WorkbookTiers()
	want := []struct{ factor, threshold float64 }{{14.4, 0.0144}, {6, 0.006}}
	budget := Budget(0.999)
	for i, w := range want {
		b := tiers[i].BurnFactor(30 * day)
		near(t, tiers[i].Name+" factor", b, w.factor, 1e-9)
		near(t, tiers[i].Name+" threshold", ErrorRatioThreshold(b, budget), w.threshold, 1e-12)
	}
	near(t, "ticket factor (3d)", tiers[2].BurnFactor(30*day), 1, 1e-9)
	for _, tier := range tiers {
		if tier.Short*12 != tier.Long {
			t.Errorf("%s: short window %s is not 1/12 of %s", tier.Name, tier.Short, tier.Long)
		}
	}
}

// b depends on T: the same tiers at 28 and 7 days.
func TestFactorsDependOnThePeriod(t *testing.T) {
	cases := []struct {
		period time.Duration
		want   [3]float64
	}{
		{28 * day, [3]float64{13.44, 5.6, 0.9333}},
		{7 * day, [3]float64{3.36, 1.4, 0.2333}},
	}
	for _, c := range cases {
		for i, tier := range WorkbookTiers() {
			near(t, tier.Name+" at "+FormatWindow(c.period), tier.BurnFactor(c.period), c.want[i], 5e-5)
		}
	}
}

// b·B > 1 can never fire: 14.4 is dead below 93.056 %, 6 below 83.333 %.
func TestUnreachableCutoffs(t *testing.T) {
	near(t, "14.4 cut-off", 1-1/14.4, 0.93056, 5e-6)
	near(t, "6 cut-off", 1-1/6.0, 0.83333, 5e-6)
	if !CanFire(14.4, Budget(0.9306)) || CanFire(14.4, Budget(0.9305)) {
		t.Error("14.4 must fire at 93.06 % and not at 93.05 %")
	}
	if CanFire(14.4, Budget(0.90)) {
		t.Error("a 14.4x alarm on a 90 % SLO can never fire")
	}
	if !CanFire(6, Budget(0.8334)) || CanFire(6, Budget(0.8333)) {
		t.Error("6 must fire at 83.34 % and not at 83.33 %")
	}
}

func TestDetectionAndBudgetTime(t *testing.T) {
	got := DetectionTime(time.Hour, 14.4, Budget(0.999), 1.0)
	near(t, "detection seconds (99.9 %, 1h, 14.4, 100 % errors)", got.Seconds(), 51.84, 0.01)
	near(t, "budget at 99.9 % over 30 d (minutes)", BudgetTime(Budget(0.999), 30*day).Minutes(), 43.2, 1e-6)
	near(t, "budget at 99.99 % over 30 d (minutes)", BudgetTime(Budget(0.9999), 30*day).Minutes(), 4.32, 1e-6)
}

func TestLowTrafficBound(t *testing.T) {
	near(t, "events below which one error pages (99.9 %, 14.4)", SingleErrorEvents(14.4, Budget(0.999)), 69.44, 0.01)
}

func TestThresholdDrift(t *testing.T) {
	near(t, "5.2 % against 4.8 %", RelativeDrift(0.052, 0.048)*100, 8.33, 0.005)
}

func TestNearToleratesSlothsBudget(t *testing.T) {
	if !Near(0.0009999999999999432, 0.001, 1e-9) || Near(0.00099, 0.001, 1e-3) {
		t.Error("Near tolerance is wrong")
	}
}

func TestParseWindow(t *testing.T) {
	cases := map[string]time.Duration{"5m": 5 * time.Minute, "1h": time.Hour, "30d": 30 * day, "2w": 14 * day, "1h30m": 90 * time.Minute, "28d": 28 * day, "45s": 45 * time.Second}
	for in, want := range cases {
		got, err := ParseWindow(in)
		if err != nil || got != want {
			t.Errorf("ParseWindow(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "5", "m", "5y", "-1h", "0m", "5ms"} {
		if _, err := ParseWindow(bad); err == nil {
			t.Errorf("ParseWindow(%q) accepted", bad)
		}
	}
	for _, d := range []time.Duration{5 * time.Minute, time.Hour, 30 * day} {
		if got, _ := ParseWindow(FormatWindow(d)); got != d {
			t.Errorf("round trip of %s gave %s", d, got)
		}
	}
}

func TestObjectiveOverrides(t *testing.T) {
	s := &SLO{Objective: 0.999, Overrides: []SLOOverride{{Tenant: "7c3f2e", Objective: 0.995}, {Bucket: "silver", Objective: 0.99}}}
	cases := map[Tenant]float64{{ID: "x", Bucket: "gold"}: 0.999, {ID: "y", Bucket: "silver"}: 0.99, {ID: "7c3f2e", Bucket: "silver"}: 0.995}
	for tenant, want := range cases {
		if got := s.ObjectiveFor(tenant); got != want {
			t.Errorf("%v: %v, want %v", tenant, got, want)
		}
	}
}
