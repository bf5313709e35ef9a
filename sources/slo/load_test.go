package slo

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/internal/corpus"
	"github.com/driftgate/driftgate/model"
)

func load(t *testing.T, files map[string]string) ([]*model.SLO, error) {
	t.Helper()
	l := NewLoader()
	for name, body := range files {
		if err := l.Load(name, []byte(body)); err != nil {
			return nil, err
		}
	}
	return l.Finish()
}

// Every SLO spec in the corpus loads, with the objective and period it states.
func TestCorpusSpecsLoad(t *testing.T) {
	want := map[string]struct {
		name      string
		objective float64
		period    time.Duration
		tiers     int
	}{
		"sloth-getting-started.yaml":                 {"requests-availability", 0.999, 30 * day, 4},
		"sloth-k8s-getting-started.yaml":             {"requests-availability", 0.999, 30 * day, 4},
		"sloth-openslo-v1alpha-getting-started.yaml": {"", 0.999, 30 * day, 3},
		"pyrra-prometheus-http.yaml":                 {"", 0.99, 7 * day, 4},
		"openslo-v1-ratio-timeslices.yaml":           {"", 0.99, 14 * day, 3},
		"sloth-alert-windows-7d.yaml":                {},
	}
	for _, file := range corpus.Files(t, "slo") {
		base := filepath.Base(file)
		t.Run(base, func(t *testing.T) {
			l := NewLoader()
			if err := l.LoadFile(file, base); err != nil {
				t.Fatal(err)
			}
			slos, err := l.Finish()
			if err != nil {
				t.Fatal(err)
			}
			w, known := want[base]
			if !known {
				t.Fatalf("no expectation for %s", base)
			}
			if w.objective == 0 {
				if len(slos) != 0 {
					t.Errorf("AlertWindows is not an SLO, got %d", len(slos))
				}
				return
			}
			if len(slos) != 1 {
				t.Fatalf("%d SLOs", len(slos))
			}
			s := slos[0]
			if w.name != "" && s.Name != w.name {
				t.Errorf("name %q, want %q", s.Name, w.name)
			}
			if !model.Near(s.Objective, w.objective, 1e-12) || s.Period != w.period || len(s.Tiers) != w.tiers {
				t.Errorf("objective %v period %v tiers %d; want %v %v %d", s.Objective, s.Period, len(s.Tiers), w.objective, w.period, w.tiers)
			}
			if s.Location.Line == 0 || s.Location.File != base {
				t.Errorf("location %v", s.Location)
			}
		})
	}
}

func TestSlothUsesItsDefaultsWhenNoAlertWindowsMatchThePeriod(t *testing.T) {
	dir := corpus.Dir(t)
	l := NewLoader()
	for _, f := range []string{"sloth-alert-windows-7d.yaml"} {
		if err := l.LoadFile(filepath.Join(dir, "slo", f), f); err != nil {
			t.Fatal(err)
		}
	}
	// Sloth's files carry no period (sloth takes it from a flag, 30 d by
	// default), so 7-day AlertWindows do not apply and sloth's defaults do.
	if err := l.Load("s.yaml", []byte("version: prometheus/v1\nservice: x\nslos:\n  - name: a\n    objective: 99.5\n")); err != nil {
		t.Fatal(err)
	}
	slos, err := l.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if len(slos[0].Tiers) != 4 || slos[0].Tiers[0].BurnFactor(slos[0].Period) != 14.4 {
		t.Errorf("tiers %+v", slos[0].Tiers)
	}
}

func TestOpenSLOAlertPolicyReferences(t *testing.T) {
	docs := `apiVersion: openslo/v1
kind: SLO
metadata: {name: checkout-availability}
spec:
  service: checkout
  timeWindow: [{duration: 28d, isRolling: true}]
  objectives: [{target: 0.999}]
  alertPolicies:
    - alertPolicyRef: fast-burn
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: {name: fast-burn}
spec:
  conditions:
    - conditionRef: page-fast
---
apiVersion: openslo/v1
kind: AlertCondition
metadata: {name: page-fast}
spec:
  severity: page
  condition: {kind: burnrate, op: gte, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m}
`
	slos, err := load(t, map[string]string{"o.yaml": docs})
	if err != nil {
		t.Fatal(err)
	}
	tier := slos[0].Tiers[0]
	if len(slos[0].Tiers) != 1 || tier.Name != "page-fast" || tier.Severity != model.SeverityPage || tier.BurnFactor(28*day) != 14.4 || tier.Short != 5*time.Minute {
		t.Errorf("tier %+v", tier)
	}
}

func TestBadSpecsAreInputErrorsWithPosition(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"unknown format", "apiVersion: example.com/v1\nkind: Thing\n", "s.yaml:1:1: unknown SLO document (apiVersion \"example.com/v1\", kind \"Thing\"); driftgate reads OpenSLO"},
		{"sloth objective out of range", "version: prometheus/v1\nservice: x\nslos:\n  - name: a\n    objective: 100\n", "s.yaml:5:16: objective must be a percentage"},
		{"pyrra target not a number", "apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: a}\nspec:\n  target: high\n  window: 7d\n", "s.yaml:5:11: target must be a percentage"},
		{"openslo bad window", "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  timeWindow: [{duration: 1y}]\n  objectives: [{target: 0.99}]\n", "invalid duration \"1y\""},
		{"openslo missing reference", "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  objectives: [{target: 0.99}]\n  alertPolicies: [{alertPolicyRef: nope}]\n", "no AlertPolicy named \"nope\""},
		{"syntax", "version: [\n", "s.yaml:"},
		{"empty", "", "no YAML documents"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := load(t, map[string]string{"s.yaml": c.data})
			if err == nil || !strings.Contains(err.Error(), c.want) || !input.IsInputError(err) {
				t.Fatalf("got %v, want an input error containing %q", err, c.want)
			}
		})
	}
}
