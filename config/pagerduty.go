package config

import (
	"fmt"
	"time"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// PagerDuty describes what PagerDuty acts on that its API does not show.
type PagerDuty struct {
	// Thresholds are the error rates at which PagerDuty escalates outside
	// its orchestration rules (a runbook automation, a tenant contract);
	// threshold-parity compares them with CloudWatch's.
	Thresholds []PagerDutyThreshold `yaml:"thresholds"`
	// Timeout bounds the PagerDuty read, e.g. 5m; by default 2 minutes plus
	// the pace's time for one request per service.
	Timeout string `yaml:"timeout"`
}

// PagerDutyThreshold annotates one escalation threshold. SLO, tier and
// window narrow which of the tenant's window alarms it applies to.
type PagerDutyThreshold struct {
	Tenant           string  `yaml:"tenant"`
	SLO              string  `yaml:"slo"`
	Tier             string  `yaml:"tier"`
	Window           string  `yaml:"window"`
	ThresholdPercent float64 `yaml:"threshold_percent"`
	Note             string  `yaml:"note"`
}

func (c *Config) validatePagerDuty(p *input.YAMLProblems) {
	known := map[string]bool{}
	for _, t := range c.Tenants {
		known[t.ID] = true
	}
	c.pdLines = make([]int, len(c.PagerDuty.Thresholds))
	for i, t := range c.PagerDuty.Thresholds {
		at := fmt.Sprintf("$.pagerduty.thresholds[%d]", i)
		c.pdLines[i] = p.Line(at)
		switch {
		case t.Tenant == "":
			p.Add(at, "threshold has no tenant")
		case len(c.Tenants) > 0 && !known[t.Tenant]:
			p.Add(at+".tenant", "tenant %q is not in tenants", t.Tenant)
		}
		if t.Window != "" {
			if _, err := model.ParseWindow(t.Window); err != nil {
				p.Add(at+".window", "%v", err)
			}
		}
		if outside(t.ThresholdPercent, 0, 100) || t.ThresholdPercent == 0 {
			p.Add(at+".threshold_percent", "threshold_percent must be above 0 and at most 100, found %g", t.ThresholdPercent)
		}
	}
}

func (c *Config) pagerDutyThresholds() []checks.PagerDutyThreshold {
	var out []checks.PagerDutyThreshold
	for i, t := range c.PagerDuty.Thresholds {
		var window time.Duration
		if t.Window != "" {
			window, _ = model.ParseWindow(t.Window)
		}
		out = append(out, checks.PagerDutyThreshold{Tenant: t.Tenant, SLO: t.SLO, Tier: t.Tier, Window: window,
			Ratio: t.ThresholdPercent / 100, Note: t.Note, Location: model.Location{File: c.File, Line: c.pdLines[i]}})
	}
	return out
}
