package model

import (
	"slices"
	"testing"
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
