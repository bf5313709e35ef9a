package model

import "testing"

// One canonical form, tested once: alarms that differ only in how they were
// written are Equal; alarms that differ in what they do are not.
func TestCanonicalAlarm(t *testing.T) {
	base := func() *Alarm {
		return &Alarm{Name: "a", Kind: KindMetricMath, Threshold: Known(4.8), Operator: "GreaterThanThreshold", EvaluationPeriods: 1,
			AlarmActions: []string{"b", "a"}, ActionsEnabled: true,
			Metrics: []MetricQuery{
				{ID: "rate", Expression: "100 * errors / requests", ReturnData: true},
				{ID: "errors", Namespace: "Acme", MetricName: "Errors", Stat: "Sum", Period: 300,
					Dimensions: []Dimension{{Name: "TenantId", Value: "7c3f2e"}, {Name: "SLO", Value: "availability"}}},
			}}
	}
	same := map[string]func(a *Alarm){
		"actions in another order":                func(a *Alarm) { a.AlarmActions = []string{"a", "b"} },
		"treat missing data left to its default":  func(a *Alarm) { a.TreatMissingData = "missing" },
		"datapoints to alarm spelled out as N":    func(a *Alarm) { a.DatapointsToAlarm = 1 },
		"the expression without spaces":           func(a *Alarm) { a.Metrics[0].Expression = "100*errors/requests" },
		"metrics and dimensions in another order": func(a *Alarm) { a.Metrics[0], a.Metrics[1] = a.Metrics[1], a.Metrics[0] },
	}
	for name, change := range same {
		a, b := base(), base()
		change(b)
		if !a.Canonical().Equal(b.Canonical()) {
			t.Errorf("%s: must be the same alarm:\n%+v\n%+v", name, a.Canonical(), b.Canonical())
		}
	}
	rule := func(r string) CanonicalAlarm { return (&Alarm{Kind: KindComposite, AlarmRule: r}).Canonical() }
	if !rule(`ALARM("arn:aws:cloudwatch:us-east-1:1:alarm:x") AND ALARM("y")`).Equal(rule(`alarm(x) and ALARM(y)`)) {
		t.Error("a composite rule by ARN, or in lower case without quotes, is the same rule")
	}
	differ := map[string]func(a *Alarm){
		"threshold":  func(a *Alarm) { a.Threshold = Known(5.2) },
		"expression": func(a *Alarm) { a.Metrics[0].Expression = "100 * errors / total" },
		"dimension":  func(a *Alarm) { a.Metrics[1].Dimensions[0].Value = "9f8e7d" },
		"action":     func(a *Alarm) { a.AlarmActions = []string{"a"} },
		"missing":    func(a *Alarm) { a.TreatMissingData = "breaching" },
	}
	for name, change := range differ {
		a, b := base(), base()
		change(b)
		if a.Canonical().Equal(b.Canonical()) {
			t.Errorf("a different %s must not compare equal", name)
		}
	}
	for in, want := range map[string]string{
		"100*errors/requests":       "100 * errors / requests",
		`SUM(METRICS("e"))`:         `SUM(METRICS("e"))`,
		"IF(m1 > 1, m2, m3)":        "IF(m1 > 1, m2, m3)",
		`FILL(m1,  REPEAT) + m2 *2`: "FILL(m1, REPEAT) + m2 * 2",
		// Characters, not bytes: a letter of several bytes stays whole, and
		// any Unicode space separates.
		"é*2":               "é * 2",
		"日本(m1)":            "日本(m1)",
		"m1\u00a0+\u2003m2": "m1 + m2",
		`"a b"+ 'c\'d'`:     `"a b" + 'c\'d'`,
		"\t( ( m1 ) )":      "((m1))",
		"a\\b":              "a \\ b",
	} {
		if got := CanonicalExpression(in); got != want {
			t.Errorf("CanonicalExpression(%q) = %q, want %q", in, got, want)
		}
	}
}
