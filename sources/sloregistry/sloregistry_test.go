package sloregistry

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/live/snapshot"
	"github.com/driftgate/driftgate/model"
)

func s(v string) snapshot.AttributeValue { return snapshot.AttributeValue{S: &v} }
func n(v string) snapshot.AttributeValue { return snapshot.AttributeValue{N: &v} }

func close(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func source() model.SLORegistrySource {
	attrs := map[string]string{}
	for _, k := range []string{"tenant_id", "service", "slo", "objective", "period_days", "tiers"} {
		attrs[k] = k
	}
	return model.SLORegistrySource{Table: "SloRegistry", Region: "us-east-1", Attributes: attrs,
		Location: model.Location{File: "driftgate.yml", Line: 12}}
}

func tier(name, long, short, factor, severity string) snapshot.AttributeValue {
	m := map[string]snapshot.AttributeValue{"name": s(name), "long_window": s(long), "short_window": s(short), "burn_factor": n(factor)}
	if severity != "" {
		m["severity"] = s(severity)
	}
	return snapshot.AttributeValue{M: m}
}

func TestItemsBecomePerTenantSLOs(t *testing.T) {
	table := snapshot.RegistryTable{Table: "SloRegistry", Region: "us-east-1", Complete: true, Items: []map[string]snapshot.AttributeValue{
		{"tenant_id": s("b2"), "service": s("checkout"), "slo": s("availability"), "objective": n("99.5")},
		{"tenant_id": s("a1"), "service": s("checkout"), "slo": s("availability"), "objective": n("99.9"), "period_days": n("28"),
			"tiers": {L: []snapshot.AttributeValue{tier("page-fast", "1h", "5m", "14.4", "page"), tier("ticket", "3d", "6h", "1", "ticket")}}},
	}}
	spec := &model.SLO{Name: "availability", Service: "checkout", Objective: 0.999, Period: 30 * 24 * time.Hour, EventsPerMinute: 50,
		Tiers: []model.AlertTier{{Name: "page-fast", Severity: "page", Long: time.Hour, Short: 5 * time.Minute, Factor: 13}}}
	got, err := Decode(table, source(), []*model.SLO{spec})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Scope.Tenants[0] != "a1" || got[1].Scope.Tenants[0] != "b2" {
		t.Fatalf("want a1 then b2, got %+v", got)
	}
	a1, b2 := got[0], got[1]
	if !close(a1.Objective, 0.999) || a1.Period != 28*24*time.Hour || len(a1.Tiers) != 2 || a1.Tiers[0].Factor != 14.4 || a1.Tiers[1].Severity != "ticket" {
		t.Errorf("a1 takes its own tiers and period: %+v", a1)
	}
	if a1.Format != "dynamodb" || a1.Location.Line != 12 {
		t.Errorf("a1 points at the config line that declares the registry: %+v", a1.Location)
	}
	if !close(b2.Objective, 0.995) || b2.Period != 30*24*time.Hour || len(b2.Tiers) != 1 || b2.Tiers[0].Factor != 13 || b2.EventsPerMinute != 50 {
		t.Errorf("b2 takes the spec's tiers and its own objective: %+v", b2)
	}
	b2.Tiers[0].Factor = 1
	if spec.Tiers[0].Factor != 13 {
		t.Error("a registry SLO must not share the spec's tiers")
	}
}

func TestBadItemsNameTableTenantAndAttribute(t *testing.T) {
	table := snapshot.RegistryTable{Table: "SloRegistry", Items: []map[string]snapshot.AttributeValue{
		{"service": s("checkout"), "objective": n("99.9")},
		{"tenant_id": s("t1"), "service": s("checkout"), "objective": s("99.9")},
		{"tenant_id": s("t2"), "service": s("checkout"), "objective": n("100")},
		{"tenant_id": s("t3"), "service": s("checkout"), "objective": n("99.9"), "tiers": {L: []snapshot.AttributeValue{tier("fast", "5m", "1h", "14.4", "")}}},
		{"tenant_id": s("t4"), "service": s("checkout"), "objective": n("99.9"), "tiers": {L: []snapshot.AttributeValue{tier("fast", "1h", "5m", "14.4", "urgent")}}},
		{"tenant_id": s("t5"), "service": s("checkout"), "objective": n("99.9"), "tiers": {L: []snapshot.AttributeValue{tier("fast", "1 hour", "5m", "14.4", "")}}},
		{"tenant_id": s("t6"), "service": s("checkout"), "objective": n("99.9")},
		{"tenant_id": s("t6"), "service": s("checkout"), "objective": n("99.5")},
		{"tenant_id": s("t7"), "service": s("checkout"), "objective": n("99.9"), "period_days": n("400")},
		{"tenant_id": s("ok"), "service": s("checkout"), "objective": n("99.9")},
	}}
	_, err := Decode(table, source(), nil)
	if err == nil {
		t.Fatal("bad items must be an error")
	}
	want := []string{
		"SloRegistry: tenant_id: missing",
		"SloRegistry tenant_id=t1: objective: want a number (N), found S",
		"SloRegistry tenant_id=t2: objective: must be a percentage above 0 and below 100, found 100",
		"SloRegistry tenant_id=t3: tiers: [0]: short_window 1h is not shorter than long_window 5m",
		`SloRegistry tenant_id=t4: tiers: [0].severity: want page or ticket, found "urgent"`,
		"SloRegistry tenant_id=t5: tiers: [0].long_window:",
		`SloRegistry tenant_id=t6: slo: SLO checkout of service "checkout" appears twice`,
		"SloRegistry tenant_id=t7: period_days: must be from 1 to 366 days, found 400",
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("want %d problems, got:\n%v", len(want), err)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("problem %d: %q, want it to contain %q", i, lines[i], w)
		}
	}
}

func TestMappedAttributeNames(t *testing.T) {
	src := source()
	src.Attributes["tenant_id"], src.Attributes["objective"] = "customer", "target_pct"
	table := snapshot.RegistryTable{Table: "SloRegistry", Items: []map[string]snapshot.AttributeValue{
		{"customer": s("c9"), "service": s("search"), "target_pct": n("99.95")},
	}}
	got, err := Decode(table, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Scope.Tenants[0] != "c9" || !close(got[0].Objective, 0.9995) || got[0].Name != "search" {
		t.Errorf("mapped attributes: %+v", got)
	}
	_, err = Decode(snapshot.RegistryTable{Table: "SloRegistry", Items: []map[string]snapshot.AttributeValue{{"customer": s("c9"), "service": s("search")}}}, src, nil)
	if err == nil || !strings.Contains(err.Error(), "target_pct: missing") {
		t.Errorf("a missing mapped attribute is named by the table's name: %v", err)
	}
}
