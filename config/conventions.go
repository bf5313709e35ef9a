package config

import "github.com/driftgate/driftgate/model"

// ModelTenants returns the configured tenants, or the implicit one.
func (c *Config) ModelTenants() []model.Tenant {
	if len(c.Tenants) == 0 {
		return []model.Tenant{{ID: ImplicitTenant, Implicit: true}}
	}
	out := make([]model.Tenant, len(c.Tenants))
	for i, t := range c.Tenants {
		out[i] = model.Tenant{ID: t.ID, Bucket: t.Bucket, EventsPerMinute: t.EventsPerMinute}
	}
	return out
}

// Classify ties an alarm to its tenant, SLO, tier and window by the
// conventions, in order: tag, dimension, alarm name. It also normalises the
// threshold to a ratio.
func (c *Config) Classify(a *model.Alarm) {
	if c.nameRE != nil {
		if m := c.nameRE.FindStringSubmatch(a.Name); m != nil {
			for i, g := range c.nameRE.SubexpNames() {
				switch g {
				case "tenant":
					a.Tenant = m[i]
				case "slo":
					a.SLO = m[i]
				case "tier":
					a.Tier = m[i]
				case "window":
					a.Window = m[i]
				}
			}
		}
	}
	if d := c.Conventions.TenantDimension; d != "" {
		if v := dimension(a, d); v != "" {
			a.Tenant = v
		}
	}
	if t := c.Conventions.TenantTag; t != "" && a.Tags.Get(t) != "" {
		a.Tenant = a.Tags.Get(t)
	}
	if len(c.Tenants) == 0 {
		a.Tenant = ImplicitTenant
	}
	// Without a declared unit the ratio is unknown: guessing would turn a
	// count threshold of 5 into a 500 % error rate.
	switch {
	case !a.Threshold.Known:
		a.ThresholdRatio = model.Unknown
	case c.Conventions.ThresholdUnit == "ratio":
		a.ThresholdRatio = a.Threshold
	case c.Conventions.ThresholdUnit == "percent":
		a.ThresholdRatio = model.Known(a.Threshold.Value / 100)
	default:
		a.ThresholdRatio = model.Unknown
	}
}

// dimension finds a dimension value on the alarm or any metric of its math.
func dimension(a *model.Alarm, name string) string {
	for _, d := range a.Dimensions {
		if d.Name == name {
			return d.Value
		}
	}
	for _, q := range a.Metrics {
		for _, d := range q.Dimensions {
			if d.Name == name {
				return d.Value
			}
		}
	}
	return ""
}

// ClassifyServices ties PagerDuty services to tenants by the service naming convention.
func (c *Config) ClassifyServices(pd *model.PagerDuty) {
	if c.pdRE == nil || pd == nil {
		return
	}
	for _, s := range pd.Services {
		if m := c.pdRE.FindStringSubmatch(s.Name); m != nil {
			s.Tenant = m[c.pdRE.SubexpIndex("tenant")]
		}
	}
}
