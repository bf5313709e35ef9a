package checks

import (
	"strings"
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

// Two services each with an SLO called "availability" (sloth, OpenSLO and
// pyrra files often do): their findings name the service and never share a
// fingerprint, or code scanning would merge their alerts.
func TestTheServiceIsPartOfAnSLOsIdentity(t *testing.T) {
	w := sloWorld()
	checkout := w.SLOs[0]
	checkout.Service, checkout.Format = "checkout", "sloth/prometheus/v1"
	checkout.Tiers[0].BudgetFraction = 0.001 // a page tier below factor 1
	search := *checkout
	search.Service = "search"
	search.Tiers = append([]model.AlertTier{}, checkout.Tiers...)
	w.SLOs = append(w.SLOs, &search)
	got := runOne(TierSanity, w, defaultSettings())
	if len(got) == 0 || len(got)%2 != 0 {
		t.Fatalf("want the same findings for each service:\n%s", messages(got))
	}
	seen := map[string]bool{}
	per := map[string]int{}
	for _, f := range got {
		if seen[f.Fingerprint] {
			t.Errorf("two findings share fingerprint %s: %s", f.Fingerprint, f.Message)
		}
		seen[f.Fingerprint] = true
		for _, svc := range []string{"checkout", "search"} {
			if strings.Contains(f.Message, "SLO "+svc+"/availability") && strings.HasPrefix(f.Subject, svc+"/availability/") {
				per[svc]++
			}
		}
	}
	if per["checkout"] != len(got)/2 || per["search"] != len(got)/2 {
		t.Errorf("each finding must name its service in message and subject: %v\n%s", per, messages(got))
	}
}
