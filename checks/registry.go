package checks

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"sync"

	"github.com/driftgate/driftgate/model"
)

// All is every check driftgate ships, sorted by ID.
var All = []*Check{
	AlarmDrift,
	AlertRuleParity,
	BaselineChange,
	BurnFactorMismatch,
	BurningWhileQuiet,
	CloudFormationDrift,
	CloudWatchExpressibility,
	CompositeLogic,
	CrossTenantParity,
	DeadAlarm,
	EscalationLatency,
	ExpiredIgnore,
	FlappingAlarm,
	IncompleteInput,
	LowTraffic,
	MissingAlarm,
	MissingDataPages,
	OverwriteGuard,
	PageRouting,
	PagerDutyCoverage,
	PagerDutyDrift,
	RegistryObjective,
	RenamedAlarm,
	RoutingAssertion,
	ServiceSLOBurnRate,
	SLOMapping,
	TenantCoverage,
	TenantRoute,
	TerraformDrift,
	ThresholdParity,
	TierSanity,
	UnmanagedAlarm,
	UnreachableThreshold,
	WindowPairing,
	WouldHavePaged,
}

// ByID returns the check with the given ID.
func ByID(id string) (*Check, bool) {
	for _, c := range All {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Validate reports every problem with a list of checks: IDs that are not
// unique, sorted or kebab-case, and missing titles, docs or severities.
func Validate(list []*Check) error {
	var errs []error
	seen := map[string]bool{}
	for i, c := range list {
		if !idPattern.MatchString(c.ID) {
			errs = append(errs, fmt.Errorf("check %d: ID %q is not kebab-case", i, c.ID))
		}
		if seen[c.ID] {
			errs = append(errs, fmt.Errorf("check %q: duplicate ID", c.ID))
		}
		seen[c.ID] = true
		if i > 0 && list[i-1].ID > c.ID {
			errs = append(errs, fmt.Errorf("check %q: list not sorted by ID", c.ID))
		}
		if c.Title == "" || c.Doc.Summary == "" || c.Doc.Why == "" || c.Doc.Fix == "" || c.Doc.Example == "" {
			errs = append(errs, fmt.Errorf("check %q: title and every doc section are required", c.ID))
		}
		if c.DefaultSeverity < SeverityNote || c.DefaultSeverity > SeverityError {
			errs = append(errs, fmt.Errorf("check %q: unknown default severity %d", c.ID, c.DefaultSeverity))
		}
		if c.Run == nil {
			errs = append(errs, fmt.Errorf("check %q: no Run function", c.ID))
		}
	}
	return errors.Join(errs...)
}

// Run runs every enabled check over the world and returns the findings,
// sorted deterministically, and what it could not judge. A check runs only
// when every feed it needs was read; its findings that rest on a scope of a
// feed that was read incompletely are withheld (never reported from data
// that was not read), and that check and scope are listed as not judged.
func Run(world *model.World, settings *Settings, list []*Check) ([]Finding, []NotJudged) {
	reads := world.FeedReads()
	common := &shared{}
	for i := range settings.Ignore {
		settings.Ignore[i].compile()
	}
	// Checks only read the world, so they run side by side; each one's
	// results keep its place in the list, so the output does not depend on
	// which finishes first.
	type result struct {
		findings   []Finding
		notJudged  []NotJudged
		suppressed []string
	}
	results := make([]result, len(list))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(list)) {
		wg.Go(func() {
			for i := range next {
				c := list[i]
				if missing := unread(c, reads); len(missing) > 0 {
					results[i].notJudged = missing
					continue
				}
				pass := &Pass{World: world, Settings: settings, check: c, shared: common}
				c.Run(pass)
				results[i].findings, results[i].notJudged = judge(c, reads, pass.findings)
				results[i].suppressed = pass.suppressed
			}
		})
	}
	for i, c := range list {
		if !settings.Disabled[c.ID] {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	var out []Finding
	var notJudged []NotJudged
	for _, r := range results {
		out = append(out, r.findings...)
		notJudged = append(notJudged, r.notJudged...)
		for _, fp := range r.suppressed {
			if settings.suppressed == nil {
				settings.suppressed = map[string]bool{}
			}
			settings.suppressed[fp] = true
		}
	}
	SortFindings(out)
	return out, notJudged
}

// unread lists a check's needs that were not read at all.
func unread(c *Check, reads model.Reads) []NotJudged {
	var out []NotJudged
	for _, f := range c.Needs {
		if ok, why := reads.Available(f); !ok {
			out = append(out, NotJudged{Check: c.ID, Feed: f, Why: why})
		}
	}
	if len(c.NeedsAny) > 0 {
		found, why := false, ""
		for _, f := range c.NeedsAny {
			ok, w := reads.Available(f)
			found = found || ok
			if why == "" {
				why = w
			}
		}
		if !found {
			out = append(out, NotJudged{Check: c.ID, Feed: c.NeedsAny[0], Why: why + ", nor any other alarms to judge"})
		}
	}
	return out
}

// judge withholds the findings that rest on an incompletely read scope of
// one of the check's feeds, and says which scopes were not judged.
func judge(c *Check, reads model.Reads, findings []Finding) ([]Finding, []NotJudged) {
	var incomplete []model.Read
	for _, f := range c.Feeds() {
		incomplete = append(incomplete, reads.Incomplete(f)...)
	}
	if len(incomplete) == 0 {
		return findings, nil
	}
	kept := findings[:0:0]
	for _, f := range findings {
		if !restsOn(f, incomplete) {
			kept = append(kept, f)
		}
	}
	var out []NotJudged
	for _, r := range incomplete {
		nj := NotJudged{Check: c.ID, Scope: r.Scope, Feed: r.Feed, Incomplete: true, Why: r.Why}
		if r.Scope == "" {
			nj.Scope = string(r.Feed)
		}
		if !slices.Contains(out, nj) {
			out = append(out, nj)
		}
	}
	return kept, out
}

// restsOn reports whether a finding depends on any of the incomplete reads:
// a finding on declared data depends only on declared feeds (an SLO
// registry, an alert rule table); one on a region's live data on
// that region's reads and on every read that is not per region; one without
// a scope (about absence, or across regions) on all of them.
func restsOn(f Finding, incomplete []model.Read) bool {
	for _, r := range incomplete {
		if f.Scope == model.ScopeDeclared {
			if r.Feed.Declared() {
				return true
			}
			continue
		}
		if f.Scope == "" || r.Scope == "" || !r.Feed.PerRegion() || r.Scope == f.Scope {
			return true
		}
	}
	return false
}

// SortFindings orders by severity (most severe first), tenant, check, subject,
// then message, so every report lists findings in the same order.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.Tenant, b.Tenant),
			cmp.Compare(a.Check, b.Check),
			cmp.Compare(a.Subject, b.Subject),
			cmp.Compare(a.Attribute, b.Attribute),
			cmp.Compare(a.Message, b.Message),
		)
	})
}
