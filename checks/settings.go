package checks

import (
	"regexp"
	"strings"
	"time"

	"github.com/driftgate/driftgate/model"
)

// Settings tune the checks; cmd fills them from the config file.
type Settings struct {
	// suppressed are the fingerprints of the findings ignore rules hid in
	// this run: the run history must not call them resolved.
	suppressed map[string]bool
	// Disabled check IDs do not run.
	Disabled map[string]bool
	// Severity overrides a check's default severity.
	Severity map[string]Severity
	// DriftTolerance is the relative threshold difference (0.01 = 1 %) at or
	// below which declared-vs-live threshold drift is a note, not an error.
	DriftTolerance float64
	// SLOTolerance is the relative difference (0.01 = 1 %) within which a
	// burn factor or threshold matches what the SLO derives.
	SLOTolerance float64
	// ManagedNamespaces and ManagedPrefixes say which live alarms the
	// repository is expected to declare; others are not reported as unmanaged.
	ManagedNamespaces []string
	ManagedPrefixes   []string
	Ignore            []IgnoreRule
	// PagerDutyThresholds are escalation thresholds PagerDuty acts on
	// outside its orchestration rules, from the config.
	PagerDutyThresholds []PagerDutyThreshold
	// FlappingTransitions is how many state changes in the lookback make an
	// alarm flap; 0 means DefaultFlappingTransitions.
	FlappingTransitions int
	// Locked checks are never ignored.
	Locked map[string]bool
	// Now is the run's time, for ignore rules that expire; zero is time.Now.
	Now time.Time
}

func (s *Settings) now() time.Time {
	if s.Now.IsZero() {
		return time.Now()
	}
	return s.Now
}

// DefaultFlappingTransitions is flapping-alarm's limit when none is configured.
const DefaultFlappingTransitions = 10

// PagerDutyThreshold is one annotated PagerDuty threshold; empty SLO, Tier
// and zero Window match any.
type PagerDutyThreshold struct {
	Tenant, SLO, Tier string
	Window            time.Duration
	Ratio             float64
	Note              string
	Location          model.Location
}

// IgnoreRule suppresses findings. Every field it sets must match: the
// subject (resource address or alarm name) and attribute path, which take *
// as a wildcard for any run of characters, the checks, the tenant, the
// live scope's account and region, the CloudFormation stack.
type IgnoreRule struct {
	Address   string
	Attribute string   // empty matches every attribute
	Checks    []string // empty matches every check
	Tenant    string
	Account   string
	Region    string
	Stack     string
	Reason    string
	// Until is when the rule stops ignoring (the day after its last); zero
	// for never. An expired rule ignores nothing and is reported.
	Until time.Time
	// Location is the rule's place in the config.
	Location model.Location

	address, attribute *regexp.Regexp
}

// Expired reports whether the rule has stopped ignoring at now.
func (r *IgnoreRule) Expired(now time.Time) bool { return !r.Until.IsZero() && !now.Before(r.Until) }

// Glob compiles a pattern in which only * is special.
func Glob(pattern string) *regexp.Regexp {
	parts := strings.Split(pattern, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

func (r *IgnoreRule) matches(check string, f *Finding) bool {
	subject, attribute := f.Subject, f.Attribute
	if r.Tenant != "" && r.Tenant != f.Tenant {
		return false
	}
	if r.Account != "" || r.Region != "" {
		account, region, ok := strings.Cut(f.Scope, "/")
		if !ok || r.Account != "" && r.Account != account || r.Region != "" && r.Region != region {
			return false
		}
	}
	if r.Stack != "" && !strings.HasPrefix(subject, r.Stack+"/") {
		return false
	}
	if len(r.Checks) > 0 {
		found := false
		for _, c := range r.Checks {
			found = found || c == check
		}
		if !found {
			return false
		}
	}
	r.compile()
	if r.Address != "" && !r.address.MatchString(subject) {
		return false
	}
	if r.Attribute == "" {
		return true
	}
	return attribute != "" && r.attribute.MatchString(attribute)
}

// compile makes the rule's patterns; Run compiles every rule before the
// checks start, since they match findings side by side.
func (r *IgnoreRule) compile() {
	if r.Address != "" && r.address == nil {
		r.address = Glob(r.Address)
	}
	if r.Attribute != "" && r.attribute == nil {
		r.attribute = Glob(r.Attribute)
	}
}

// ignored reports whether an unexpired rule ignores the finding; locked
// checks are never ignored.
// Suppressed reports whether an ignore rule hid a finding of this fingerprint in the run.
func (s *Settings) Suppressed(fingerprint string) bool { return s.suppressed[fingerprint] }

func (s *Settings) ignored(check string, f *Finding) bool {
	if s.Locked[check] {
		return false
	}
	now := s.now()
	for i := range s.Ignore {
		if !s.Ignore[i].Expired(now) && s.Ignore[i].matches(check, f) {
			return true
		}
	}
	return false
}

// Managed reports whether a live alarm falls under the repository's management.
func (s *Settings) Managed(namespace, name string) bool {
	for _, ns := range s.ManagedNamespaces {
		if ns == namespace {
			return true
		}
	}
	for _, p := range s.ManagedPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
