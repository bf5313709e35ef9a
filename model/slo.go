package model

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Tier severities.
const (
	SeverityPage   = "page"
	SeverityTicket = "ticket"
)

// AlertTier is one multiwindow burn-rate tier of an SLO (Google SRE workbook,
// "Alerting on SLOs"): alert when both windows burn budget fraction p.
type AlertTier struct {
	Name           string // page-fast, ticket, ... as alarm names carry it
	Severity       string // page or ticket
	BudgetFraction float64
	Long, Short    time.Duration
	// Factor is the burn factor b the spec states; 0 when it is derived
	// from BudgetFraction (b = p·T/w).
	Factor float64
}

// BurnFactor is b = p·T/w for the tier's long window, unless the spec states b.
func (t AlertTier) BurnFactor(period time.Duration) float64 {
	if t.Factor != 0 {
		return t.Factor
	}
	return t.BudgetFraction * float64(period) / float64(t.Long)
}

// SLOScope says which tenants an SLO applies to.
type SLOScope struct {
	All     bool
	Buckets []string
	Tenants []string
	// Except are tenants the scope would cover whose SLO of this name comes
	// from elsewhere (a registry item replaces the spec for its tenant).
	Except []string
}

// Includes reports whether the scope covers the tenant.
func (s SLOScope) Includes(t Tenant) bool {
	if slices.Contains(s.Except, t.ID) {
		return false
	}
	if s.All {
		return true
	}
	for _, b := range s.Buckets {
		if b == t.Bucket {
			return true
		}
	}
	for _, id := range s.Tenants {
		if id == t.ID {
			return true
		}
	}
	return false
}

// SLOOverride changes the objective for a bucket or a tenant.
type SLOOverride struct {
	Bucket    string
	Tenant    string
	Objective float64
}

// SLO is one service level objective, from any spec format.
type SLO struct {
	Name      string
	Service   string
	Objective float64 // S, a ratio: 0.999
	Period    time.Duration
	Tiers     []AlertTier
	Scope     SLOScope
	Overrides []SLOOverride // tenant overrides win over bucket overrides
	// EventsPerMinute is the expected request volume per tenant, 0 when unknown.
	EventsPerMinute float64
	Format          string // openslo/v1, sloth/prometheus/v1, pyrra, driftgate, dynamodb
	Location        Location
	// Registry names the registry table the SLO came from ("dynamodb
	// SloRegistry (us-east-1)"); "" for a spec file's.
	Registry string
}

// ObjectiveFor is the objective that applies to a tenant after overrides.
func (s *SLO) ObjectiveFor(t Tenant) float64 {
	obj := s.Objective
	for _, o := range s.Overrides {
		if o.Bucket != "" && o.Bucket == t.Bucket {
			obj = o.Objective
		}
	}
	for _, o := range s.Overrides {
		if o.Tenant != "" && o.Tenant == t.ID {
			obj = o.Objective
		}
	}
	return obj
}

// Tier returns the tier with the given name.
func (s *SLO) Tier(name string) (AlertTier, bool) {
	for _, t := range s.Tiers {
		if t.Name == name {
			return t, true
		}
	}
	return AlertTier{}, false
}

// Burn-rate arithmetic; design.md §4. S is the objective, B = 1 - S the
// error budget, T the period, w a window, p a budget fraction, b a factor.

// Budget is B = 1 - S.
func Budget(objective float64) float64 { return 1 - objective }

// ErrorRatioThreshold is the error ratio at which a factor-b alert fires: b·B.
func ErrorRatioThreshold(factor, budget float64) float64 { return factor * budget }

// CanFire reports whether an error ratio threshold is reachable: b·B <= 1.
func CanFire(factor, budget float64) bool { return factor*budget <= 1+1e-12 }

// DetectionTime is how long a constant error ratio e takes to fire a tier
// with long window w: w·b·B/e.
func DetectionTime(long time.Duration, factor, budget, errorRatio float64) time.Duration {
	return time.Duration(float64(long) * factor * budget / errorRatio)
}

// BudgetTime is the error budget as time at 100 % errors: B·T.
func BudgetTime(budget float64, period time.Duration) time.Duration {
	return time.Duration(budget * float64(period))
}

// SingleErrorEvents is the event count below which one error alone reaches
// the threshold b·B: 1/(b·B).
func SingleErrorEvents(factor, budget float64) float64 { return 1 / (factor * budget) }

// RelativeDrift is |a - b| / |b|, the drift of a from reference b.
func RelativeDrift(a, b float64) float64 {
	if b == 0 {
		if a == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return math.Abs(a-b) / math.Abs(b)
}

// Near compares floats with a relative tolerance (sloth's budget of 99.9 % is
// 0.0009999999999999432, not 0.001).
func Near(a, b, tolerance float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= tolerance*math.Max(math.Abs(a), math.Abs(b))
}

// windowUnit is the length of a duration unit SLO specs write; 0 for none.
func windowUnit(c byte) time.Duration {
	switch c {
	case 's':
		return time.Second
	case 'm':
		return time.Minute
	case 'h':
		return time.Hour
	case 'd':
		return 24 * time.Hour
	case 'w':
		return 7 * 24 * time.Hour
	}
	return 0
}

// ParseWindow reads durations as SLO specs write them: 5m, 1h, 30d, 2w, 1h30m.
func ParseWindow(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var total time.Duration
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, fmt.Errorf("invalid duration %q (want a number and a unit: s, m, h, d or w)", s)
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		unit := windowUnit(rest[i])
		if unit == 0 || i+1 < len(rest) && rest[i] == 'm' && rest[i+1] == 's' {
			return 0, fmt.Errorf("invalid duration %q (units: s, m, h, d, w)", s)
		}
		total += time.Duration(n * float64(unit))
		rest = rest[i+1:]
	}
	if total <= 0 {
		return 0, fmt.Errorf("duration %q must be positive", s)
	}
	return total, nil
}

// Ref names the SLO in findings: "service/name" for SLOs from spec files
// (sloth, OpenSLO, pyrra), where two services often share an SLO name such as
// "availability" and must not share findings or fingerprints; the name alone
// for the config's native SLOs, whose names are unique.
func (s *SLO) Ref() string {
	if s.Service == "" || s.Format == "driftgate" {
		return s.Name
	}
	return s.Service + "/" + s.Name
}

// FormatWindow prints a duration the way alarm names and specs write it.
func FormatWindow(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return d.String()
}

// WorkbookTiers are the workbook's three tiers for a period: page at 2 % of
// the budget over 1h/5m and 5 % over 6h/30m, ticket at 10 % over 3d/6h.
func WorkbookTiers() []AlertTier {
	return []AlertTier{
		{Name: "page-fast", Severity: SeverityPage, BudgetFraction: 0.02, Long: time.Hour, Short: 5 * time.Minute},
		{Name: "page-slow", Severity: SeverityPage, BudgetFraction: 0.05, Long: 6 * time.Hour, Short: 30 * time.Minute},
		{Name: "ticket", Severity: SeverityTicket, BudgetFraction: 0.10, Long: 72 * time.Hour, Short: 6 * time.Hour},
	}
}
