package checks

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/replay"
)

// evidenceView is what the metric-evidence checks share: the evidence, and
// for each live alarm its declared twin and SLO binding.
type evidenceView struct {
	ev       *model.Evidence
	declared map[string]*model.Alarm // by live name
	bound    map[string]*binding     // by alarm name
	// summaries of whole series, made on first use by any check.
	mu        sync.Mutex
	summaries map[string]model.SeriesSummary
}

// evidence builds the view once per run; nil when no evidence was read.
func (p *Pass) evidence() *evidenceView {
	if p.World.Live == nil || p.World.Live.Evidence == nil {
		return nil
	}
	p.shared.evidenceOnce.Do(func() {
		v := &evidenceView{ev: p.World.Live.Evidence, declared: map[string]*model.Alarm{}, bound: map[string]*binding{},
			summaries: map[string]model.SeriesSummary{}}
		for _, d := range p.World.Declared {
			v.declared[d.LiveName()] = d
		}
		for _, b := range p.SLO().Bound {
			v.bound[b.Alarm.Name] = b
		}
		p.shared.evidence = v
	})
	return p.shared.evidence
}

// series returns what the checks need of a live alarm's datapoints (count,
// last point, replay) and whether they were read: the summary a streamed
// read made, else one made from the whole series (a snapshot file), once.
func (v *evidenceView) series(a *model.Alarm) (model.SeriesSummary, bool) {
	id := a.Identity()
	if s, ok := v.ev.Summaries[id]; ok {
		return s, true
	}
	points, ok := v.ev.Series[id]
	if !ok {
		return model.SeriesSummary{}, false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.summaries[id]; ok {
		return s, true
	}
	s := replay.Summarize(a, points, v.ev.Start, v.ev.End)
	v.summaries[id] = s
	return s, true
}

// history returns a live alarm's state changes and whether history was read
// for it (an alarm with no changes has none, which is a finding's absence).
func (v *evidenceView) history(a *model.Alarm) []model.AlarmHistory {
	return v.ev.History[a.Identity()]
}

// finding starts a finding about a live alarm at its declaration when it has
// one, scoped to the region the evidence was read in.
func (v *evidenceView) finding(p *Pass, a *model.Alarm) Finding {
	f := Finding{Tenant: a.Tenant, Subject: a.Name, Location: p.World.Anchor, Identity: a.Name, Scope: model.ScopeOf(a)}
	if d := v.declared[a.Name]; d != nil {
		f.Subject, f.Location = alarmSubject(d), p.alarmLocation(d)
	}
	return f
}

// pages reports whether the alarm pages: its SLO tier's severity when it is
// bound to one, else a tier name that says so.
func (v *evidenceView) pages(a *model.Alarm) bool {
	if b := v.bound[a.Name]; b != nil {
		return b.Tier.Severity == model.SeverityPage
	}
	return strings.HasPrefix(a.Tier, "page")
}

// evaluated lists the live alarms that evaluate a metric (composites do not).
func evaluated(w *model.World) []*model.Alarm {
	var out []*model.Alarm
	for _, a := range w.Live.Alarms {
		if a.Kind != model.KindComposite {
			out = append(out, a)
		}
	}
	return out
}

// lookback renders the evidence's span for messages: "24h".
func (v *evidenceView) lookback() string {
	if d := v.ev.Lookback(); d%time.Hour == 0 && d <= 72*time.Hour {
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return model.FormatWindow(v.ev.Lookback())
}
