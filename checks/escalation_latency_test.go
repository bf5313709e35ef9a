package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestEscalationLatency(t *testing.T) {
	runCases(t, EscalationLatency, pdCases([]checkCase{
		{name: "15 minutes to the second level, within every budget: nothing"},
		{name: "three levels 30 minutes apart outlast a 99.9% budget, not a 99.5% one",
			mutate: func(w *model.World, s *Settings) {
				w.Live.PagerDuty.EscalationPolicies[0].Rules = []model.PDEscalationRule{{DelayMinutes: 30}, {DelayMinutes: 30}, {DelayMinutes: 30}}
			},
			want: []string{"tenant aa0001 tier page: 51.8s to detect at 100% errors plus 1h to reach the last of 3 escalation levels exceeds the 43.2m error budget of SLO availability (99.9% over 30d)",
				"aa0002", "aa0003", "aa0004"}},
		{name: "the plan lengthens the escalation policy: caught at the policy's line before it applies",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				ep := w.Routing.EscalationPolicies[0]
				ep.Declared.Action, ep.Declared.Location = model.ActionUpdate, model.Location{File: "pagerduty.tf", Line: 12}
				ep.Rules = []model.PDEscalationRule{{DelayMinutes: 30}, {DelayMinutes: 30}, {DelayMinutes: 30}}
				w.Tenants = w.Tenants[:1]
			},
			want: []string{"tenant aa0001 tier page: 51.8s to detect at 100% errors plus 1h to reach the last of 3 escalation levels exceeds the 43.2m error budget of SLO availability (99.9% over 30d) once this change's PagerDuty routing applies"}},
	}))
}

func TestPlannedEscalationFindingSitsAtThePolicy(t *testing.T) {
	w, s := sloWorld(), defaultSettings()
	withPagerDuty(w)
	withDeclaredRouting(w)
	ep := w.Routing.EscalationPolicies[0]
	ep.Declared.Action, ep.Declared.Location = model.ActionUpdate, model.Location{File: "pagerduty.tf", Line: 12}
	ep.Rules = []model.PDEscalationRule{{DelayMinutes: 30}, {DelayMinutes: 30}, {DelayMinutes: 30}}
	got := runOne(EscalationLatency, w, s)
	if len(got) == 0 {
		t.Fatal("no finding")
	}
	for _, f := range got {
		if f.Location.File != "pagerduty.tf" || f.Location.Line != 12 {
			t.Errorf("%s at %+v, want pagerduty.tf:12", f.Message, f.Location)
		}
	}
}
