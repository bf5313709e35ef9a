package checks

import (
	"fmt"
	"time"

	"github.com/driftgate/driftgate/model"
)

// binding ties an alarm to the SLO tier it implements for one tenant.
type binding struct {
	Alarm     *model.Alarm
	Tenant    model.Tenant
	SLO       *model.SLO
	Tier      model.AlertTier
	Objective float64       // the tenant's objective after overrides
	Window    time.Duration // 0 for the tier's composite
	Long      bool          // the window is the tier's long one
}

// Budget is the tenant's error budget B.
func (b *binding) Budget() float64 { return model.Budget(b.Objective) }

// Factor is the burn factor the tier asks for.
func (b *binding) Factor() float64 { return b.Tier.BurnFactor(b.SLO.Period) }

// Threshold is the error ratio the tier asks for: b·B.
func (b *binding) Threshold() float64 { return model.ErrorRatioThreshold(b.Factor(), b.Budget()) }

// orphan is an alarm whose name claims a tenant, SLO, tier or window that
// does not exist.
type orphan struct {
	Alarm  *model.Alarm
	Reason string
}

// sloView is the SLO side of the world, computed once per pass.
type sloView struct {
	Bound   []*binding
	Orphans []orphan
}

// effectiveAlarms are the alarms that will exist once the plan is applied:
// every declared alarm the plan keeps, changes or creates, and live alarms
// that no input declares. declared holds every name (and live name) an input
// declares.
func effectiveAlarms(w *model.World) (out []*model.Alarm, declared map[string]bool) {
	declared = make(map[string]bool, 2*len(w.Declared))
	out = make([]*model.Alarm, 0, len(w.Declared))
	for _, a := range w.Declared {
		declared[a.Name], declared[a.LiveName()] = true, true
		if a.Action != model.ActionDelete {
			out = append(out, a)
		}
	}
	if w.Live != nil {
		for _, a := range w.Live.Alarms {
			if !declared[a.Name] {
				out = append(out, a)
			}
		}
	}
	return out, declared
}

// effective returns the pass's effective alarms and declared names (see
// effectiveAlarms), computed once for the checks that use them.
func (p *Pass) effective() ([]*model.Alarm, map[string]bool) {
	if p.shared == nil {
		p.shared = &shared{}
	}
	p.shared.effectiveOnce.Do(func() { p.shared.effectiveAlarms, p.shared.declared = effectiveAlarms(p.World) })
	return p.shared.effectiveAlarms, p.shared.declared
}

// sloFor finds the SLO of that name whose scope includes the tenant.
func sloFor(w *model.World, name string, t model.Tenant) (*model.SLO, bool) {
	named := false
	for _, s := range w.SLOs {
		if s.Name != name {
			continue
		}
		named = true
		if s.Scope.Includes(t) {
			return s, true
		}
	}
	return nil, named
}

// bind maps one alarm; it returns nil and a reason when the alarm claims
// something that does not exist, and nil and "" when it claims no SLO tier.
func bind(w *model.World, tenants map[string]model.Tenant, a *model.Alarm) (*binding, string) {
	if a.SLO == "" || a.Tier == "" {
		return nil, ""
	}
	tenant, ok := tenants[a.Tenant]
	if !ok {
		return nil, fmt.Sprintf("tenant %q is not configured", a.Tenant)
	}
	slo, named := sloFor(w, a.SLO, tenant)
	if slo == nil {
		if named {
			return nil, fmt.Sprintf("SLO %q does not apply to tenant %s", a.SLO, tenant.ID)
		}
		return nil, fmt.Sprintf("SLO %q is not defined", a.SLO)
	}
	tier, ok := slo.Tier(a.Tier)
	if !ok {
		return nil, fmt.Sprintf("SLO %s has no tier %q", slo.Name, a.Tier)
	}
	b := &binding{Alarm: a, Tenant: tenant, SLO: slo, Tier: tier, Objective: slo.ObjectiveFor(tenant)}
	if a.Kind == model.KindComposite {
		return b, ""
	}
	window := alarmWindow(a)
	switch window {
	case tier.Long:
		b.Window, b.Long = window, true
	case tier.Short:
		b.Window = window
	default:
		return nil, fmt.Sprintf("window %s is neither the long (%s) nor the short (%s) window of tier %s",
			model.FormatWindow(window), model.FormatWindow(tier.Long), model.FormatWindow(tier.Short), tier.Name)
	}
	return b, ""
}

// alarmWindow is the window the alarm's name states, else its period (the
// metric's, or the math metrics' common one).
func alarmWindow(a *model.Alarm) time.Duration {
	if a.Window != "" {
		if d, err := model.ParseWindow(a.Window); err == nil {
			return d
		}
	}
	if a.Period > 0 {
		return time.Duration(a.Period) * time.Second
	}
	for _, q := range a.Metrics {
		if q.Period > 0 {
			return time.Duration(q.Period) * time.Second
		}
	}
	return 0
}

// sloBindings binds every effective alarm. Without SLOs there is nothing to
// bind and nothing is an orphan.
func sloBindings(w *model.World, effective []*model.Alarm) *sloView {
	v := &sloView{}
	if len(w.SLOs) == 0 {
		return v
	}
	tenants := make(map[string]model.Tenant, len(w.Tenants))
	for _, t := range w.Tenants {
		tenants[t.ID] = t
	}
	for _, a := range effective {
		b, reason := bind(w, tenants, a)
		switch {
		case b != nil:
			v.Bound = append(v.Bound, b)
		case reason != "":
			v.Orphans = append(v.Orphans, orphan{Alarm: a, Reason: reason})
		}
	}
	return v
}

// SLO returns the pass's SLO view, computed on first use.
func (p *Pass) SLO() *sloView {
	if p.shared == nil {
		p.shared = &shared{}
	}
	p.shared.sloOnce.Do(func() {
		effective, _ := p.effective()
		p.shared.slo = sloBindings(p.World, effective)
	})
	return p.shared.slo
}

// location of an alarm: its declaration, else the anchor for live-only ones.
func (p *Pass) alarmLocation(a *model.Alarm) model.Location {
	if a.Location.File != "" {
		return a.Location
	}
	return p.World.Anchor
}

// subject of an alarm: its address when declared, else its name.
func alarmSubject(a *model.Alarm) string {
	if a.Address != "" {
		return a.Address
	}
	return a.Name
}

// pct prints a ratio as a percentage with up to four significant decimals.
func pct(r float64) string {
	return fmt.Sprintf("%.4g%%", r*100)
}

// sloLabel names an SLO with its objective and period for messages.
func sloLabel(name string, objective float64, period time.Duration) string {
	return fmt.Sprintf("%s (%s over %s)", name, pct(objective), model.FormatWindow(period))
}

// tierKey names one tenant's tier of one SLO.
type tierKey struct{ Tenant, SLO, Tier string }

// tierAlarms are the alarms implementing one tenant's tier.
type tierAlarms struct {
	Long, Short, Composite *binding
}

// byTier groups the bound alarms by tenant, SLO and tier.
func (v *sloView) byTier() map[tierKey]*tierAlarms {
	out := map[tierKey]*tierAlarms{}
	for _, b := range v.Bound {
		k := tierKey{b.Tenant.ID, b.SLO.Ref(), b.Tier.Name}
		t := out[k]
		if t == nil {
			t = &tierAlarms{}
			out[k] = t
		}
		switch {
		case b.Window == 0:
			t.Composite = b
		case b.Long:
			t.Long = b
		default:
			t.Short = b
		}
	}
	return out
}

// notifies reports whether an alarm's actions reach anyone when it fires.
func notifies(a *model.Alarm) bool { return a.ActionsEnabled && len(a.AlarmActions) > 0 }
