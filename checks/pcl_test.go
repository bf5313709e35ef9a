package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestPCL(t *testing.T) {
	event := map[string]any{"summary": `ALARM: "slo-7c3f2e-availability-page-fast" in US East`,
		"custom_details": map[string]any{"AlarmName": "slo-7c3f2e-availability-page-fast", "NewStateValue": "ALARM",
			"Trigger": map[string]any{"Threshold": 5.2, "MetricName": "Errors"}}}
	cases := []struct {
		expr string
		want bool
	}{
		{`event.custom_details.AlarmName matches "slo-7c3f2e-availability-page-fast"`, true},
		{`event.custom_details.AlarmName matches "slo-7c3f2e"`, false},
		{`event.custom_details.AlarmName matches part "7c3f2e"`, true},
		{`event.custom_details.AlarmName matches regex "^slo-[0-9a-f]{6}-"`, true},
		{`event.custom_details.Trigger.Threshold matches '5.2'`, true},
		{`event.custom_details.Trigger.Threshold matches "4.8"`, false},
		{`event.custom_details.Trigger exists`, true},
		{`event.custom_details.Missing exists`, false},
		{`event.custom_details.NewStateValue matches "OK" or event.summary matches part "ALARM"`, true},
		{`event.custom_details.NewStateValue matches "ALARM" and not (event.summary matches part "eu-west")`, true},
		{`NOT event.custom_details.AlarmName matches part "7c3f2e"`, false},
	}
	for _, c := range cases {
		e, err := parsePCL(c.expr)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if got := e.eval(event, nil); got != c.want {
			t.Errorf("%s = %v, want %v", c.expr, got, c.want)
		}
	}
	for _, bad := range []string{`event.x matches`, `event.x equals "a"`, `(event.x exists`, `event.x matches regex "("`, `x matches "a"`, `event.x matches "a`} {
		if _, err := parsePCL(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// PCL comes from live PagerDuty and from plans: whatever it says, parsing
// and evaluating it must return, never panic.
func FuzzParsePCL(f *testing.F) {
	for _, seed := range []string{
		`event.custom_details.AlarmName matches "slo-7c3f2e-availability-page-fast"`,
		`event.summary matches part 'ALARM' and not (event.custom_details.Trigger.Threshold matches "4.8")`,
		`event.custom_details.AlarmName matches regex "^slo-[0-9a-f]{6}-" or event.source exists`,
		`now in Mon,Tue 09:00:00 to 17:00:00 Europe/Berlin`,
		`((event.summary matches "a"`, `event.summary matches regex "("`, `"unterminated`,
	} {
		f.Add(seed)
	}
	event := alarmEvent(&model.Alarm{Name: "slo-7c3f2e-availability-page-fast", Region: "us-east-1", Threshold: model.Known(5.2),
		Dimensions: []model.Dimension{{Name: "TenantId", Value: "7c3f2e"}}})
	f.Fuzz(func(t *testing.T, s string) {
		e, err := parsePCL(s)
		if err != nil {
			if e != nil {
				t.Fatalf("%q: an error with an expression", s)
			}
			return
		}
		e.eval(event, nil)
		matched, err := ruleMatches(model.PDRule{Conditions: []string{s}}, event, nil)
		if err != nil || matched != e.eval(event, nil) {
			t.Fatalf("%q: ruleMatches %v, %v disagrees with eval", s, matched, err)
		}
	})
}
