package checks

import (
	"github.com/driftgate/driftgate/model"
)

// WouldHavePaged replays each alarm's evaluation over its own series.
var WouldHavePaged = &Check{
	ID:    "would-have-paged",
	Title: "What the alarm would have done over the lookback",
	Doc: Doc{
		Summary: "Replays each live alarm's own evaluation (threshold and comparison, period, evaluation periods, " +
			"datapoints to alarm, treat-missing-data) over its series in the lookback and counts how often it " +
			"would have gone to ALARM and for how long. Reports page-tier alarms that would have paged (a note, " +
			"with the alarm history's count beside it), and any alarm whose history disagrees with the replay " +
			"(a warning: it was edited within the lookback, or it does not evaluate what its definition says).",
		Example: "Tenant d4e5f6's 5m page alarm crossed 4.8 % this morning and stayed there:\n\n" +
			"    alarm slo-d4e5f6-availability-page-fast-5m would have paged 1 time in 24h (8h5m in ALARM); its history shows 1",
		Why: "It shows what an alarm really does with real traffic, before a reviewer has to find out during an incident.",
		Fix: "For disagreements, look at the alarm's configuration history and what changed; for pages, check that the page was answered.",
	},
	DefaultSeverity: SeverityNote,
	Tags:            []string{"evidence", "cloudwatch"},
	Needs:           []model.Feed{model.FeedMetrics},
	Uses:            []model.Feed{model.FeedHistory, model.FeedSLO, model.FeedDeclared},
	Run:             runWouldHavePaged,
}

func runWouldHavePaged(pass *Pass) {
	v := pass.evidence()
	if v == nil {
		return
	}
	historyRead, _ := pass.World.FeedReads().Available(model.FeedHistory)
	for _, a := range evaluated(pass.World) {
		sum, read := v.series(a)
		if !read || sum.Points == 0 {
			continue // dead-alarm speaks of no data
		}
		if sum.Replay == nil {
			continue // not replayable (anomaly bands, unknown threshold)
		}
		r := sum.Replay
		hist := 0
		for _, h := range v.history(a) {
			if h.To == "ALARM" {
				hist++
			}
		}
		f := v.finding(pass, a)
		f.Evidence = map[string]string{"replay_fired": itoa(r.Fired), "replay_in_alarm": r.InAlarm.String(), "evaluations": itoa(r.Evaluations)}
		if historyRead {
			f.Evidence["history_fired"] = itoa(hist)
		}
		switch {
		case historyRead && hist != r.Fired:
			f.Severity = SeverityWarning
			pass.Reportf(f, "alarm %s: replaying its evaluation over %s it would have gone to ALARM %d time(s) (%s in ALARM), but its history shows %d",
				a.Name, v.lookback(), r.Fired, r.InAlarm, hist)
		case r.Fired > 0 && v.pages(a):
			seen := ""
			if historyRead {
				seen = "; its history shows " + itoa(hist)
			}
			pass.Reportf(f, "alarm %s would have paged %d time(s) in %s (%s in ALARM)%s", a.Name, r.Fired, v.lookback(), r.InAlarm, seen)
		}
	}
}
