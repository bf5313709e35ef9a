package checks

import (
	"slices"
	"strings"
	"time"

	"github.com/driftgate/driftgate/model"
)

// Status is the overall outcome of a run.
type Status string

const (
	StatusPass         Status = "pass"
	StatusFail         Status = "fail"
	StatusInconclusive Status = "inconclusive"
	// StatusError is a run stopped by bad input (exit 2); its reports say why.
	StatusError Status = "error"
)

// Exit codes, documented in the README; computed only by Result.ExitCode.
const (
	ExitPass         = 0
	ExitFail         = 1
	ExitInput        = 2
	ExitInconclusive = 3
)

// Phase is one step of a run, recorded like an audit log entry.
type Phase struct {
	Name     string         `json:"name"`
	Start    time.Time      `json:"start"`
	Duration time.Duration  `json:"-"`
	Counts   map[string]int `json:"counts,omitempty"`
}

// Input is a file the run read.
type Input struct {
	Kind string `json:"kind"` // plan, config, live, terraform-source
	Path string `json:"path"`
}

// Result is everything a run produced, handed to every report.
type Result struct {
	Version  string
	FailOn   Severity
	Checks   []*Check // the checks that ran
	Findings []Finding
	// Inconclusive lists why the run cannot vouch for the absence of drift:
	// unreadable live sources, partial plans.
	Inconclusive []string
	// Skipped lists what was not checked and why (no live state given, ...).
	Skipped []string
	// NotJudged lists, per check and scope, what the run could not judge
	// because a feed the check needs was not read (completely); generated
	// from the checks' declarations.
	NotJudged []NotJudged
	// Reads is how completely each feed was read.
	Reads model.Reads
	// Locked are the checks the config locks: never ignored or disabled.
	Locked map[string]bool
	// Errors are the input errors that stopped the run: it checked nothing,
	// and its reports carry them so a step that uploads them does not fail.
	Errors []string
	Inputs []Input
	Trace  []Phase
	// Shard is "I/N" when the run checked one shard of a split sweep.
	Shard string
	// History is what the run history says of this run (--history).
	History *History
	// FailOnNew blocks only on findings the history calls new (and on
	// locked checks); without a readable history every finding counts.
	FailOnNew bool
	World     *model.World
}

// NotJudged is one check the run could not judge in one scope.
type NotJudged struct {
	Check string `json:"check"`
	// Scope is "ACCOUNT/REGION", "pagerduty", or "" for the whole run.
	Scope string `json:"scope,omitempty"`
	// Feed is what was not read (completely).
	Feed model.Feed `json:"feed"`
	// Incomplete is true when the feed was asked for and could not be read
	// completely (the run is inconclusive), false when it was not read at all.
	Incomplete bool `json:"incomplete,omitempty"`
	// Why says why: the read's error, or why it was not asked for.
	Why string `json:"why"`
}

func (n NotJudged) String() string {
	return NotJudgedGroup{Checks: []string{n.Check}, Scope: n.Scope, Feeds: []model.Feed{n.Feed}, Incomplete: n.Incomplete, Why: n.Why}.String()
}

// Counts returns the number of findings per severity name.
func (r *Result) Counts() map[string]int {
	c := map[string]int{"error": 0, "warning": 0, "note": 0}
	for _, f := range r.Findings {
		c[f.Severity.String()]++
	}
	return c
}

// Blocking is the number of findings at or above fail-on.
func (r *Result) Blocking() int {
	if r.FailOn == SeverityNone {
		return 0
	}
	n := 0
	for _, f := range r.Findings {
		if r.Blocks(f) {
			n++
		}
	}
	return n
}

// Blocks reports whether a finding fails the run: at or above fail-on and,
// with --fail-on-new, not seen before.
func (r *Result) Blocks(f Finding) bool {
	return r.FailOn != SeverityNone && f.Severity >= r.FailOn && !r.accepted(f)
}

// accepted: with --fail-on-new, a finding the history has seen before does
// not block, unless its check is locked.
func (r *Result) accepted(f Finding) bool {
	if !r.FailOnNew || r.History == nil || r.Locked[f.Check] {
		return false
	}
	l, ok := r.History.Lifecycle[f.Fingerprint]
	return ok && l.State == "persisting"
}

// Status is fail when a finding blocks, else inconclusive when live state or a
// plan was incomplete, else pass. Blocking findings win: they are real even
// when other state could not be read.
func (r *Result) Status() Status {
	switch {
	case len(r.Errors) > 0:
		return StatusError
	case r.Blocking() > 0:
		return StatusFail
	case len(r.Inconclusive) > 0:
		return StatusInconclusive
	default:
		return StatusPass
	}
}

// ExitCode maps the status to the process exit code.
func (r *Result) ExitCode() int {
	switch r.Status() {
	case StatusError:
		return ExitInput
	case StatusFail:
		return ExitFail
	case StatusInconclusive:
		return ExitInconclusive
	default:
		return ExitPass
	}
}

// NotJudgedGroup is the checks not judged for one reason in one scope.
type NotJudgedGroup struct {
	Checks     []string
	Scope      string
	Feeds      []model.Feed
	Incomplete bool
	Why        string
}

func (g NotJudgedGroup) String() string {
	s := strings.Join(g.Checks, ", ")
	if g.Scope != "" {
		s += " (" + g.Scope + ")"
	}
	titles := make([]string, len(g.Feeds))
	for i, f := range g.Feeds {
		titles[i] = f.Title()
	}
	verb := "not read"
	if g.Incomplete {
		verb = "could not be read completely"
	}
	return s + ": " + strings.Join(titles, ", ") + " " + verb + ": " + g.Why
}

// GroupNotJudged folds the not-judged list by scope and reason, in order of
// first appearance, so a report says each reason once.
func GroupNotJudged(list []NotJudged) []NotJudgedGroup {
	var out []NotJudgedGroup
	type key struct {
		scope, why string
		incomplete bool
	}
	index := map[key]int{}
	for _, n := range list {
		k := key{n.Scope, n.Why, n.Incomplete}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, NotJudgedGroup{Scope: n.Scope, Why: n.Why, Incomplete: n.Incomplete})
		}
		if !slices.Contains(out[i].Checks, n.Check) {
			out[i].Checks = append(out[i].Checks, n.Check)
		}
		if !slices.Contains(out[i].Feeds, n.Feed) {
			out[i].Feeds = append(out[i].Feeds, n.Feed)
		}
	}
	for i := range out {
		slices.Sort(out[i].Checks)
		slices.SortFunc(out[i].Feeds, func(a, b model.Feed) int { return slices.Index(model.Feeds, a) - slices.Index(model.Feeds, b) })
	}
	return out
}
