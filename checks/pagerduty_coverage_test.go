package checks

import (
	"slices"
	"testing"

	"github.com/driftgate/driftgate/model"
)

func TestPagerDutyCoverage(t *testing.T) {
	runCases(t, PagerDutyCoverage, pdCases([]checkCase{
		{name: "every tenant has its service: nothing"},
		{name: "a tenant without a service, and a service of a tenant that left",
			mutate: func(w *model.World, s *Settings) {
				w.Live.PagerDuty.Services = slices.DeleteFunc(w.Live.PagerDuty.Services, func(s *model.PDService) bool { return s.ID == "Pbb0001" })
				w.Live.PagerDuty.Services = append(w.Live.PagerDuty.Services, &model.PDService{ID: "POLD", Name: "checkout-ab12cd", Tenant: "ab12cd"})
			},
			want:     []string{"tenant bb0001 has no PagerDuty service", "PagerDuty service checkout-ab12cd (POLD) is named for tenant ab12cd, which is not configured"},
			severity: []Severity{SeverityWarning, SeverityNote}},
		{name: "a tenant onboarded with its service in the same change: nothing",
			mutate: func(w *model.World, s *Settings) {
				w.Live.PagerDuty.Services = slices.DeleteFunc(w.Live.PagerDuty.Services, func(s *model.PDService) bool { return s.ID == "Pbb0001" })
				w.Routing = &model.PagerDuty{Services: []*model.PDService{{Name: "checkout-bb0001", Tenant: "bb0001",
					Declared: &model.Declared{Address: "pagerduty_service.bb0001", Action: model.ActionCreate}}}}
			}},
		{name: "the change deletes a tenant's service",
			mutate: func(w *model.World, s *Settings) {
				withDeclaredRouting(w)
				for _, d := range w.Routing.Services {
					if d.ID == "Paa0003" {
						d.Declared.Action = model.ActionDelete
					}
				}
			},
			want: []string{"tenant aa0003 has no PagerDuty service"}},
		{name: "no naming convention: nothing to match",
			mutate: func(w *model.World, s *Settings) {
				for _, s := range w.Live.PagerDuty.Services {
					s.Tenant = ""
				}
			}},
	}))
}
