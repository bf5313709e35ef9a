package checks

import (
	"testing"
	"time"

	"github.com/driftgate/driftgate/model"
)

func TestTierSanity(t *testing.T) {
	setTier := func(i int, change func(t *model.AlertTier)) func(w *model.World, s *Settings) {
		return func(w *model.World, s *Settings) { change(&w.SLOs[0].Tiers[i]) }
	}
	runCases(t, TierSanity, sloCases(t, []checkCase{
		{name: "workbook-shaped tiers: nothing"},
		{name: "a page tier below factor 1, and no longer above the ticket tier",
			mutate: setTier(0, func(t *model.AlertTier) { t.BudgetFraction, t.Long, t.Short = 0.01, 3*day, 6*time.Hour }),
			want: []string{
				"SLO availability page tier page has burn factor 0.1, not above ticket tier ticket's 3",
				"SLO availability tier page pages at burn factor 0.1, below 1: the burn would not exhaust the budget within 30d",
			}},
		{name: "a longer tier with a higher factor",
			mutate: setTier(1, func(t *model.AlertTier) { t.BudgetFraction = 0.8; t.Severity = model.SeverityTicket }),
			want: []string{
				"SLO availability page tier page has burn factor 14.4, not above ticket tier ticket's 24",
				"SLO availability tier ticket (1d) has burn factor 24, above the 14.4 of the shorter tier page (1h): factors must fall as windows lengthen",
			}},
	}))
}
