package config

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

const good = `version: 1
tenants:
  - id: "7c3f2e"
    bucket: silver
  - id: c0ffee
    bucket: gold
conventions:
  tenant_tag: Tenant
  tenant_dimension: TenantId
  alarm_name: '^slo-(?P<tenant>[0-9a-f]{6})-(?P<slo>[a-z]+)-(?P<tier>page|ticket)-(?P<window>[0-9]+[mhd])$'
  threshold_unit: percent
managed:
  namespaces: [Acme/Checkout]
  name_prefixes: [slo-]
inputs:
  plans: [plan.json]
  terraform_dir: terraform
  live: live.json
checks:
  fail_on: warning
  drift_tolerance_percent: 2.5
  disable: [unmanaged-alarm]
  severity:
    terraform-drift: warning
ignore:
  - address: 'module.tenant["*"].aws_cloudwatch_metric_alarm.*'
    attribute: tags.*
    checks: [terraform-drift]
    reason: tags are owned by the FinOps pipeline
`

func TestParseGoodConfig(t *testing.T) {
	c, err := Parse("ci/.driftgate.yml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Settings()
	if !s.Disabled["unmanaged-alarm"] || s.Severity["terraform-drift"] != checks.SeverityWarning || s.DriftTolerance != 0.025 {
		t.Errorf("settings: %+v", s)
	}
	if got := c.Resolve("plan.json"); got != "ci/plan.json" {
		t.Errorf("inputs resolve relative to the config file: %s", got)
	}
	if len(c.ModelTenants()) != 2 {
		t.Errorf("tenants: %v", c.ModelTenants())
	}
}

func TestParseReportsEveryProblemWithPosition(t *testing.T) {
	cases := []struct {
		name, data string
		want       []string
	}{
		{"unknown key", "version: 1\ntenants: []\nmanagd:\n  namespaces: [x]\n", []string{"cfg.yml:3:1:", "unknown key \"managd\" (known here: version, tenants, conventions, managed,"}},
		{"every structural problem at once, in file order, in the file's words", `version: 1
tenants:
  - id: a
    bukcet: gold
checks:
  drift_tolerance_percent: lots
  disable: alarm-drift
aws:
  regions: us-east-1
  timeout: [2m]
evidence:
  flapping_transitions: 2.5
`, []string{
			"cfg.yml:4:5: tenants[0]: unknown key \"bukcet\" (known here: id, bucket, events_per_minute)",
			"cfg.yml:6:28: checks.drift_tolerance_percent: expected a number, found text \"lots\"",
			"cfg.yml:7:12: checks.disable: expected a list, found text \"alarm-drift\"",
			"cfg.yml:9:12: aws.regions: expected a list, found text \"us-east-1\"",
			"cfg.yml:10:12: aws.timeout: expected text, found a list",
			"cfg.yml:12:25: evidence.flapping_transitions: expected a whole number, found the number 2.5",
		}},
		{"a history URL with a password, never repeated", "version: 1\nhistory:\n  url: postgres://dg:hunter2@db/dg\n", []string{
			"cfg.yml:3:8: history url carries a password: a committed config is no place for one"}},
		{"a history URL of another kind", "version: 1\nhistory:\n  url: mysql://db/dg?password=x\n", []string{
			"cfg.yml:3:8: history url must be sqlite:PATH or postgres://"}},
		{"wrong type", "version: 1\ncheck:\n  fail_on: 3\n", []string{"cfg.yml:2:1:"}},
		{"nested wrong type", "version: 1\nchecks:\n  drift_tolerance_percent: lots\n", []string{"cfg.yml:3:"}},
		{"a tag where a list belongs (a decoder panic upstream)", "version: 1\ninputs:\n  plans: !foo\n", []string{"cfg.yml:3:10: value has a YAML tag driftgate cannot read here"}},
		{"syntax error", "version: 1\ntenants: [\n", []string{"cfg.yml:"}},
		{"empty", "", []string{"config is empty"}},
		{"ignore rules that expire and checks that are locked", `version: 1
checks:
  locked: [alarm-drift, no-such]
  disable: [alarm-drift]
ignore:
  - address: "x"
    reason: adopted
    until: next year
  - address: "y"
    reason: adopted
    checks: [alarm-drift]
`, []string{
			"cfg.yml:3:25: unknown check \"no-such\"",
			"cfg.yml:4:13: check \"alarm-drift\" is locked: it cannot be disabled",
			"cfg.yml:8:12: until must be a date like 2027-03-31, found \"next year\"",
			"cfg.yml:11:14: check \"alarm-drift\" is locked: it cannot be ignored",
		}},
		{"nested 100,000 deep", "version: 1\ntenants: " + strings.Repeat("[", 100000) + "\n", []string{"cfg.yml:2:266: nested more than 256 levels deep"}},
		{"numbers that are not numbers", `version: 1
tenants:
  - id: a
    events_per_minute: -5
  - id: b
    events_per_minute: .inf
checks:
  drift_tolerance_percent: .nan
  slo_tolerance_percent: -.inf
pagerduty:
  timeout: 0s
  thresholds:
    - tenant: a
      threshold_percent: .nan
`, []string{
			"cfg.yml:4:24: events_per_minute must be a number of at least 0, found -5",
			"cfg.yml:6:24: events_per_minute must be a number of at least 0, found +Inf",
			"cfg.yml:8:28: drift_tolerance_percent must be between 0 and 100, found NaN",
			"cfg.yml:9:26: slo_tolerance_percent must be between 0 and 100, found -Inf",
			"cfg.yml:11:12: duration \"0s\" must be positive",
			"cfg.yml:14:26: threshold_percent must be above 0 and at most 100, found NaN",
		}},
		{"every semantic problem at once", `version: 2
tenants:
  - id: a
  - id: a
  - bucket: gold
conventions:
  alarm_name: '(?P<customer>x)'
  threshold_unit: basis-points
checks:
  fail_on: critical
  disable: [no-such-check]
  severity:
    alarm-drift: fatal
ignore:
  - attribute: tags
`, []string{
			"cfg.yml:1:10: version must be 1",
			"cfg.yml:4:9: duplicate tenant \"a\"",
			"cfg.yml:5:11: tenant has no id",
			"alarm_name has group \"customer\"",
			"cfg.yml:8:19: threshold_unit must be ratio or percent",
			"cfg.yml:10:12: unknown severity \"critical\"",
			"cfg.yml:11:13: unknown check \"no-such-check\"",
			"severity must be error, warning or note, found \"fatal\"",
			"cfg.yml:15:14: ignore rule matches everything: give an address, tenant, account, region, stack or checks",
			"cfg.yml:15:14: ignore rule has no reason: say why it is ignored",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("cfg.yml", []byte(c.data))
			if err == nil {
				t.Fatal("no error")
			}
			if !input.IsInputError(err) {
				t.Errorf("not an input error: %v", err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error repeats a password: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestClassify(t *testing.T) {
	c, err := Parse("c.yml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		alarm model.Alarm
		want  model.Alarm
	}{
		{"name convention gives tenant, SLO, tier and window; percent becomes a ratio",
			model.Alarm{Name: "slo-7c3f2e-availability-page-5m", Threshold: model.Known(5.2)},
			model.Alarm{Tenant: "7c3f2e", SLO: "availability", Tier: "page", Window: "5m", ThresholdRatio: model.Known(0.052)}},
		{"the dimension wins over the name",
			model.Alarm{Name: "slo-7c3f2e-availability-page-5m", Dimensions: []model.Dimension{{Name: "TenantId", Value: "c0ffee"}}},
			model.Alarm{Tenant: "c0ffee", SLO: "availability", Tier: "page", Window: "5m"}},
		{"a math metric's dimension counts",
			model.Alarm{Name: "x", Metrics: []model.MetricQuery{{Dimensions: []model.Dimension{{Name: "TenantId", Value: "c0ffee"}}}}},
			model.Alarm{Tenant: "c0ffee"}},
		{"the tag wins over everything",
			model.Alarm{Name: "slo-7c3f2e-availability-page-5m", Tags: model.Tags{{Key: "Tenant", Value: "abc123"}}},
			model.Alarm{Tenant: "abc123", SLO: "availability", Tier: "page", Window: "5m"}},
		{"nothing matches: no tenant, unknown ratio",
			model.Alarm{Name: "cpu-high"}, model.Alarm{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.alarm
			c.Classify(&a)
			if a.Tenant != tc.want.Tenant || a.SLO != tc.want.SLO || a.Tier != tc.want.Tier || a.Window != tc.want.Window {
				t.Errorf("got tenant=%q slo=%q tier=%q window=%q", a.Tenant, a.SLO, a.Tier, a.Window)
			}
			if a.ThresholdRatio.Known != tc.want.ThresholdRatio.Known || math.Abs(a.ThresholdRatio.Value-tc.want.ThresholdRatio.Value) > 1e-12 {
				t.Errorf("ratio %v, want %v", a.ThresholdRatio, tc.want.ThresholdRatio)
			}
		})
	}
}

func TestDefaultsPutEveryAlarmInTheImplicitTenant(t *testing.T) {
	c := Default()
	a := model.Alarm{Name: "anything", Threshold: model.Known(3)}
	c.Classify(&a)
	if a.Tenant != ImplicitTenant || a.ThresholdRatio.Known {
		t.Errorf("tenant %q ratio %v: want the implicit tenant and an unknown ratio (unit not declared)", a.Tenant, a.ThresholdRatio)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("version: 1\ntenants: [{id: a}]\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yml", data)
		if err != nil {
			if !input.IsInputError(err) {
				t.Fatalf("error is not an input error: %v", err)
			}
			return
		}
		c.Settings()
		a := model.Alarm{Name: "slo-abc"}
		c.Classify(&a)
	})
}

func TestPagerDutyThresholds(t *testing.T) {
	c, err := Parse("ci/.driftgate.yml", []byte(good+`pagerduty:
  thresholds:
    - tenant: "7c3f2e"
      tier: page
      window: 5m
      threshold_percent: 4.8
      note: escalation runbook
`))
	if err != nil {
		t.Fatal(err)
	}
	got := c.Settings().PagerDutyThresholds
	if len(got) != 1 || got[0].Tenant != "7c3f2e" || got[0].Window.Minutes() != 5 || math.Abs(got[0].Ratio-0.048) > 1e-12 ||
		got[0].Location != (model.Location{File: "ci/.driftgate.yml", Line: 32}) {
		t.Errorf("thresholds: %+v", got)
	}
	_, err = Parse("cfg.yml", []byte(good+`pagerduty:
  thresholds:
    - tier: page
      threshold_percent: 4.8
    - tenant: abcdef
      window: 5 parsecs
      threshold_percent: 480
`))
	for _, w := range []string{"cfg.yml:32:11: threshold has no tenant", "cfg.yml:34:15: tenant \"abcdef\" is not in tenants",
		"cfg.yml:35:15: invalid duration", "cfg.yml:36:26: threshold_percent must be above 0 and at most 100, found 480"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error does not contain %q:\n%v", w, err)
		}
	}
}

// The complete example in docs/config.md is a valid config.
func TestDocumentedExampleParses(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "config.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "## Complete example")
	if !ok {
		t.Fatal("docs/config.md has no complete example")
	}
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	example, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("the example's yaml block is not closed")
	}
	c, err := Parse("docs/config.md", []byte(example))
	if err != nil {
		t.Fatalf("the documented example does not parse:\n%v", err)
	}
	if len(c.PagerDuty.Thresholds) == 0 || len(c.SLOs) == 0 || len(c.AWS.Accounts) == 0 {
		t.Errorf("the example lost sections: %+v", c)
	}
}
