package model

import (
	"reflect"
	"testing"
)

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

// Equal compares field by field: changing any one field of the canonical
// form, or of one of its metric queries, must make it unequal.
func TestCanonicalEqualSeesEveryField(t *testing.T) {
	threshold := 4.8
	base := func() CanonicalAlarm {
		return CanonicalAlarm{Name: "a", Kind: KindMetricMath, Threshold: &threshold, Operator: "GreaterThanThreshold", Period: 60,
			EvaluationPeriods: 5, DatapointsToAlarm: 3, Statistic: "Sum", Namespace: "Acme", MetricName: "Errors",
			Dimensions: []Dimension{{Name: "TenantId", Value: "7c3f2e"}}, TreatMissingData: "missing", ActionsEnabled: true,
			AlarmActions: []string{"arn:a"}, OKActions: []string{"arn:o"}, InsufficientData: []string{"arn:i"}, AlarmRule: "ALARM(x)",
			Metrics: []MetricQuery{{ID: "m1", Expression: "e", Label: "l", ReturnData: true, Namespace: "Acme", MetricName: "Errors",
				Dimensions: []Dimension{{Name: "TenantId", Value: "7c3f2e"}}, Period: 60, Stat: "Sum"}}}
	}
	if !base().Equal(base()) {
		t.Fatal("equal forms compare unequal")
	}
	change := func(t *testing.T, v reflect.Value) {
		if !changeField(v) {
			t.Fatalf("no way to change a %s: extend changeField and Equal", v.Type())
		}
	}
	typ := reflect.TypeFor[CanonicalAlarm]()
	for i := range typ.NumField() {
		c := base()
		change(t, reflect.ValueOf(&c).Elem().Field(i))
		if base().Equal(c) || c.Equal(base()) {
			t.Errorf("a different %s compares equal", typ.Field(i).Name)
		}
	}
	qt := reflect.TypeFor[MetricQuery]()
	for i := range qt.NumField() {
		c := base()
		c.Metrics = []MetricQuery{c.Metrics[0]}
		change(t, reflect.ValueOf(&c.Metrics[0]).Elem().Field(i))
		if base().Equal(c) {
			t.Errorf("a metric query with a different %s compares equal", qt.Field(i).Name)
		}
	}
	d := base()
	d.Dimensions = []Dimension{{Name: "TenantId", Value: "9f8e7d"}}
	if base().Equal(d) {
		t.Error("a different dimension value compares equal")
	}
	unknown := base()
	unknown.Threshold = nil
	if base().Equal(unknown) || unknown.Equal(base()) || !unknown.Equal(unknown) {
		t.Error("an unknown threshold equals only an unknown one")
	}
}

// WrittenAlike may say two alarms have the same canonical form only when they
// do: every field of an alarm, and of its metric queries, that changes the
// canonical form when changed alone must make it false.
func TestWrittenAlikeOnlyWhenCanonicallyEqual(t *testing.T) {
	base := func() *Alarm {
		return &Alarm{Name: "a", Kind: KindMetricMath, Threshold: Known(4.8), Operator: "GreaterThanThreshold", Period: 60,
			EvaluationPeriods: 5, DatapointsToAlarm: 3, Statistic: "Sum", ExtendedStatistic: "p99", Namespace: "Acme",
			MetricName: "Errors", Dimensions: []Dimension{{Name: "TenantId", Value: "7c3f2e"}}, TreatMissingData: "missing",
			ActionsEnabled: true, AlarmActions: []string{"arn:a"}, OKActions: []string{"arn:o"}, InsufficientData: []string{"arn:i"},
			AlarmRule: "ALARM(x)", Tenant: "7c3f2e", Tags: Tags{{Key: "Tenant", Value: "7c3f2e"}},
			Metrics: []MetricQuery{{ID: "m1", Expression: "e", Label: "l", ReturnData: true, Namespace: "Acme", MetricName: "Errors",
				Dimensions: []Dimension{{Name: "TenantId", Value: "7c3f2e"}}, Period: 60, Stat: "Sum"}}}
	}
	if !WrittenAlike(base(), base()) {
		t.Fatal("an alarm is not written like its copy: the shortcut would never be taken")
	}
	changed := 0
	check := func(what string, a *Alarm) {
		if a.Canonical().Equal(base().Canonical()) {
			return // a field the canonical form does not read (tenant, tags, location, ...)
		}
		changed++
		if WrittenAlike(base(), a) || WrittenAlike(a, base()) {
			t.Errorf("changing %s changes the canonical form, but the alarms are said to be written alike", what)
		}
	}
	typ := reflect.TypeFor[Alarm]()
	for i := range typ.NumField() {
		a := base()
		if !changeField(reflect.ValueOf(a).Elem().Field(i)) {
			continue
		}
		check(typ.Field(i).Name, a)
	}
	qt := reflect.TypeFor[MetricQuery]()
	for i := range qt.NumField() {
		a := base()
		changeField(reflect.ValueOf(&a.Metrics[0]).Elem().Field(i))
		check("metric query "+qt.Field(i).Name, a)
	}
	unknown := base()
	unknown.Threshold = Unknown
	check("an unknown threshold", unknown)
	if changed < 25 {
		t.Errorf("only %d changes reached the canonical form; the test no longer changes what it should", changed)
	}
}

// changeField sets a field to another value of its type; false for kinds it
// cannot change (pointers other than to numbers, maps).
func changeField(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Int:
		v.SetInt(v.Int() + 1)
	case reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Slice:
		v.Set(reflect.Append(v.Slice(0, v.Len()), reflect.New(v.Type().Elem()).Elem()))
	case reflect.Pointer:
		if v.Type().Elem().Kind() != reflect.Float64 {
			return false
		}
		other := 5.2
		v.Set(reflect.ValueOf(&other))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Field(i).CanSet() && changeField(v.Field(i)) {
				return true
			}
		}
		return false
	default:
		return false
	}
	return true
}
