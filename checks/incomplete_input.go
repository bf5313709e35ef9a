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
	if pass.World.Live == nil {
		return
	}
	for _, s := range pass.World.Live.Sources {
		if s.Complete {
			continue
		}
		pass.Reportf(Finding{Subject: sourceName(s), Location: pass.World.Anchor},
			"%s", sourceReason(s))
	}
}

func planReason(p model.Plan) string {
	why := "complete: false"
	if p.Errored {
		why = "errored: true"
	}
	return fmt.Sprintf("plan %s is partial (%s): drift in resources it did not plan cannot be ruled out", p.File, why)
}

func sourceName(s model.LiveSource) string {
	return fmt.Sprintf("%s %s/%s", s.Kind, s.Account, s.Region)
}

func sourceReason(s model.LiveSource) string {
	return fmt.Sprintf("live %s could not be read completely: %s", sourceName(s), s.Error)
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
	if w.Live != nil {
		for _, s := range w.Live.Sources {
			if !s.Complete {
				out = append(out, sourceReason(s))
			}
		}
	}
	return out
}
