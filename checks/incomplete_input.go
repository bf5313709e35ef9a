package checks

import (
	"fmt"

	"github.com/driftgate/driftgate/model"
)

// IncompleteInput reports inputs that cannot vouch for the absence of drift.
var IncompleteInput = &Check{
	ID:    "incomplete-input",
	Title: "Input is incomplete, so drift cannot be ruled out",
	Doc: Doc{
		Summary: "Reports partial Terraform plans (`complete: false`, or `errored: true`) and live sources " +
			"that could not be read in full. Any such input makes the run inconclusive (exit code 3) " +
			"unless a blocking finding already fails it: driftgate never passes a check it could not finish.",
		Example: "A plan made with `-target` has `\"complete\": false`:\n\n" +
			"    plan plan.json is partial (complete: false): drift in resources it did not plan cannot be ruled out",
		Why: "A clean result on partial input is a false promise: the drift may be in what was not read.",
		Fix: "Plan without `-target` and fix planning errors; for live sources, check credentials, " +
			"permissions and throttling, then run again.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"inconclusive"},
	Run:             runIncompleteInput,
}

func runIncompleteInput(pass *Pass) {
	for _, p := range pass.World.Plans {
		if p.Complete {
			continue
		}
		pass.Reportf(Finding{Subject: p.File, Location: model.Location{File: p.File}},
			"%s", planReason(p))
	}
	for _, r := range incompleteReads(pass.World) {
		pass.Reportf(Finding{Subject: r.String(), Location: pass.World.Anchor}, "%s", readReason(r))
	}
}

// incompleteReads are the reads that were asked for but not done in full,
// one per feed and scope; the sweep feed repeats the alarms feed's reads.
func incompleteReads(w *model.World) []model.Read {
	var out []model.Read
	for _, r := range w.FeedReads() {
		if r.State == model.ReadIncomplete && r.Feed != model.FeedAllAlarms {
			out = append(out, r)
		}
	}
	return out
}

func planReason(p model.Plan) string {
	why := "complete: false"
	if p.Errored {
		why = "errored: true"
	}
	return fmt.Sprintf("plan %s is partial (%s): drift in resources it did not plan cannot be ruled out", p.File, why)
}

func readReason(r model.Read) string {
	return fmt.Sprintf("%s could not be read completely: %s", r, r.Why)
}

// InconclusiveReasons lists why a run over this world cannot pass: the same
// conditions incomplete-input reports, whether or not that check is enabled.
func InconclusiveReasons(w *model.World) []string {
	var out []string
	for _, p := range w.Plans {
		if !p.Complete {
			out = append(out, planReason(p))
		}
	}
	for _, r := range incompleteReads(w) {
		out = append(out, readReason(r))
	}
	return out
}
