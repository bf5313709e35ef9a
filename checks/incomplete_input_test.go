package checks

import (
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestIncompleteInput(t *testing.T) {
	runCases(t, IncompleteInput, []checkCase{
		{name: "complete plan and live: nothing"},
		{name: "partial plan",
			mutate: func(w *model.World, s *Settings) { w.Plans[0].Complete = false },
			want:   []string{"plan plan.json is partial (complete: false)"}},
		{name: "errored plan",
			mutate: func(w *model.World, s *Settings) { w.Plans[0].Complete, w.Plans[0].Errored = false, true },
			want:   []string{"(errored: true)"}},
		{name: "a live region that could not be read",
			mutate: func(w *model.World, s *Settings) {
				w.Live.Sources[0].Complete, w.Live.Sources[0].Error = false, "ThrottlingException after 5 retries"
			},
			want: []string{"live CloudWatch alarms 1/us-east-1 could not be read completely: ThrottlingException after 5 retries"}},
	})
}

func TestInconclusiveEvenWhenTheCheckIsDisabled(t *testing.T) {
	w := baseWorld()
	w.Live.Sources[0].Complete, w.Live.Sources[0].Error = false, "AccessDenied"
	s := defaultSettings()
	s.Disabled["incomplete-input"] = true
	findings, _ := Run(w, s, All)
	r := &Result{FailOn: SeverityError, Findings: findings, Inconclusive: InconclusiveReasons(w)}
	if r.Status() != StatusInconclusive || r.ExitCode() != ExitInconclusive {
		t.Fatalf("status %s exit %d, want inconclusive 3", r.Status(), r.ExitCode())
	}
}
