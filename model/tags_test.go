package model

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

func TestTagsSortAndGet(t *testing.T) {
	ts := SortTags([]Tag{{"Tenant", "a"}, {"SLO", "availability"}, {"Tenant", "b"}, {"Env", "prod"}, {"Tenant", "c"}})
	want := Tags{{"Env", "prod"}, {"SLO", "availability"}, {"Tenant", "c"}}
	if !slices.Equal(ts, want) {
		t.Fatalf("sorted %v, want %v (a repeated key keeps its last value)", ts, want)
	}
	for key, value := range map[string]string{"Env": "prod", "SLO": "availability", "Tenant": "c", "tenant": "", "": "", "Zone": ""} {
		if got := ts.Get(key); got != value {
			t.Errorf("Get(%q) = %q, want %q", key, got, value)
		}
	}
	if SortTags(nil) != nil || Tags(nil).Get("Tenant") != "" {
		t.Error("no tags must stay nil and find nothing")
	}
}

// ShareStrings changes no value, and two alarms mapped through one table
// hold one copy of what they repeat.
func TestShareStringsKeepsValuesAndSharesCopies(t *testing.T) {
	mk := func() *Alarm {
		c := strings.Clone
		return &Alarm{Name: c("a"), Operator: c("GreaterThanThreshold"), Statistic: c("Sum"), Namespace: c("Acme"), MetricName: c("Errors"),
			TreatMissingData: c("breaching"), State: c("OK"), AlarmActions: []string{c("arn:sns:page")}, OKActions: []string{c("arn:sns:page")},
			Dimensions: []Dimension{{Name: c("TenantId"), Value: c("7c3f2e")}}, Tags: Tags{{Key: c("Tenant"), Value: c("7c3f2e")}},
			Metrics: []MetricQuery{{ID: c("m1"), Expression: c("100 * e"), Namespace: c("Acme"), Stat: c("Sum"),
				Dimensions: []Dimension{{Name: c("TenantId"), Value: c("7c3f2e")}}}},
			Live: &LiveExtra{Description: c("error rate"), Unit: c("Percent")}}
	}
	table := map[string]string{}
	of := func(s string) string {
		if c, ok := table[s]; ok {
			return c
		}
		table[s] = s
		return s
	}
	a, b := mk(), mk()
	a.ShareStrings(of)
	b.ShareStrings(of)
	if !reflect.DeepEqual(a, mk()) || !reflect.DeepEqual(b, mk()) {
		t.Fatal("sharing strings changed a value")
	}
	for what, pair := range map[string][2]string{
		"operator": {a.Operator, b.Operator}, "action": {a.AlarmActions[0], b.OKActions[0]},
		"dimension": {a.Dimensions[0].Value, b.Metrics[0].Dimensions[0].Value}, "tag": {a.Tags[0].Value, b.Dimensions[0].Value},
		"namespace": {a.Metrics[0].Namespace, b.Namespace}, "description": {a.Live.Description, b.Live.Description},
	} {
		if unsafe.StringData(pair[0]) != unsafe.StringData(pair[1]) {
			t.Errorf("%s: two copies of %q", what, pair[0])
		}
	}
}
