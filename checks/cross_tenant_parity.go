package checks

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/driftgate/driftgate/model"
)

// CrossTenantParity finds tenants whose alarms differ from their bucket's majority.
var CrossTenantParity = &Check{
	ID:    "cross-tenant-parity",
	Title: "Tenant's alarm differs from the rest of its tier bucket",
	Doc: Doc{
		Summary: "Tenants in one tier bucket share their SLO settings, so their alarms for the same SLO, tier " +
			"and window should agree on threshold, period, evaluation periods, datapoints, treat-missing-data, " +
			"whether actions are enabled, and how many actions there are. For each attribute with a strict " +
			"majority among the bucket's tenants, every tenant that departs from it is reported against the " +
			"majority, with the difference.",
		Example: "Eleven gold tenants treat missing data as notBreaching, one as breaching:\n\n" +
			"    tenant 5e6f70 (bucket silver) SLO availability tier page-fast 1h: treat_missing_data is \"breaching\" where 3 of 4 silver tenants have \"notBreaching\"",
		Why: "A threshold changed in one template and stale in the others is the classic multi-tenant drift: " +
			"one tenant pages at another level than its peers, and nobody decided that.",
		Fix: "Bring the outlier back to the bucket's setting, or move the tenant to the bucket whose settings it should have.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"slo", "tenancy"},
	Needs:           []model.Feed{model.FeedSLO},
	NeedsAny:        []model.Feed{model.FeedDeclared, model.FeedAlarms},
	Run:             runCrossTenantParity,
}

type parityAttribute struct {
	name   string
	render func(a *model.Alarm) string
}

var parityAttributes = []parityAttribute{
	{"threshold", func(a *model.Alarm) string {
		if !a.Threshold.Known {
			return a.Threshold.String()
		}
		return strconv.FormatFloat(a.Threshold.Value, 'g', 6, 64) // 1.44, not 1.4400000000000013
	}},
	{"period", func(a *model.Alarm) string { return strconv.Itoa(int(alarmWindow(a).Seconds())) }},
	{"evaluation_periods", func(a *model.Alarm) string { return strconv.Itoa(a.EvaluationPeriods) }},
	{"datapoints_to_alarm", func(a *model.Alarm) string { return strconv.Itoa(a.EffectiveDatapoints()) }},
	{"treat_missing_data", func(a *model.Alarm) string {
		if a.TreatMissingData == "" {
			return "missing"
		}
		return a.TreatMissingData
	}},
	{"actions_enabled", func(a *model.Alarm) string { return strconv.FormatBool(a.ActionsEnabled) }},
	{"alarm_actions count", func(a *model.Alarm) string { return strconv.Itoa(len(a.AlarmActions)) }},
}

func runCrossTenantParity(pass *Pass) {
	type groupKey struct{ bucket, slo, tier string }
	type member struct {
		b    *binding
		role string // long, short or composite
	}
	groups := map[groupKey][]member{}
	for _, b := range pass.SLO().Bound {
		role := "composite"
		if b.Window != 0 {
			role = model.FormatWindow(b.Window)
		}
		k := groupKey{b.Tenant.Bucket, b.SLO.Ref(), b.Tier.Name + " " + role}
		groups[k] = append(groups[k], member{b, role})
	}
	keys := make([]groupKey, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j])
	})
	for _, k := range keys {
		members := groups[k]
		if len(members) < 3 {
			continue // no majority to speak of
		}
		for _, at := range parityAttributes {
			if members[0].role == "composite" && at.name != "actions_enabled" && at.name != "alarm_actions count" {
				continue
			}
			counts := map[string]int{}
			for _, m := range members {
				counts[at.render(m.b.Alarm)]++
			}
			majority, n := "", 0
			for v, c := range counts {
				if c > n || c == n && v < majority {
					majority, n = v, c
				}
			}
			if n*2 <= len(members) {
				continue
			}
			for _, m := range members {
				got := at.render(m.b.Alarm)
				if got == majority {
					continue
				}
				diff := ""
				if x, err1 := strconv.ParseFloat(got, 64); err1 == nil {
					if y, err2 := strconv.ParseFloat(majority, 64); err2 == nil && y != 0 {
						diff = fmt.Sprintf(" (%+.2f%%)", (x-y)/y*100)
					}
				}
				a := m.b.Alarm
				var fix *Fix
				if y, err := strconv.ParseFloat(majority, 64); err == nil && at.name == "threshold" && a.Threshold.Known && a.ThresholdRatio.Known && a.Threshold.Value != 0 {
					fix = fixThreshold(a, y*a.ThresholdRatio.Value/a.Threshold.Value) // the majority, as this alarm writes it
				}
				pass.Reportf(Finding{Tenant: m.b.Tenant.ID, Subject: alarmSubject(a), Attribute: at.name, Location: pass.alarmLocation(a), Identity: a.Name + "/" + at.name, Fix: fix},
					"tenant %s (bucket %s) SLO %s tier %s: %s is %s where %d of %d %s tenants have %s%s",
					m.b.Tenant.ID, k.bucket, k.slo, k.tier, at.name, display(got), n, len(members), k.bucket, display(majority), diff)
			}
		}
	}
}
