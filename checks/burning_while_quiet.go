package checks

import (
	"fmt"

	"github.com/driftgate/driftgate/model"
)

// BurningWhileQuiet reports tenants burning error budget above a page tier's
// factor in both windows while that tier's alarm does not alarm.
var BurningWhileQuiet = &Check{
	ID:    "burning-while-quiet",
	Title: "Tenant burns budget past a page tier while its alarm is quiet",
	Doc: Doc{
		Summary: "From each page-tier window alarm's own series (metric data over the lookback), takes the " +
			"latest error ratio of the tier's long and short windows and divides it by the tenant's budget " +
			"(burn rate = error ratio / (1 − S)). When both windows burn at or above the tier's factor and the " +
			"tier's alarm (its composite, else its window alarms) is not in ALARM, the tenant is burning while " +
			"the page stays quiet: an error naming the burn rate and what keeps the alarm from firing. A datapoint " +
			"older than two of its windows is stale and not used.",
		Example: "Tenant d4e5f6 (99.667 %) runs at 10 % errors in both windows; its 1h alarm was raised to 50 % in the console:\n\n" +
			"    tenant d4e5f6 SLO availability tier page-fast: burning at 30x (1h 10%, 5m 10%), past the tier's 14.4x, " +
			"while slo-d4e5f6-availability-page-fast is OK: slo-d4e5f6-availability-page-fast-1h pages only above 50%",
		Why: "This is the outage nobody is paged for: the budget burns down and the alarm that exists for exactly this stays green.",
		Fix: "Restore the thresholds the SLO derives (burn-factor-mismatch and alarm-drift name them), and page now if the burn is real.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"evidence", "slo", "cloudwatch"},
	Needs:           []model.Feed{model.FeedMetrics, model.FeedSLO, model.FeedAlarms},
	Uses:            []model.Feed{model.FeedDeclared},
	Run:             runBurningWhileQuiet,
}

// windowBurn is one window alarm's latest reading.
type windowBurn struct {
	b     *binding
	live  *model.Alarm
	ratio float64
	burn  float64
}

func runBurningWhileQuiet(pass *Pass) {
	v := pass.evidence()
	if v == nil {
		return
	}
	live := pass.LiveByName()
	type key struct{ tenant, slo, tier string }
	windows := map[key][]windowBurn{}
	composites := map[key]*model.Alarm{}
	var order []key
	for _, b := range pass.SLO().Bound {
		if b.Tier.Severity != model.SeverityPage {
			continue
		}
		k := key{b.Tenant.ID, b.SLO.Ref(), b.Tier.Name}
		l := live[b.Alarm.Name]
		if l == nil {
			continue
		}
		if b.Window == 0 {
			composites[k] = l
			continue
		}
		wb, ok := latestBurn(v, b, l)
		if !ok {
			continue
		}
		if _, seen := windows[k]; !seen {
			order = append(order, k)
		}
		windows[k] = append(windows[k], wb)
	}
	for _, k := range order {
		ws := windows[k]
		var long, short *windowBurn
		for i := range ws {
			if ws[i].b.Long {
				long = &ws[i]
			} else {
				short = &ws[i]
			}
		}
		if long == nil || short == nil {
			continue
		}
		factor := long.b.Factor()
		if long.burn < factor || short.burn < factor {
			continue
		}
		// What would page: the tier's composite, else both windows.
		quiet, alarm, why := "", "", ""
		if c := composites[k]; c != nil {
			if c.State != "ALARM" {
				quiet, alarm = c.State, c.Name
			}
		} else {
			for _, w := range []*windowBurn{long, short} {
				if w.live.State != "ALARM" {
					quiet, alarm = w.live.State, w.live.Name
				}
			}
		}
		if quiet == "" {
			continue
		}
		// Say what keeps it quiet: a window whose threshold is above the burn.
		for _, w := range []*windowBurn{long, short} {
			if w.live.State != "ALARM" && w.live.ThresholdRatio.Known && w.ratio <= w.live.ThresholdRatio.Value {
				why = fmt.Sprintf(": %s pages only above %s", w.live.Name, pct(w.live.ThresholdRatio.Value))
				break
			}
		}
		f := v.finding(pass, long.live)
		f.Tenant, f.Identity, f.Subject = k.tenant, k.tenant+"/"+k.slo+"/"+k.tier, long.b.Alarm.Name
		if d := v.declared[long.live.Name]; d != nil {
			f.Subject = alarmSubject(d)
		}
		f.Evidence = map[string]string{"burn_long": burnX(long.burn), "burn_short": burnX(short.burn), "factor": burnX(factor),
			"ratio_long": pct(long.ratio), "ratio_short": pct(short.ratio), "state": quiet}
		pass.Reportf(f, "tenant %s SLO %s tier %s: burning at %s (%s %s, %s %s), past the tier's %s, while %s is %s%s",
			k.tenant, k.slo, k.tier, burnX(min(long.burn, short.burn)), model.FormatWindow(long.b.Window), pct(long.ratio),
			model.FormatWindow(short.b.Window), pct(short.ratio), burnX(factor), alarm, quiet, why)
	}
}

// latestBurn reads a window alarm's most recent datapoint as an error ratio
// and a burn rate; a datapoint older than two windows is stale.
func latestBurn(v *evidenceView, b *binding, l *model.Alarm) (windowBurn, bool) {
	sum, read := v.series(l)
	if !read || sum.Points == 0 {
		return windowBurn{}, false
	}
	last := sum.Last
	if v.ev.End.Sub(last.Time()) > 2*b.Window+b.Window/2 {
		return windowBurn{}, false
	}
	scale, ok := ratioScale(b.Alarm, l)
	if !ok {
		return windowBurn{}, false
	}
	ratio := last.Value * scale
	return windowBurn{b: b, live: l, ratio: ratio, burn: ratio / b.Budget()}, true
}

// ratioScale turns the alarm's unit into a ratio (0.01 for percent), from
// the threshold as written and as a ratio.
func ratioScale(alarms ...*model.Alarm) (float64, bool) {
	for _, a := range alarms {
		if a.Threshold.Known && a.ThresholdRatio.Known && a.Threshold.Value != 0 {
			return a.ThresholdRatio.Value / a.Threshold.Value, true
		}
	}
	return 0, false
}

func burnX(b float64) string { return fmt.Sprintf("%.3gx", b) }
