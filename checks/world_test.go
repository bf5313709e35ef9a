package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/model"
)

// baseWorld is one good world: two tenants whose declared alarms match live
// exactly. Test cases mutate a fresh copy and say what they changed.
func baseWorld() *model.World {
	metric := func(tenant, name string, threshold float64) *model.Alarm {
		return &model.Alarm{Name: name, Kind: model.KindMetricMath, Tenant: tenant, Threshold: model.Known(threshold),
			Operator: "GreaterThanThreshold", Period: 0, EvaluationPeriods: 1, TreatMissingData: "notBreaching", ActionsEnabled: true,
			Metrics: []model.MetricQuery{
				{ID: "errors", Namespace: "Acme/Checkout", MetricName: "Errors", Stat: "Sum", Period: 300, Dimensions: []model.Dimension{{Name: "TenantId", Value: tenant}}},
				{ID: "rate", Expression: "100 * errors / requests", ReturnData: true},
			}}
	}
	composite := func(tenant, name string) *model.Alarm {
		return &model.Alarm{Name: name, Kind: model.KindComposite, Tenant: tenant, ActionsEnabled: true,
			AlarmRule: `ALARM("a") AND ALARM("b")`, AlarmActions: []string{"arn:aws:sns:us-east-1:1:page"}, OKActions: []string{"arn:aws:sns:us-east-1:1:page"}}
	}
	declared := []*model.Alarm{
		metric("7c3f2e", "slo-7c3f2e-availability-page-fast-5m", 4.8),
		metric("7c3f2e", "slo-7c3f2e-availability-page-fast-1h", 4.8),
		composite("7c3f2e", "slo-7c3f2e-availability-page-fast"),
		metric("c0ffee", "slo-c0ffee-availability-page-fast-5m", 1.44),
	}
	w := &model.World{Tenants: []model.Tenant{{ID: "7c3f2e", Bucket: "silver"}, {ID: "c0ffee", Bucket: "gold"}},
		Live:  &model.Live{Sources: []model.LiveSource{{Kind: "cloudwatch", Account: "1", Region: "us-east-1", Complete: true}}},
		Plans: []model.Plan{{File: "plan.json", Complete: true}}, Anchor: model.Location{File: ".driftgate.yml"}}
	for i, d := range declared {
		d.Source, d.Action = model.SourceTerraform, model.ActionNoop
		d.Address = "aws_cloudwatch_metric_alarm.a" + string(rune('0'+i))
		d.Location = model.Location{File: "main.tf", Line: 10 * (i + 1)}
		l := *d
		l.Source, l.Action, l.Address, l.Location = model.SourceLive, model.ActionNone, "", model.Location{}
		l.Metrics = slices.Clone(d.Metrics)
		w.Declared = append(w.Declared, d)
		w.Live.Alarms = append(w.Live.Alarms, &l)
	}
	return w
}

func live(w *model.World, name string) *model.Alarm {
	for _, a := range w.Live.Alarms {
		if a.Name == name {
			return a
		}
	}
	panic("no live alarm " + name)
}

func declared(w *model.World, name string) *model.Alarm {
	for _, a := range w.Declared {
		if a.Name == name {
			return a
		}
	}
	panic("no declared alarm " + name)
}

func defaultSettings() *Settings {
	return &Settings{Disabled: map[string]bool{}, Severity: map[string]Severity{},
		ManagedNamespaces: []string{"Acme/Checkout"}, ManagedPrefixes: []string{"slo-"}}
}

// runOne runs a single check and returns its findings.
func runOne(c *Check, w *model.World, s *Settings) []Finding {
	findings, _ := Run(w, s, []*Check{c})
	return findings
}

type checkCase struct {
	name     string
	mutate   func(w *model.World, s *Settings)
	want     []string // substrings, one per expected finding, in report order
	severity []Severity
}

func runCases(t *testing.T, c *Check, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, s := baseWorld(), defaultSettings()
			if tc.mutate != nil {
				tc.mutate(w, s)
			}
			got := runOne(c, w, s)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), messages(got))
			}
			for i, f := range got {
				if !strings.Contains(f.Message, tc.want[i]) {
					t.Errorf("finding %d: %q does not contain %q", i, f.Message, tc.want[i])
				}
				if tc.severity != nil && f.Severity != tc.severity[i] {
					t.Errorf("finding %d: severity %s, want %s", i, f.Severity, tc.severity[i])
				}
				if f.Check != c.ID || f.Fingerprint == "" || f.Location.File == "" {
					t.Errorf("finding %d lacks check, fingerprint or location: %+v", i, f)
				}
			}
		})
	}
}

func messages(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.Severity.String() + " " + f.Message + "\n")
	}
	return b.String()
}
