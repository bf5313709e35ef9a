package checks

import "fmt"

// ExpiredIgnore reports ignore rules past their until date.
var ExpiredIgnore = &Check{
	ID:    "expired-ignore",
	Title: "An ignore rule has expired",
	Doc: Doc{
		Summary: "Ignore rules may say until when they apply (`until: YYYY-MM-DD`, the last day). After it the rule " +
			"ignores nothing, what it ignored is reported again, and this check names the rule and its line, so an " +
			"accepted risk is looked at again instead of staying accepted forever.",
		Example: "A rule written when driftgate was adopted, `until: 2026-11-30`, on 2026-12-04:\n\n" +
			"    ignore rule at .driftgate.yml:52 (\"accepted at adoption\") expired on 2026-11-30: what it ignored is reported again",
		Why: "Ignores that never expire turn today's accepted noise into tomorrow's missed outage.",
		Fix: "Fix what the rule ignored, or renew the rule with a new `until` and a reason that still holds.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"config", "noise"},
	Run:             runExpiredIgnore,
}

func runExpiredIgnore(pass *Pass) {
	now := pass.Settings.now()
	for _, r := range pass.Settings.Ignore {
		if !r.Expired(now) {
			continue
		}
		last := r.Until.AddDate(0, 0, -1).Format("2006-01-02")
		loc := r.Location
		if loc.File == "" {
			loc = pass.World.Anchor
		}
		pass.Report(withMessage(Finding{Subject: fmt.Sprintf("ignore %s", loc), Location: loc, Identity: fmt.Sprintf("%s/%s/%s", r.Address, r.Reason, last)},
			fmt.Sprintf("ignore rule at %s (%q) expired on %s: what it ignored is reported again", loc, r.Reason, last)))
	}
}
