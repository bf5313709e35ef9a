package config

import (
	"fmt"
	"time"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// SLO is a native SLO definition.
type SLO struct {
	Name             string        `yaml:"name"`
	Service          string        `yaml:"service"`
	ObjectivePercent float64       `yaml:"objective_percent"`
	Period           string        `yaml:"period"` // 30d by default
	AppliesTo        *SLOScope     `yaml:"applies_to"`
	Tiers            []SLOTier     `yaml:"tiers"` // the workbook's three by default
	Overrides        []SLOOverride `yaml:"overrides"`
}

// SLOScope says which tenants the SLO covers; all of them by default.
type SLOScope struct {
	All     bool     `yaml:"all"`
	Buckets []string `yaml:"buckets"`
	Tenants []string `yaml:"tenants"`
}

// SLOTier is one multiwindow burn-rate tier.
type SLOTier struct {
	Name          string  `yaml:"name"`
	Severity      string  `yaml:"severity"` // page or ticket
	BudgetPercent float64 `yaml:"budget_percent"`
	Long          string  `yaml:"long"`
	Short         string  `yaml:"short"`
}

// SLOOverride sets another objective for a bucket or a tenant.
type SLOOverride struct {
	Bucket           string  `yaml:"bucket"`
	Tenant           string  `yaml:"tenant"`
	ObjectivePercent float64 `yaml:"objective_percent"`
}

func validPercent(v float64) bool { return v > 0 && v < 100 }

func (c *Config) validateSLOs(p *input.YAMLProblems) {
	tenants, buckets := map[string]bool{}, map[string]bool{}
	for _, t := range c.Tenants {
		tenants[t.ID], buckets[t.Bucket] = true, true
	}
	c.sloLines = make([]int, len(c.SLOs))
	for i, s := range c.SLOs {
		c.sloLines[i] = p.Line(fmt.Sprintf("$.slos[%d]", i))
		at := func(f string, args ...any) string { return fmt.Sprintf("$.slos[%d]", i) + fmt.Sprintf(f, args...) }
		if s.Name == "" {
			p.Add(at(""), "SLO has no name")
		}
		if !validPercent(s.ObjectivePercent) {
			p.Add(at(".objective_percent"), "objective_percent must be between 0 and 100 (exclusive), found %g", s.ObjectivePercent)
		}
		if s.Period != "" {
			if _, err := model.ParseWindow(s.Period); err != nil {
				p.Add(at(".period"), "%v", err)
			}
		}
		if s.AppliesTo != nil {
			for j, b := range s.AppliesTo.Buckets {
				if !buckets[b] {
					p.Add(at(".applies_to.buckets[%d]", j), "no tenant is in bucket %q", b)
				}
			}
			for j, t := range s.AppliesTo.Tenants {
				if !tenants[t] {
					p.Add(at(".applies_to.tenants[%d]", j), "unknown tenant %q", t)
				}
			}
		}
		for j, t := range s.Tiers {
			if t.Name == "" {
				p.Add(at(".tiers[%d]", j), "tier has no name")
			}
			if t.Severity != model.SeverityPage && t.Severity != model.SeverityTicket {
				p.Add(at(".tiers[%d].severity", j), "severity must be page or ticket, found %q", t.Severity)
			}
			if !validPercent(t.BudgetPercent) {
				p.Add(at(".tiers[%d].budget_percent", j), "budget_percent must be between 0 and 100, found %g", t.BudgetPercent)
			}
			for _, w := range []struct{ key, v string }{{"long", t.Long}, {"short", t.Short}} {
				if _, err := model.ParseWindow(w.v); err != nil {
					p.Add(at(".tiers[%d].%s", j, w.key), "%v", err)
				}
			}
		}
		for j, o := range s.Overrides {
			if (o.Bucket == "") == (o.Tenant == "") {
				p.Add(at(".overrides[%d]", j), "an override names exactly one of bucket or tenant")
			}
			if o.Tenant != "" && !tenants[o.Tenant] {
				p.Add(at(".overrides[%d].tenant", j), "unknown tenant %q", o.Tenant)
			}
			if !validPercent(o.ObjectivePercent) {
				p.Add(at(".overrides[%d].objective_percent", j), "objective_percent must be between 0 and 100 (exclusive), found %g", o.ObjectivePercent)
			}
		}
	}
}

// ModelSLOs maps the native SLOs into the model; Load has validated them.
func (c *Config) ModelSLOs() []*model.SLO {
	var out []*model.SLO
	for i, s := range c.SLOs {
		slo := &model.SLO{Name: s.Name, Service: s.Service, Objective: s.ObjectivePercent / 100, Format: "driftgate",
			Scope: model.SLOScope{All: true}, Location: model.Location{File: c.File, Line: c.sloLines[i]}}
		slo.Period = 30 * 24 * time.Hour
		if s.Period != "" {
			slo.Period, _ = model.ParseWindow(s.Period)
		}
		if s.AppliesTo != nil && !s.AppliesTo.All {
			slo.Scope = model.SLOScope{Buckets: s.AppliesTo.Buckets, Tenants: s.AppliesTo.Tenants}
		}
		for _, t := range s.Tiers {
			long, _ := model.ParseWindow(t.Long)
			short, _ := model.ParseWindow(t.Short)
			slo.Tiers = append(slo.Tiers, model.AlertTier{Name: t.Name, Severity: t.Severity, BudgetFraction: t.BudgetPercent / 100, Long: long, Short: short})
		}
		if len(slo.Tiers) == 0 {
			slo.Tiers = model.WorkbookTiers()
		}
		for _, o := range s.Overrides {
			slo.Overrides = append(slo.Overrides, model.SLOOverride{Bucket: o.Bucket, Tenant: o.Tenant, Objective: o.ObjectivePercent / 100})
		}
		out = append(out, slo)
	}
	return out
}
