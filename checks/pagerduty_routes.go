package checks

import (
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/routing"
)

// PagerDuty returns the pass's view of live PagerDuty routing, or nil when
// PagerDuty was not read.
func (p *Pass) PagerDuty() *routing.View {
	if p.World.Live == nil || p.World.Live.PagerDuty == nil {
		return nil
	}
	if p.shared == nil {
		p.shared = &shared{}
	}
	p.shared.pdOnce.Do(func() { p.shared.pd = routing.NewView(p.World.Live.PagerDuty) })
	return p.shared.pd
}

// plannedView is live PagerDuty with the routing the plans create, change or
// delete laid over it (routing.Overlay), built once per run; nil when the
// plans change no routing.
func (p *Pass) plannedView() *routing.View {
	if p.PagerDuty() == nil {
		return nil
	}
	p.shared.plannedOnce.Do(func() { p.shared.planned = routing.Overlay(p.PagerDuty(), p.World.Routing) })
	return p.shared.planned
}

// routeIssue is a problem with where an alarm's notifications land.
type routeIssue struct {
	f   Finding
	msg string
}

// judgeRoutes runs judge on an alarm's routes as they are today and as this
// change's routing leaves them, and reports each issue once: today's as
// they are, and those only the change brings as such. An alarm this change
// creates has no today when the change routes it.
func (p *Pass) judgeRoutes(a *model.Alarm, judge func(v *routing.View, routes []routing.Route) []routeIssue) {
	live, planned := p.PagerDuty(), p.plannedView()
	if live == nil {
		return
	}
	today := map[string]bool{}
	if a.Source == model.SourceLive || planned == nil {
		for _, is := range judge(live, live.Routes(a)) {
			today[is.f.Identity] = true
			p.Reportf(is.f, "%s", is.msg)
		}
	}
	if planned == nil {
		return
	}
	for _, is := range judge(planned, planned.Routes(a)) {
		if !today[is.f.Identity] {
			is.f.Identity += "/planned"
			p.Reportf(is.f, "%s once this change's PagerDuty routing applies", is.msg)
		}
	}
}
