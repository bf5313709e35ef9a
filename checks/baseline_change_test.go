package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestBaselineChange(t *testing.T) {
	withBaseline := func(now, before map[string]string) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) {
			w.AlertDigests, w.Baseline = now, &model.Baseline{File: "prev.json", Alerts: before}
		}
	}
	runCases(t, BaselineChange, []checkCase{
		{name: "no baseline: nothing"},
		{name: "the same checksums: nothing",
			mutate: withBaseline(map[string]string{"a": "1", "b": "2"}, map[string]string{"a": "1", "b": "2"})},
		{name: "changed, added and removed, with a count",
			mutate: withBaseline(map[string]string{"a": "1", "b": "9", "c": "3"}, map[string]string{"a": "1", "b": "2", "d": "4"}),
			want: []string{
				"alert b changed since the audit recorded in prev.json",
				"alert c was added since the audit recorded in prev.json",
				"alert d was removed since the audit recorded in prev.json",
				"3 alert configuration(s) diverged since the audit recorded in prev.json: 1 changed, 1 added, 1 removed",
			},
			severity: []Severity{SeverityWarning, SeverityWarning, SeverityWarning, SeverityNote}},
		{name: "a changed declared alarm is attributed to its tenant and line",
			mutate: func(w *model.World, s *Settings) {
				a := declared(w, "slo-c0ffee-availability-page-fast-5m")
				withBaseline(map[string]string{a.Identity(): "new"}, map[string]string{a.Identity(): "old"})(w, s)
			},
			want: []string{"alert declared/terraform/aws_cloudwatch_metric_alarm.a3 changed", "1 alert configuration(s) diverged"}},
	})
	w, s := baseWorld(), defaultSettings()
	a := declared(w, "slo-c0ffee-availability-page-fast-5m")
	w.AlertDigests, w.Baseline = map[string]string{a.Identity(): "new"}, &model.Baseline{File: "prev.json", Alerts: map[string]string{a.Identity(): "old"}}
	got := runOne(BaselineChange, w, s)
	if got[0].Tenant != "c0ffee" || got[0].Location != a.Location {
		t.Errorf("finding %+v is not attributed to the alarm", got[0])
	}
}
