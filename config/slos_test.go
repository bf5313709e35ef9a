package config

import (
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

const withSLOs = `version: 1
tenants:
  - {id: a1, bucket: gold, events_per_minute: 12}
  - {id: b1, bucket: silver}
slos:
  - name: availability
    service: checkout
    objective_percent: 99.9
    period: 28d
    tiers:
      - {name: page-fast, severity: page, budget_percent: 2, long: 1h, short: 5m}
    overrides:
      - {bucket: silver, objective_percent: 99.5}
      - {tenant: a1, objective_percent: 99.95}
  - name: latency
    objective_percent: 99
    applies_to: {buckets: [silver]}
`

func TestNativeSLOs(t *testing.T) {
	c, err := Parse("c.yml", []byte(withSLOs))
	if err != nil {
		t.Fatal(err)
	}
	slos := c.ModelSLOs()
	if len(slos) != 2 {
		t.Fatalf("%d SLOs", len(slos))
	}
	a, l := slos[0], slos[1]
	if a.Period != 28*24*time.Hour || len(a.Tiers) != 1 || a.Tiers[0].BurnFactor(a.Period) != 13.44 || a.Location.Line != 6 {
		t.Errorf("availability: %+v", a)
	}
	tenants := c.ModelTenants()
	if got := a.ObjectiveFor(tenants[0]); got != 0.9995 {
		t.Errorf("tenant override: %v", got)
	}
	if got := a.ObjectiveFor(tenants[1]); got != 0.995 {
		t.Errorf("bucket override: %v", got)
	}
	if l.Period != 30*24*time.Hour || len(l.Tiers) != 3 || l.Scope.Includes(tenants[0]) || !l.Scope.Includes(tenants[1]) {
		t.Errorf("latency defaults or scope: %+v", l)
	}
	if tenants[0].EventsPerMinute != 12 {
		t.Errorf("events per minute: %v", tenants[0])
	}
	if l.Tiers[0].Name != model.WorkbookTiers()[0].Name {
		t.Errorf("default tiers are the workbook's: %+v", l.Tiers)
	}
}

func TestNativeSLOProblemsAreAllListed(t *testing.T) {
	bad := `version: 1
tenants: [{id: a1, bucket: gold}]
slos:
  - objective_percent: 100
    period: 1y
    applies_to: {buckets: [platinum], tenants: [zz]}
    tiers:
      - {severity: urgent, budget_percent: 0, long: 1h, short: soon}
    overrides:
      - {objective_percent: 99}
      - {tenant: nobody, bucket: gold, objective_percent: 99}
`
	_, err := Parse("c.yml", []byte(bad))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"c.yml:4:22: SLO has no name",
		"objective_percent must be between 0 and 100 (exclusive), found 100",
		"c.yml:5:13: invalid duration \"1y\"",
		"no tenant is in bucket \"platinum\"",
		"unknown tenant \"zz\"",
		"tier has no name",
		"severity must be page or ticket, found \"urgent\"",
		"budget_percent must be between 0 and 100, found 0",
		"invalid duration \"soon\"",
		"an override names exactly one of bucket or tenant",
		"unknown tenant \"nobody\"",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}
