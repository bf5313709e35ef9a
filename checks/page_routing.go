package checks

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/routing"
)

// PageRouting follows each page tier from its alarm to a PagerDuty service.
var PageRouting = &Check{
	ID:    "page-routing",
	Title: "Page tier does not reach anyone in PagerDuty",
	Doc: Doc{
		Summary: "For each tenant's page tier (its composite alarm, or its window alarms without one), " +
			"builds the event CloudWatch sends through SNS to PagerDuty and runs it through the live " +
			"subscriptions, integrations and event orchestrations (global rules, router, unrouted rules, " +
			"service rules, evaluating their PCL conditions), then again with the routing the plans create, " +
			"change or delete laid over the live state. Reports a page whose live alarm has its actions " +
			"disabled, that reaches no PagerDuty endpoint, lands on no service, is suppressed or dropped, or " +
			"lands on a disabled service or one without an escalation policy, today or once the change " +
			"applies (errors), and a page tier without OK actions, whose incidents never resolve by " +
			"themselves (warning). A route that meets a condition driftgate cannot evaluate (such as " +
			"`now in` schedules) is a note, never a guess. An alarm this change creates is judged only on the " +
			"routing as the change leaves it (a note when that depends on values known only after apply). " +
			"Runs when the live state includes PagerDuty.",
		Example: "The router has no rule for tenant 3c4d5e, and its catch-all leaves events unrouted:\n\n" +
			"    tenant 3c4d5e tier page-fast: alarm slo-3c4d5e-availability-page-fast lands on no PagerDuty service (event orchestration checkout, router rule catch-all)",
		Why: "An alarm that fires but pages nobody is the failure people fear most: the dashboard is red and " +
			"the on-call phone is silent.",
		Fix: "Add a router rule for the tenant, enable the service, give it an escalation policy, or subscribe " +
			"the alarm's topic to the right integration; set OK actions so incidents resolve.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"pagerduty", "routing"},
	Needs:           []model.Feed{model.FeedPagerDuty},
	Uses:            []model.Feed{model.FeedSLO, model.FeedDeclared, model.FeedAlarms, model.FeedSNS},
	Run:             runPageRouting,
}

// pagers are the alarms that notify for a tier: its composite, else its windows.
func pagers(ta *tierAlarms) []*binding {
	if ta.Composite != nil {
		return []*binding{ta.Composite}
	}
	var out []*binding
	for _, b := range []*binding{ta.Long, ta.Short} {
		if b != nil {
			out = append(out, b)
		}
	}
	return out
}

// liveTwin is the live version of a declared alarm, whose actions are what
// actually notify; the declared alarm itself when it is not live.
func liveTwin(w *model.World, a *model.Alarm) *model.Alarm {
	if a.Source == model.SourceLive || w.Live == nil {
		return a
	}
	for _, l := range w.Live.Alarms {
		if l.Name == a.Name {
			return l
		}
	}
	return a
}

// routeProblem says what is wrong with one route, or "".
func routeProblem(pd *routing.View, r routing.Route) string {
	switch {
	case r.Unknown:
		return ""
	case r.Suppressed:
		return fmt.Sprintf("is suppressed in PagerDuty (%s)", r.Via)
	case r.Service == nil:
		return fmt.Sprintf("lands on no PagerDuty service (%s)", r.Via)
	case r.Service.Disabled:
		return fmt.Sprintf("lands on disabled service %s (%s)", r.Service.Name, r.Via)
	case pd.Policies[r.Service.EscalationPolicy] == nil:
		return fmt.Sprintf("lands on service %s, which has no escalation policy (%s)", r.Service.Name, r.Via)
	}
	return ""
}

func runPageRouting(pass *Pass) {
	pd := pass.PagerDuty()
	if pd == nil {
		return
	}
	planned := pass.plannedView()
	for _, ta := range sortedTiers(pass.SLO().byTier()) {
		for _, b := range pagers(ta) {
			if b.Tier.Severity != model.SeverityPage || !notifies(b.Alarm) {
				continue
			}
			a := liveTwin(pass.World, b.Alarm)
			f := Finding{Tenant: b.Tenant.ID, Subject: alarmSubject(b.Alarm), Location: pass.alarmLocation(b.Alarm), Identity: a.Name}
			prefix := fmt.Sprintf("tenant %s tier %s: alarm %s", b.Tenant.ID, b.Tier.Name, a.Name)
			if !a.ActionsEnabled {
				f.Identity = a.Name + "/disabled"
				pass.Reportf(f, "%s has its actions disabled in CloudWatch: it pages nobody", prefix)
				continue
			}
			// An alarm this change creates has no today: judge it where it will land.
			view, when := pd, ""
			if a.Source != model.SourceLive {
				when = " once this change applies"
				if planned != nil {
					view = planned
				}
			}
			routes := view.Routes(a)
			if len(routes) == 0 {
				pass.Reportf(f, "%s notifies %s, which no PagerDuty endpoint is subscribed to: it pages nobody%s", prefix, strings.Join(a.AlarmActions, ", "), when)
				continue
			}
			for _, r := range routes {
				f.Identity = a.Name + "/" + r.Endpoint
				if r.Unknown {
					note := f
					note.Severity = SeverityNote
					pass.Reportf(note, "%s: its route was not judged (%s)", prefix, r.Via)
					continue
				}
				if problem := routeProblem(view, r); problem != "" {
					rf := f
					rf.Evidence = routeEvidence(a, r)
					pass.Reportf(rf, "%s %s%s", prefix, problem, when)
				}
			}
			if planned != nil && when == "" {
				reportPlannedRouting(pass, f, prefix, a, pd, planned, routes)
			}
			if len(a.OKActions) == 0 {
				f.Identity, f.Severity = a.Name+"/ok", SeverityWarning
				pass.Reportf(f, "%s has no OK actions: its PagerDuty incidents never resolve by themselves", prefix)
			}
		}
	}
}

// routeEvidence records the route a page takes, step by step, for reports
// that draw it: alarm, topic, how PagerDuty routed it, where it landed.
func routeEvidence(a *model.Alarm, r routing.Route) map[string]string {
	topic := strings.Join(a.AlarmActions, ", ")
	if i := strings.LastIndexByte(topic, ':'); i >= 0 && len(a.AlarmActions) == 1 {
		topic = topic[i+1:]
	}
	service := "no service"
	switch {
	case r.Suppressed:
		service = "suppressed"
	case r.Service != nil:
		service = "service " + r.Service.Name
	}
	return map[string]string{"route_alarm": a.Name, "route_topic": topic, "route_via": r.Via, "route_lands": service}
}

// reportPlannedRouting reports the pages that route today but would not once
// this change's PagerDuty routing applies.
func reportPlannedRouting(pass *Pass, f Finding, prefix string, a *model.Alarm, pd, planned *routing.View, routes []routing.Route) {
	broken := map[string]bool{}
	var reaches string
	for _, r := range routes {
		if routeProblem(pd, r) != "" {
			broken[r.Endpoint] = true
		} else if reaches == "" {
			reaches = r.Service.Name
		}
	}
	if reaches == "" {
		return // already reported as it is today
	}
	after := planned.Routes(a)
	if len(after) == 0 {
		f.Identity = a.Name + "/planned"
		pass.Reportf(f, "%s will page nobody once this change's routing applies: no PagerDuty endpoint stays subscribed to %s (today it reaches %s)",
			prefix, strings.Join(a.AlarmActions, ", "), reaches)
		return
	}
	for _, r := range after {
		if problem := routeProblem(planned, r); problem != "" && !broken[r.Endpoint] {
			f.Identity = a.Name + "/planned/" + r.Endpoint
			pass.Reportf(f, "%s %s once this change's PagerDuty routing applies (today it reaches %s)", prefix, problem, reaches)
		}
	}
}

// sortedTiers orders tier groups by tenant, SLO and tier for stable reports.
func sortedTiers(m map[tierKey]*tierAlarms) []*tierAlarms {
	keys := slices.SortedFunc(maps.Keys(m), func(a, b tierKey) int {
		return cmp.Or(cmp.Compare(a.Tenant, b.Tenant), cmp.Compare(a.SLO, b.SLO), cmp.Compare(a.Tier, b.Tier))
	})
	out := make([]*tierAlarms, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}
