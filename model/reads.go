package model

import (
	"fmt"
	"slices"
)

// Feed is one kind of input the checks read. Each check declares the feeds
// it needs; the engine records how each was read (Read), and the checks
// framework judges a check only where its feeds were read completely.
type Feed string

const (
	// FeedDeclared is declared alarm configuration: Terraform plans or
	// CloudFormation templates.
	FeedDeclared Feed = "declared"
	// FeedPlan is Terraform plans (their resource_drift and routing).
	FeedPlan Feed = "plan"
	// FeedSLO is SLO specs and the config's SLOs.
	FeedSLO Feed = "slo"
	// FeedAlarms is live CloudWatch alarms, per account and region.
	FeedAlarms Feed = "cloudwatch"
	// FeedAllAlarms is every live alarm of a region (a sweep), not only the
	// declared names: what finds undeclared alarms.
	FeedAllAlarms Feed = "cloudwatch-sweep"
	// FeedStackDrift is CloudFormation stack drift detection, per account and region.
	FeedStackDrift Feed = "cloudformation"
	// FeedSNS is the SNS subscriptions of alarm topics, per account and region.
	FeedSNS Feed = "sns"
	// FeedPagerDuty is PagerDuty's services, escalation policies and orchestrations.
	FeedPagerDuty Feed = "pagerduty"
	// FeedBaseline is a previous audit's attestation.
	FeedBaseline Feed = "baseline"
	// FeedMetrics is metric data of the live alarms (GetMetricData), per
	// account and region.
	FeedMetrics Feed = "metrics"
	// FeedHistory is the live alarms' state history (DescribeAlarmHistory),
	// per account and region.
	FeedHistory Feed = "history"
	// FeedAlertRules is SQL alert rule tables, one scope per configured source.
	FeedAlertRules Feed = "alert-rules"
	// FeedSLORegistry is the SLO registry tables, one scope per table. It is
	// derived from the SLO feed's scoped reads: a registry is an SLO source.
	FeedSLORegistry Feed = "slo-registry"
	// FeedServiceSLOs is Application Signals SLOs, per account and region.
	FeedServiceSLOs Feed = "application-signals"
)

// Feeds lists every feed, in the order reports show them.
var Feeds = []Feed{FeedDeclared, FeedPlan, FeedSLO, FeedAlarms, FeedAllAlarms, FeedStackDrift, FeedSNS, FeedPagerDuty, FeedBaseline, FeedMetrics, FeedHistory, FeedAlertRules, FeedSLORegistry, FeedServiceSLOs}

// Title names the feed for people.
func (f Feed) Title() string {
	switch f {
	case FeedDeclared:
		return "declared alarms (plan or template)"
	case FeedPlan:
		return "Terraform plan"
	case FeedSLO:
		return "SLOs"
	case FeedAlarms:
		return "live CloudWatch alarms"
	case FeedAllAlarms:
		return "every live CloudWatch alarm (sweep)"
	case FeedStackDrift:
		return "CloudFormation stack drift"
	case FeedSNS:
		return "SNS subscriptions"
	case FeedPagerDuty:
		return "PagerDuty"
	case FeedBaseline:
		return "baseline attestation"
	case FeedMetrics:
		return "metric data"
	case FeedHistory:
		return "alarm history"
	case FeedAlertRules:
		return "SQL alert rules"
	case FeedSLORegistry:
		return "SLO registry"
	case FeedServiceSLOs:
		return "Application Signals SLOs"
	}
	return string(f)
}

// PerRegion reports whether the feed is read per AWS account and region, so
// that a finding resting on one region can be judged when another failed.
func (f Feed) PerRegion() bool {
	return f == FeedAlarms || f == FeedAllAlarms || f == FeedStackDrift || f == FeedSNS || f == FeedMetrics || f == FeedHistory || f == FeedServiceSLOs
}

// Declared reports whether the feed is declared configuration rather than
// live state: a finding on declared data (ScopeDeclared) still rests on it.
func (f Feed) Declared() bool {
	return f == FeedDeclared || f == FeedPlan || f == FeedSLO || f == FeedSLORegistry || f == FeedAlertRules || f == FeedBaseline
}

// ReadState is how completely one feed was read in one scope.
type ReadState string

const (
	// ReadComplete: everything there was, was read.
	ReadComplete ReadState = "complete"
	// ReadIncomplete: asked for, but not read in full (an API failed, a
	// deadline passed, no credentials): the run is inconclusive.
	ReadIncomplete ReadState = "incomplete"
	// ReadSkipped: not asked for or not available by design (no --live, no
	// token, a fork pull request): its checks are not judged, and the run is
	// not inconclusive for it.
	ReadSkipped ReadState = "skipped"
)

// Read records how one feed was read in one scope.
type Read struct {
	Feed Feed
	// Scope is "ACCOUNT/REGION" for per-region feeds, "" for the others.
	Scope string
	State ReadState
	// Why says why the read is incomplete or skipped.
	Why string
}

// ScopeDeclared marks a finding that rests on declared inputs only: no live
// feed's completeness can take it away.
const ScopeDeclared = "declared"

// AWSScope is the scope of an AWS account and region.
func AWSScope(account, region string) string { return account + "/" + region }

// ScopeOf is the scope an alarm's data comes from: its account and region
// for a live alarm, ScopeDeclared for a declared one.
func ScopeOf(a *Alarm) string {
	if a == nil {
		return ""
	}
	if a.Source == SourceLive {
		return AWSScope(a.Account, a.Region)
	}
	return ScopeDeclared
}

// Reads is every read of a run.
type Reads []Read

// Of returns the reads of one feed.
func (rs Reads) Of(f Feed) []Read {
	var out []Read
	for _, r := range rs {
		if r.Feed == f {
			out = append(out, r)
		}
	}
	return out
}

// Available reports whether the feed was read at all (completely or not)
// and, when it was not, why.
func (rs Reads) Available(f Feed) (bool, string) {
	why := "not read"
	for _, r := range rs.Of(f) {
		if r.State != ReadSkipped {
			return true, ""
		}
		if r.Why != "" {
			why = r.Why
		}
	}
	return false, why
}

// Incomplete returns the feed's scopes that were asked for but not read in full.
func (rs Reads) Incomplete(f Feed) []Read {
	var out []Read
	for _, r := range rs.Of(f) {
		if r.State == ReadIncomplete {
			out = append(out, r)
		}
	}
	return out
}

// Set records a read, replacing an earlier one of the same feed and scope.
func (rs *Reads) Set(r Read) {
	for i := range *rs {
		if (*rs)[i].Feed == r.Feed && (*rs)[i].Scope == r.Scope {
			(*rs)[i] = r
			return
		}
	}
	*rs = append(*rs, r)
}

// Sorted returns the reads in feed order, then by scope.
func (rs Reads) Sorted() Reads {
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b Read) int {
		if ia, ib := slices.Index(Feeds, a.Feed), slices.Index(Feeds, b.Feed); ia != ib {
			return ia - ib
		}
		switch {
		case a.Scope < b.Scope:
			return -1
		case a.Scope > b.Scope:
			return 1
		}
		return 0
	})
	return out
}

// String renders a read for messages: "live CloudWatch alarms 123/us-east-1".
func (r Read) String() string {
	if r.Scope == "" {
		return r.Feed.Title()
	}
	return fmt.Sprintf("%s %s", r.Feed.Title(), r.Scope)
}

// FeedReads is every feed's reads: those the engine recorded, and for the
// feeds it recorded nothing about, what the world itself shows (a live
// source's completeness, whether any declared alarm or SLO is there).
func (w *World) FeedReads() Reads {
	out := slices.Clone(w.Reads)
	recorded := map[Feed]bool{}
	for _, r := range w.Reads {
		if r.Feed == FeedSLO && r.Scope != "" {
			// A registry's read: the specs are derived beside it.
			r.Feed = FeedSLORegistry
			out = append(out, r)
			recorded[FeedSLORegistry] = true
			continue
		}
		recorded[r.Feed] = true
	}
	derive := func(f Feed, r Read) {
		if !recorded[f] {
			r.Feed = f
			out = append(out, r)
		}
	}
	present := func(ok bool, why string) Read {
		if ok {
			return Read{State: ReadComplete}
		}
		return Read{State: ReadSkipped, Why: why}
	}
	derive(FeedDeclared, present(len(w.Declared) > 0 || len(w.Plans) > 0, "no declared source (plan, state or template) given"))
	derive(FeedPlan, present(len(w.Plans) > 0, "no Terraform plan given"))
	derive(FeedSLO, present(len(w.SLOs) > 0, "no SLO given (--slo, inputs.slos or slos in the config)"))
	derive(FeedBaseline, present(w.Baseline != nil, "no baseline attestation given (--baseline)"))
	derive(FeedAlertRules, Read{State: ReadSkipped, Why: "no alert rule table configured (alert_rules in the config)"})
	derive(FeedSLORegistry, Read{State: ReadSkipped, Why: "no SLO registry configured (slo_registry in the config)"})
	live := map[Feed]bool{}
	if w.Live != nil {
		for _, s := range w.Live.Sources {
			r := Read{Scope: AWSScope(s.Account, s.Region), State: ReadComplete}
			if !s.Complete {
				r.State, r.Why = ReadIncomplete, s.Error
			}
			var feeds []Feed
			switch s.Kind {
			case "cloudwatch":
				feeds = []Feed{FeedAlarms, FeedAllAlarms}
			case "cloudformation":
				feeds = []Feed{FeedStackDrift}
			case "sns":
				feeds = []Feed{FeedSNS}
			case "pagerduty":
				feeds, r.Scope = []Feed{FeedPagerDuty}, ""
			case "evidence":
				feeds = []Feed{FeedMetrics, FeedHistory}
			case "application-signals":
				feeds = []Feed{FeedServiceSLOs}
			}
			for _, f := range feeds {
				live[f] = true
				derive(f, r)
			}
		}
	}
	if w.Live != nil {
		// A world built without source records (a test's, a merge's) is as
		// complete as what it holds.
		held := map[Feed]bool{FeedAlarms: true, FeedAllAlarms: true, FeedStackDrift: len(w.Live.Drifts) > 0,
			FeedPagerDuty: w.Live.PagerDuty != nil, FeedSNS: w.Live.PagerDuty != nil && len(w.Live.PagerDuty.Subscriptions) > 0,
			FeedMetrics: w.Live.Evidence != nil, FeedHistory: w.Live.Evidence != nil, FeedServiceSLOs: len(w.Live.ServiceSLOs) > 0}
		for f, ok := range held {
			if ok && !live[f] {
				live[f] = true
				derive(f, Read{State: ReadComplete})
			}
		}
	}
	for _, f := range []Feed{FeedAlarms, FeedAllAlarms, FeedStackDrift, FeedSNS, FeedPagerDuty, FeedMetrics, FeedHistory, FeedServiceSLOs} {
		switch {
		case f == FeedServiceSLOs && !live[f]:
			derive(f, Read{State: ReadSkipped, Why: "not asked for: set aws.application_signals in the config, and read with --live aws, or declare them in a template"})
		case live[f]:
		case w.Live == nil:
			derive(f, Read{State: ReadSkipped, Why: "no live state given (--live)"})
		default:
			derive(f, Read{State: ReadSkipped, Why: "the live state read has no " + f.Title()})
		}
	}
	if len(w.ServiceSLOs) > 0 {
		// Templates declare Application Signals SLOs: alarms on their burn
		// rates can be judged without reading any live.
		out = append(out, Read{Feed: FeedServiceSLOs, Scope: ScopeDeclared, State: ReadComplete})
	}
	return out.Sorted()
}
