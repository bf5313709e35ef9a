package checks

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/driftgate/driftgate/model"
)

// All is every check driftgate ships, sorted by ID.
var All = []*Check{
	AlarmDrift,
	BaselineChange,
	BurnFactorMismatch,
	CloudFormationDrift,
	CloudWatchExpressibility,
	CompositeLogic,
	CrossTenantParity,
	EscalationLatency,
	IncompleteInput,
	LowTraffic,
	MissingAlarm,
	MissingDataPages,
	PageRouting,
	PagerDutyCoverage,
	PagerDutyDrift,
	RenamedAlarm,
	SLOMapping,
	TenantCoverage,
	TenantRoute,
	TerraformDrift,
	ThresholdParity,
	TierSanity,
	UnmanagedAlarm,
	UnreachableThreshold,
	WindowPairing,
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
// sorted deterministically.
func Run(world *model.World, settings *Settings, list []*Check) []Finding {
	var out []Finding
	common := &shared{}
	for _, c := range list {
		if settings.Disabled[c.ID] {
			continue
		}
		pass := &Pass{World: world, Settings: settings, check: c, shared: common}
		c.Run(pass)
		out = append(out, pass.findings...)
	}
	SortFindings(out)
	return out
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
