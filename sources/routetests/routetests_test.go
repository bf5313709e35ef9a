package routetests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// loadErr loads a file of the given body and returns its error.
func loadErr(t *testing.T, body string) error {
	t.Helper()
	p := filepath.Join(t.TempDir(), "routes.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(p, "routes.yaml")
	return err
}

func TestLoad(t *testing.T) {
	p := filepath.Join(t.TempDir(), "routes.yaml")
	os.WriteFile(p, []byte(`version: 1
cases:
  - name: page
    alarm: slo-7c3f2e-availability-page-fast
    expect: {service: checkout-7c3f2e, urgency: high, escalation_policy: EP1, paged_within: 1h}
  - name: event
    event: {alarm_name: new, topic: "arn:aws:sns:us-east-1:1:t", dimensions: {TenantId: abc123, Region: x}, threshold: 0.5}
    expect: {service: tickets}
`), 0o644)
	cases, err := Load(p, "routes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 {
		t.Fatalf("%d cases", len(cases))
	}
	c := cases[0]
	if c.Alarm != "slo-7c3f2e-availability-page-fast" || c.Service != "checkout-7c3f2e" || c.Urgency != "high" ||
		c.EscalationPolicy != "EP1" || c.PagedWithin != time.Hour || c.Location.Line != 3 || c.Event != nil {
		t.Errorf("case 0: %+v", c)
	}
	e := cases[1].Event
	if e == nil || e.Name != "new" || len(e.AlarmActions) != 1 || e.AlarmActions[0] != "arn:aws:sns:us-east-1:1:t" ||
		len(e.Dimensions) != 2 || e.Dimensions[0].Name != "Region" || e.Threshold.Value != 0.5 || cases[1].Location.Line != 6 {
		t.Errorf("case 1 event: %+v", e)
	}
}

func TestLoadReportsEveryProblemWithItsLine(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"version: 2\ncases: []\n", "routes.yaml:1"},
		{"version: 1\ncases:\n  - alarm: a\n    expect: {service: s}\n", "case has no name"},
		{"version: 1\ncases:\n  - name: x\n    expect: {service: s}\n", "needs an alarm or an event"},
		{"version: 1\ncases:\n  - name: x\n    alarm: a\n    expect: {}\n", `case "x" expects nothing`},
		{"version: 1\ncases:\n  - name: x\n    event: {alarm_name: a}\n    expect: {service: s}\n", "an event needs alarm_name and topic"},
		{"version: 1\ncases:\n  - name: x\n    alarm: a\n    expect: {servce: s}\n", "servce"},
		{"version: 1\ncases:\n  - name: x\n    alarm: a\n    expect: {paged_within: soon}\n", "routes.yaml:5"},
		{"", "empty"},
	} {
		err := loadErr(t, tc.body)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.body, err, tc.want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.yaml"), "none.yaml"); err == nil || !strings.Contains(err.Error(), "none.yaml") {
		t.Errorf("a missing file: %v", err)
	}
}
