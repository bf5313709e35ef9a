package checks

import (
	"maps"
	"slices"

	"github.com/driftgate/driftgate/model"
)

// BaselineChange reports alerts whose configuration changed since a previous audit.
var BaselineChange = &Check{
	ID:    "baseline-change",
	Title: "Alert configuration changed since the last audit",
	Doc: Doc{
		Summary: "With `check --baseline PREVIOUS_ATTESTATION`, compares the BLAKE3 checksum of every " +
			"normalised alert (declared and live) with the previous audit's, and reports each alert that " +
			"changed, was added or was removed, even when the repository did not change, plus one note that " +
			"counts them.",
		Example: "A live alarm was edited in the console since last night's sweep:\n\n" +
			"    alert live/123456789012/us-east-1/slo-7c3f2e-availability-page-fast-5m changed since the audit recorded in baseline.json",
		Why: "Console edits, scripts and other pipelines change alerting outside review; an audit trail " +
			"must show what moved between two audits, not only what differs from the code today.",
		Fix: "Review each change: bring intended ones into the code, revert the others, and keep the new attestation as the next baseline.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"audit"},
	Needs:           []model.Feed{model.FeedBaseline},
	Uses:            []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runBaselineChange,
}

func runBaselineChange(pass *Pass) {
	base, now := pass.World.Baseline, pass.World.AlertDigests
	if base == nil {
		return
	}
	alarms := map[string]*model.Alarm{}
	for _, a := range pass.World.Declared {
		alarms[a.Identity()] = a
	}
	if pass.World.Live != nil {
		for _, a := range pass.World.Live.Alarms {
			alarms[a.Identity()] = a
		}
	}
	counts := map[string]int{}
	report := func(id, what string) {
		counts[what]++
		f := Finding{Subject: id, Location: pass.World.Anchor, Identity: id + "/" + what}
		if a, ok := alarms[id]; ok {
			f.Tenant, f.Location = a.Tenant, pass.alarmLocation(a)
		}
		pass.Reportf(f, "alert %s %s since the audit recorded in %s", id, what, base.File)
	}
	for _, id := range slices.Sorted(maps.Keys(now)) {
		old, ok := base.Alerts[id]
		switch {
		case !ok:
			report(id, "was added")
		case old != now[id]:
			report(id, "changed")
		}
	}
	for _, id := range slices.Sorted(maps.Keys(base.Alerts)) {
		if _, ok := now[id]; !ok {
			report(id, "was removed")
		}
	}
	if total := counts["changed"] + counts["was added"] + counts["was removed"]; total > 0 {
		pass.Reportf(Finding{Severity: SeverityNote, Subject: base.File, Location: pass.World.Anchor, Identity: "summary"},
			"%d alert configuration(s) diverged since the audit recorded in %s: %d changed, %d added, %d removed",
			total, base.File, counts["changed"], counts["was added"], counts["was removed"])
	}
}
