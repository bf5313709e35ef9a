package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/replay"
	"github.com/driftgate/driftgate/routing"
)

// RoutingAssertion runs the routing tests: where each alarm's page must land.
var RoutingAssertion = &Check{
	ID:    "routing-assertion",
	Title: "A routing test fails",
	Doc: Doc{
		Summary: "Runs the routing tests (`inputs.route_tests`, `driftgate test-routes FILE`): for each case, an alarm " +
			"(live or declared) or the event one would send is routed through SNS and PagerDuty's event orchestrations " +
			"as they are live and, when the change alters routing, as the change leaves them; the page must land on the " +
			"expected service, with the expected urgency and escalation policy, and reach the first responder within " +
			"the expected time (the alarm's own evaluation: period times datapoints to alarm). A failure is reported at the case's line.",
		Example: "The case says tenant 5e6f70's slow page reaches checkout-5e6f70; a copy-pasted router rule sends it elsewhere:\n\n" +
			"    routing test \"5e6f70 slow page\": expected service checkout-5e6f70, but the page lands on checkout-1a2b3c (event orchestration checkout, router rule \"5e6f70 pages\") today",
		Why: "Paging expectations written down are tested on every change, not discovered during an incident.",
		Fix: "Fix the routing (or the alarm's topic), or the expectation if it is the one that is wrong.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"pagerduty", "routing"},
	Needs:           []model.Feed{model.FeedPagerDuty},
	Uses:            []model.Feed{model.FeedSNS, model.FeedDeclared, model.FeedAlarms},
	Run:             runRoutingAssertion,
}

func runRoutingAssertion(pass *Pass) {
	live := pass.PagerDuty()
	if live == nil {
		return
	}
	planned := pass.plannedView()
	liveAlarms := pass.LiveByName()
	declared := map[string]*model.Alarm{}
	for _, d := range pass.World.Declared {
		declared[d.Name] = d
	}
	lookup := func(name string) *model.Alarm {
		if a := liveAlarms[name]; a != nil {
			return a
		}
		return declared[name]
	}
	for _, c := range pass.World.RouteCases {
		f := Finding{Subject: "routing test " + c.Name, Location: c.Location, Identity: c.Name}
		a := c.Event
		switch {
		case a != nil:
		case liveAlarms[c.Alarm] != nil:
			a = liveAlarms[c.Alarm]
		case declared[c.Alarm] != nil:
			a = declared[c.Alarm]
		default:
			pass.Reportf(f, "routing test %q: no alarm named %s, live or declared", c.Name, c.Alarm)
			continue
		}
		f.Tenant = a.Tenant
		views := []routeView{{live, "today"}}
		if planned != nil {
			views = append(views, routeView{planned, "once this change applies"})
		}
		if a.Source != model.SourceLive && a.Action == model.ActionCreate {
			views = views[len(views)-1:] // an alarm this change creates has no today
		}
		reported := map[string]bool{}
		for _, view := range views {
			for _, problem := range routeCaseProblems(view.v, a, c, lookup) {
				if reported[problem] {
					continue // the same today and after: said once
				}
				reported[problem] = true
				g := f
				g.Identity = c.Name + "/" + problem
				pass.Reportf(g, "routing test %q: %s %s", c.Name, problem, view.when)
			}
		}
	}
}

// routeView is routing as it is at one time: live today, or as the change leaves it.
type routeView struct {
	v    *routing.View
	when string
}

// routeCaseProblems says how a page differs from the case's expectations.
func routeCaseProblems(v *routing.View, a *model.Alarm, c model.RouteCase, lookup func(string) *model.Alarm) []string {
	routes := v.Routes(a)
	if len(routes) == 0 {
		return []string{fmt.Sprintf("expected a page, but nothing is subscribed to %s", strings.Join(a.AlarmActions, ", "))}
	}
	var out []string
	for _, r := range routes {
		switch {
		case r.Unknown:
			continue // known only after apply: not judged
		case r.Suppressed:
			out = append(out, fmt.Sprintf("expected a page, but it is suppressed (%s)", r.Via))
			continue
		case r.Service == nil:
			out = append(out, fmt.Sprintf("expected service %s, but the page lands on no service (%s)", orAny(c.Service), r.Via))
			continue
		}
		s := r.Service
		if c.Service != "" && c.Service != s.Name && c.Service != s.ID {
			out = append(out, fmt.Sprintf("expected service %s, but the page lands on %s (%s)", c.Service, s.Name, r.Via))
		}
		if c.Urgency != "" && c.Urgency != s.Urgency {
			out = append(out, fmt.Sprintf("expected urgency %s, but service %s has %s", c.Urgency, s.Name, orAny(s.Urgency)))
		}
		if c.EscalationPolicy != "" {
			p := v.Policies[s.EscalationPolicy]
			switch {
			case p == nil:
				out = append(out, fmt.Sprintf("expected escalation policy %s, but service %s has none", c.EscalationPolicy, s.Name))
			case c.EscalationPolicy != p.Name && c.EscalationPolicy != p.ID:
				out = append(out, fmt.Sprintf("expected escalation policy %s, but service %s escalates by %s", c.EscalationPolicy, s.Name, p.Name))
			}
		}
		if c.PagedWithin > 0 {
			detect, known := detectionTime(a, lookup, 0)
			if known && detect > c.PagedWithin {
				out = append(out, fmt.Sprintf("expected the first responder paged within %s, but the alarm needs %s to go to ALARM",
					model.FormatWindow(c.PagedWithin), model.FormatWindow(detect)))
			}
		}
	}
	return out
}

// detectionTime is how long errors must last before the alarm goes to
// ALARM: period times datapoints to alarm; for a composite, the slowest
// child an AND needs (and, as an upper bound, an AT_LEAST), the fastest an
// OR needs. Unknown when a child is
// missing or the rule cannot be read (a NOT, a constant): not judged.
func detectionTime(a *model.Alarm, lookup func(string) *model.Alarm, depth int) (time.Duration, bool) {
	if a.Kind != model.KindComposite {
		p := replay.Period(a)
		return p * time.Duration(max(a.EffectiveDatapoints(), 1)), p > 0
	}
	rule, err := model.ParseAlarmRule(a.AlarmRule)
	if err != nil || depth > 8 {
		return 0, false
	}
	var walk func(n *model.RuleNode) (time.Duration, bool)
	walk = func(n *model.RuleNode) (time.Duration, bool) {
		switch n.Op {
		case "REF":
			child := lookup(n.Name)
			if child == nil || n.State != "ALARM" {
				return 0, false
			}
			return detectionTime(child, lookup, depth+1)
		case "AND", "OR", "AT_LEAST":
			var out time.Duration
			for i, k := range n.Kids {
				d, ok := walk(k)
				if !ok {
					return 0, false
				}
				if i == 0 || (n.Op == "OR") == (d < out) {
					out = d
				}
			}
			return out, len(n.Kids) > 0
		}
		return 0, false
	}
	return walk(rule)
}

func orAny(s string) string {
	if s == "" {
		return "(any)"
	}
	return s
}
