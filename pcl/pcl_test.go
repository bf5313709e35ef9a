package pcl

import (
	"testing"
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
		e, err := Parse(c.expr)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if got := e.Eval(event, nil); got != c.want {
			t.Errorf("%s = %v, want %v", c.expr, got, c.want)
		}
	}
	for _, bad := range []string{`event.x matches`, `event.x equals "a"`, `(event.x exists`, `event.x matches regex "("`, `x matches "a"`, `event.x matches "a`} {
		if _, err := Parse(bad); err == nil {
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
	event := map[string]any{"summary": `ALARM: "slo-7c3f2e-availability-page-fast" in US East (N. Virginia)`, "source": "aws.cloudwatch",
		"custom_details": map[string]any{"AlarmName": "slo-7c3f2e-availability-page-fast", "NewStateValue": "ALARM", "Region": "us-east-1",
			"Trigger": map[string]any{"Threshold": 5.2, "Dimensions": []any{map[string]any{"name": "TenantId", "value": "7c3f2e"}}}}}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			if e != nil {
				t.Fatalf("%q: an error with an expression", s)
			}
			return
		}
		first := e.Eval(event, nil)
		var c Cache
		again, err := c.Parse(s)
		if err != nil || again.Eval(event, nil) != first {
			t.Fatalf("%q: parsed through the cache it evaluates differently", s)
		}
	})
}

func TestTheCacheParsesEachConditionOnce(t *testing.T) {
	var c Cache
	a, _ := c.Parse(`event.summary exists`)
	b, _ := c.Parse(`event.summary exists`)
	_, err1 := c.Parse(`event.x matches`)
	_, err2 := c.Parse(`event.x matches`)
	if a != b || c.Len() != 2 || err1 == nil || err2 == nil {
		t.Errorf("same expression %v, %d parsed, errors %v %v", a == b, c.Len(), err1, err2)
	}
}
