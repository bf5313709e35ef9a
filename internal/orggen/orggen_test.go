package orggen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "regenerate fixtures/demo")

// The committed demo fixture is exactly what the generator writes, so the
// demo, the goldens and the generator never disagree.
func TestDemoFixtureIsGenerated(t *testing.T) {
	files, err := Demo().Generate()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "fixtures", "demo")
	if *update {
		if err := files.Write(dir); err != nil {
			t.Fatal(err)
		}
		return
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("fixtures/demo/%s is stale: run `go test ./internal/orggen -update`", name)
		}
	}
}

func TestDemoShape(t *testing.T) {
	o := Demo()
	alarms := o.Alarms()
	// 12 Terraform tenants and 2 CloudFormation ones, 9 alarms each; 1a2b3c has no page tiers.
	if len(o.Tenants) != 14 || len(alarms) != 14*9-6 {
		t.Fatalf("%d tenants, %d alarms", len(o.Tenants), len(alarms))
	}
	var fast5m *Alarm
	for _, a := range alarms {
		if a.Name() == "slo-7c3f2e-availability-page-fast-5m" {
			fast5m = a
		}
	}
	if fast5m == nil || fast5m.Attrs["threshold"] != 4.8 {
		t.Errorf("tenant 7c3f2e's declared 5m page threshold must be 4.8 %%: %v", fast5m)
	}
}

func TestSyntheticIsDeterministic(t *testing.T) {
	a, err := Synthetic(20).Generate()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Synthetic(20).Generate()
	if err != nil {
		t.Fatal(err)
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two generations", name)
		}
	}
}

// The committed audit fixture is exactly what the generator writes.
func TestAuditFixtureIsGenerated(t *testing.T) {
	files, err := AuditFiles()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "fixtures", "audit")
	if *update {
		if err := files.Write(dir); err != nil {
			t.Fatal(err)
		}
		return
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("fixtures/audit/%s is stale: run `go test ./internal/orggen -update`", name)
		}
	}
}

func TestAuditShape(t *testing.T) {
	o := Audit(true)
	rules := auditRules(o)
	multi := 0
	for _, r := range rules {
		if r.multiTenant {
			multi++
		}
	}
	if len(o.Tenants) != 12 || len(rules) != 89 || multi != 72 {
		t.Errorf("%d tenants, %d rules (%d multi-tenant): want 12, 89, 72", len(o.Tenants), len(rules), multi)
	}
	if sql := auditSQL(o); strings.Count(sql, "'multi_tenant'") != 72 || strings.Count(sql, "'single_tenant'") != 17 {
		t.Error("the SQL script does not hold the rules")
	}
}
