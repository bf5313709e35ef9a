package slo

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// Formats lists what the loader reads, for messages.
const Formats = "OpenSLO v1 (SLO, AlertPolicy, AlertCondition), OpenSLO v1alpha SLO, sloth prometheus/v1, " +
	"sloth.slok.dev/v1 PrometheusServiceLevel and AlertWindows, pyrra.dev/v1alpha1 ServiceLevelObjective"

const day = 24 * time.Hour

// Loader reads SLO files. References (OpenSLO alertPolicyRef and
// conditionRef, sloth AlertWindows) may cross files, so they are resolved in
// Finish, after every file is read.
type Loader struct {
	slos       []*pending
	windows    map[time.Duration][]model.AlertTier // sloth AlertWindows by period
	policies   map[string]*OpenSLOPolicy
	conditions map[string]*OpenSLOCondition
	// docs holds each document's problems; references resolved in Finish
	// can add to them.
	docs []*input.YAMLProblems
}

// pending is an SLO whose tiers may still depend on references.
type pending struct {
	slo      *model.SLO
	sloth    bool               // tiers come from AlertWindows or sloth's defaults
	noPage   bool               // sloth's page alert is disabled
	policies []openSLOPolicyRef // OpenSLO alert policies to resolve
	probs    *input.YAMLProblems
	path     string
}

// NewLoader returns an empty loader.
func NewLoader() *Loader {
	return &Loader{windows: map[time.Duration][]model.AlertTier{},
		policies: map[string]*OpenSLOPolicy{}, conditions: map[string]*OpenSLOCondition{}}
}

// LoadFile reads one multi-document YAML file; reported is its name in messages.
func (l *Loader) LoadFile(path, reported string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return &input.Error{File: reported, Msg: "cannot read SLO spec", Err: err}
	}
	return l.Load(reported, data)
}

// Load reads SLO documents from YAML text.
func (l *Loader) Load(file string, data []byte) error {
	f, err := input.ParseYAML(file, data)
	if err != nil {
		return err
	}
	docs := 0
	for _, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		docs++
		if err := l.loadDoc(file, doc.Body); err != nil {
			return err
		}
	}
	if docs == 0 {
		return &input.Error{File: file, Msg: "no YAML documents; expected " + Formats}
	}
	return nil
}

func line(n ast.Node) int { return n.GetToken().Position.Line }

func (l *Loader) loadDoc(file string, body ast.Node) error {
	var h header
	if err := input.DecodeYAML(body, &h, false); err != nil {
		return input.YAMLError(file, err)
	}
	probs := &input.YAMLProblems{File: file, Root: body}
	l.docs = append(l.docs, probs)
	loc := model.Location{File: file, Line: line(body)}
	decode := func(v any) error {
		if err := input.DecodeYAML(body, v, false); err != nil {
			return input.YAMLError(file, err)
		}
		return nil
	}
	switch {
	case h.Version == "prometheus/v1":
		var s slothFile
		if err := decode(&s); err != nil {
			return err
		}
		l.addSloth(&s.SlothSpec, "sloth/prometheus/v1", "$", loc, probs)
	case h.APIVersion == "sloth.slok.dev/v1" && h.Kind == "PrometheusServiceLevel":
		var s slothK8s
		if err := decode(&s); err != nil {
			return err
		}
		l.addSloth(&s.Spec, "sloth.slok.dev/v1", "$.spec", loc, probs)
	case h.APIVersion == "sloth.slok.dev/v1" && h.Kind == "AlertWindows":
		var w slothAlertWindows
		if err := decode(&w); err != nil {
			return err
		}
		l.addAlertWindows(&w, probs)
	case h.APIVersion == "openslo/v1alpha" && h.Kind == "SLO":
		var s openSLOv1alpha
		if err := decode(&s); err != nil {
			return err
		}
		l.addOpenSLOv1alpha(&s, loc, probs)
	case h.APIVersion == "openslo/v1" && h.Kind == "SLO":
		var s openSLOv1
		if err := decode(&s); err != nil {
			return err
		}
		l.addOpenSLOv1(&s, loc, probs)
	case h.APIVersion == "openslo/v1" && h.Kind == "AlertPolicy":
		var p OpenSLOPolicy
		if err := decode(&p); err != nil {
			return err
		}
		l.policies[p.Metadata.Name] = &p
	case h.APIVersion == "openslo/v1" && h.Kind == "AlertCondition":
		var c OpenSLOCondition
		if err := decode(&c); err != nil {
			return err
		}
		l.conditions[c.Metadata.Name] = &c
	case h.APIVersion == "openslo/v1":
		// Service, SLI, DataSource, AlertNotificationTarget: nothing to check.
	case h.APIVersion == "pyrra.dev/v1alpha1" && h.Kind == "ServiceLevelObjective":
		var s pyrraSLO
		if err := decode(&s); err != nil {
			return err
		}
		l.addPyrra(&s, loc, probs)
	default:
		return &input.Error{File: file, Line: line(body), Column: 1,
			Msg: fmt.Sprintf("unknown SLO document (apiVersion %q, kind %q); driftgate reads %s", h.APIVersion, h.Kind, Formats)}
	}
	return nil
}

func (l *Loader) add(s *model.SLO, p *pending) {
	p.slo = s
	l.slos = append(l.slos, p)
}

// slothDefaults are sloth's built-in 30-day windows, used for any period
// without an AlertWindows file: budget fractions, so factors follow T.
func slothDefaults() []model.AlertTier {
	return []model.AlertTier{
		{Name: "page-fast", Severity: model.SeverityPage, BudgetFraction: 0.02, Long: time.Hour, Short: 5 * time.Minute},
		{Name: "page-slow", Severity: model.SeverityPage, BudgetFraction: 0.05, Long: 6 * time.Hour, Short: 30 * time.Minute},
		{Name: "ticket-fast", Severity: model.SeverityTicket, BudgetFraction: 0.10, Long: day, Short: 2 * time.Hour},
		{Name: "ticket-slow", Severity: model.SeverityTicket, BudgetFraction: 0.10, Long: 3 * day, Short: 6 * time.Hour},
	}
}

func (l *Loader) addSloth(spec *SlothSpec, format, base string, loc model.Location, probs *input.YAMLProblems) {
	if len(spec.SLOs) == 0 {
		probs.Add(base, "sloth spec has no slos")
	}
	for i, s := range spec.SLOs {
		path := fmt.Sprintf("%s.slos[%d]", base, i)
		sloLoc := loc
		if l := probs.Line(path); l > 0 {
			sloLoc.Line = l
		}
		if s.Name == "" {
			probs.Add(path, "SLO has no name")
		}
		if s.Objective == nil || *s.Objective <= 0 || *s.Objective >= 100 {
			probs.Add(path+".objective", "objective must be a percentage between 0 and 100 (exclusive)")
			continue
		}
		slo := &model.SLO{Name: s.Name, Service: spec.Service, Objective: *s.Objective / 100, Period: 30 * day,
			Scope: model.SLOScope{All: true}, Format: format, Location: sloLoc}
		l.add(slo, &pending{sloth: true, noPage: s.Alerting.PageAlert.Disable || s.Alerting.PageAlertK8s.Disable, probs: probs, path: path})
	}
}

func (l *Loader) addAlertWindows(w *slothAlertWindows, probs *input.YAMLProblems) {
	period, err := model.ParseWindow(w.Spec.SLOPeriod)
	if err != nil {
		probs.Add("$.spec.sloPeriod", "%v", err)
		return
	}
	var tiers []model.AlertTier
	for _, t := range []struct {
		name, severity, path string
		w                    slothWindow
	}{
		{"page-fast", model.SeverityPage, "$.spec.page.quick", w.Spec.Page.Quick},
		{"page-slow", model.SeverityPage, "$.spec.page.slow", w.Spec.Page.Slow},
		{"ticket-fast", model.SeverityTicket, "$.spec.ticket.quick", w.Spec.Ticket.Quick},
		{"ticket-slow", model.SeverityTicket, "$.spec.ticket.slow", w.Spec.Ticket.Slow},
	} {
		long, err1 := model.ParseWindow(t.w.LongWindow)
		short, err2 := model.ParseWindow(t.w.ShortWindow)
		if err1 != nil || err2 != nil || t.w.ErrorBudgetPercent <= 0 {
			probs.Add(t.path, "needs errorBudgetPercent, shortWindow and longWindow")
			continue
		}
		tiers = append(tiers, model.AlertTier{Name: t.name, Severity: t.severity, BudgetFraction: t.w.ErrorBudgetPercent / 100, Long: long, Short: short})
	}
	l.windows[period] = tiers
}

func (l *Loader) addOpenSLOv1alpha(s *openSLOv1alpha, loc model.Location, probs *input.YAMLProblems) {
	period := 30 * day
	if len(s.Spec.TimeWindows) > 0 {
		tw := s.Spec.TimeWindows[0]
		unit := map[string]time.Duration{"Second": time.Second, "Minute": time.Minute, "Hour": time.Hour, "Day": day, "Week": 7 * day}[tw.Unit]
		if unit == 0 || tw.Count <= 0 {
			probs.Add("$.spec.timeWindows[0]", "time window needs a positive count and a unit (Second, Minute, Hour, Day, Week)")
			return
		}
		period = time.Duration(tw.Count) * unit
	}
	target, ok := firstTarget(len(s.Spec.Objectives), func(i int) *float64 { return s.Spec.Objectives[i].Target }, nil)
	if !ok {
		probs.Add("$.spec.objectives", "needs an objective with a target between 0 and 1")
		return
	}
	l.add(&model.SLO{Name: s.Metadata.Name, Service: s.Spec.Service, Objective: target, Period: period,
		Tiers: model.WorkbookTiers(), Scope: model.SLOScope{All: true}, Format: "openslo/v1alpha", Location: loc}, &pending{probs: probs})
}

func firstTarget(n int, target func(int) *float64, percent func(int) *float64) (float64, bool) {
	for i := range n {
		if t := target(i); t != nil && *t > 0 && *t < 1 {
			return *t, true
		}
		if percent != nil {
			if t := percent(i); t != nil && *t > 0 && *t < 100 {
				return *t / 100, true
			}
		}
	}
	return 0, false
}

func (l *Loader) addOpenSLOv1(s *openSLOv1, loc model.Location, probs *input.YAMLProblems) {
	period := 30 * day
	if len(s.Spec.TimeWindow) > 0 {
		p, err := model.ParseWindow(s.Spec.TimeWindow[0].Duration)
		if err != nil {
			probs.Add("$.spec.timeWindow[0].duration", "%v", err)
			return
		}
		period = p
	}
	target, ok := firstTarget(len(s.Spec.Objectives),
		func(i int) *float64 { return s.Spec.Objectives[i].Target },
		func(i int) *float64 { return s.Spec.Objectives[i].TargetPercent })
	if !ok {
		probs.Add("$.spec.objectives", "needs an objective with a target between 0 and 1 (or targetPercent)")
		return
	}
	l.add(&model.SLO{Name: s.Metadata.Name, Service: s.Spec.Service, Objective: target, Period: period,
		Scope: model.SLOScope{All: true}, Format: "openslo/v1", Location: loc},
		&pending{policies: s.Spec.AlertPolicies, probs: probs, path: "$.spec.alertPolicies"})
}

// pyrraWindows are pyrra's four tiers for a 28-day window, scaled with the
// SLO's window; the factors are fixed.
func pyrraWindows(window time.Duration) []model.AlertTier {
	scale := func(d time.Duration) time.Duration {
		return (time.Duration(float64(d) * float64(window) / float64(28*day))).Round(time.Minute)
	}
	return []model.AlertTier{
		{Name: "page-fast", Severity: model.SeverityPage, Factor: 14, Long: scale(time.Hour), Short: scale(5 * time.Minute)},
		{Name: "page-slow", Severity: model.SeverityPage, Factor: 7, Long: scale(6 * time.Hour), Short: scale(30 * time.Minute)},
		{Name: "ticket-fast", Severity: model.SeverityTicket, Factor: 2, Long: scale(day), Short: scale(2 * time.Hour)},
		{Name: "ticket-slow", Severity: model.SeverityTicket, Factor: 1, Long: scale(4 * day), Short: scale(6 * time.Hour)},
	}
}

func (l *Loader) addPyrra(s *pyrraSLO, loc model.Location, probs *input.YAMLProblems) {
	target, err := strconv.ParseFloat(strings.TrimSpace(s.Spec.Target), 64)
	if err != nil || target <= 0 || target >= 100 {
		probs.Add("$.spec.target", "target must be a percentage between 0 and 100, found %q", s.Spec.Target)
		return
	}
	window, err := model.ParseWindow(s.Spec.Window)
	if err != nil {
		probs.Add("$.spec.window", "%v", err)
		return
	}
	tiers := pyrraWindows(window)
	for i := range tiers {
		tiers[i].BudgetFraction = tiers[i].Factor * float64(tiers[i].Long) / float64(window)
	}
	l.add(&model.SLO{Name: s.Metadata.Name, Objective: target / 100, Period: window, Tiers: tiers,
		Scope: model.SLOScope{All: true}, Format: "pyrra.dev/v1alpha1", Location: loc}, &pending{probs: probs})
}

// Finish resolves references and returns every SLO, sorted by name, or every
// problem found.
func (l *Loader) Finish() ([]*model.SLO, error) {
	for _, p := range l.slos {
		switch {
		case p.sloth:
			tiers, ok := l.windows[p.slo.Period]
			if !ok {
				tiers = slothDefaults()
			}
			for _, t := range tiers {
				if t.Severity == model.SeverityPage && p.noPage {
					continue
				}
				p.slo.Tiers = append(p.slo.Tiers, t)
			}
		case p.policies != nil:
			p.slo.Tiers = l.openSLOTiers(p)
		case p.slo.Tiers == nil:
			p.slo.Tiers = model.WorkbookTiers()
		}
	}
	var errs []error
	for _, d := range l.docs {
		if err := d.Err(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make([]*model.SLO, len(l.slos))
	first := map[string]model.Location{}
	for i, p := range l.slos {
		out[i] = p.slo
		// Two SLOs of one service with one name would share every finding
		// and fingerprint: which one an alarm implements is unknowable.
		key := p.slo.Service + "\x00" + p.slo.Name
		if at, dup := first[key]; dup {
			errs = append(errs, &input.Error{File: p.slo.Location.File, Line: p.slo.Location.Line, Column: 1,
				Msg: fmt.Sprintf("SLO %s is defined twice in service %q (first at %s)", p.slo.Name, p.slo.Service, at)})
			continue
		}
		first[key] = p.slo.Location
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (l *Loader) openSLOTiers(p *pending) []model.AlertTier {
	var tiers []model.AlertTier
	for i, ref := range p.policies {
		policy := &ref.OpenSLOPolicy
		if ref.AlertPolicyRef != "" {
			found, ok := l.policies[ref.AlertPolicyRef]
			if !ok {
				p.probs.Add(fmt.Sprintf("%s[%d].alertPolicyRef", p.path, i), "no AlertPolicy named %q", ref.AlertPolicyRef)
				continue
			}
			policy = found
		}
		for j, cref := range policy.Spec.Conditions {
			cond := &cref.OpenSLOCondition
			if cref.ConditionRef != "" {
				found, ok := l.conditions[cref.ConditionRef]
				if !ok {
					p.probs.Add(fmt.Sprintf("%s[%d]", p.path, i), "no AlertCondition named %q", cref.ConditionRef)
					continue
				}
				cond = found
			}
			c := cond.Spec.Condition
			long, err := model.ParseWindow(c.LookbackWindow)
			if c.Kind != "burnrate" || c.Threshold == nil || err != nil {
				p.probs.Add(fmt.Sprintf("%s[%d]", p.path, i), "condition %d needs kind burnrate, a threshold and a lookbackWindow", j)
				continue
			}
			severity := model.SeverityTicket
			if strings.EqualFold(cond.Spec.Severity, "page") || strings.EqualFold(cond.Spec.Severity, "critical") {
				severity = model.SeverityPage
			}
			name := cond.Metadata.Name
			if name == "" {
				name = fmt.Sprintf("%s-%d", severity, len(tiers)+1)
			}
			tiers = append(tiers, model.AlertTier{Name: name, Severity: severity, Factor: *c.Threshold, Long: long, Short: long / 12,
				BudgetFraction: *c.Threshold * float64(long) / float64(p.slo.Period)})
		}
	}
	if len(tiers) == 0 {
		return model.WorkbookTiers()
	}
	return tiers
}
