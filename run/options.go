// Package run is driftgate's engine: it wires one run from inputs to reports.
// Check loads the declared and live sources into the model, runs the checks
// and writes the reports and attestation; Snapshot records live state; Merge
// combines a sweep's shards. cmd/driftgate only parses flags and prints.
package run

import (
	"io"
	"time"
)

// LiveAWS is the Live value that reads the AWS APIs instead of a snapshot file.
const LiveAWS = "aws"

// SigningKeyEnv holds a PEM ed25519 private key; it is never printed.
const SigningKeyEnv = "DRIFTGATE_SIGNING_KEY"

// Options are what one run reads and writes; flags and Action inputs fill
// them, and they override the config file.
type Options struct {
	Config string
	Plans  []string
	// States are Terraform states (`terraform show -json` without a plan
	// file) read as declared configuration.
	States []string
	SLOs   []string
	// RouteTests are routing assertion files (docs/routing-tests.md).
	RouteTests []string
	// Only runs these checks alone (driftgate test-routes).
	Only     []string
	CFN      []string
	CFNParam string
	BaseRef  string
	// Fork says the run is for a pull request from a fork, which gets no
	// secrets: with Live "aws" and no credentials the live checks are not
	// judged (a documented degrade), where elsewhere the run is inconclusive.
	Fork bool
	// MarkdownMax caps the markdown report; FullReport names where the whole one is.
	MarkdownMax int
	FullReport  string
	TFDir       string
	Live        string
	SARIF       string
	// Fixes, when set, is where the patch of every mechanical fix goes (a
	// unified diff, relative to the repository root, that git apply accepts).
	Fixes    string
	Markdown string
	JSON     string
	FailOn   string
	Quiet    bool

	Sweep bool
	// Lookback overrides evidence.lookback; NoEvidence turns evidence off.
	Lookback   string
	NoEvidence bool
	// Until ends the evidence window (RFC 3339); default now. It reviews a
	// past day: what paged, what burned, during last week's incident.
	Until string
	Shard string
	// PagerDutyToken reads PagerDuty with Live "aws"; default $PAGERDUTY_TOKEN.
	PagerDutyToken string

	Attestation string
	SigningKey  string
	Redact      bool
	Baseline    string

	// History is the run history store (`sqlite:PATH` or `postgres://…`): findings become new
	// or persisting, and the previous run's are resolved (docs/history.md).
	History string
	// HistoryScope groups the runs compared with each other (the shard is
	// added); default the Ref, else "local".
	HistoryScope string
	// HistoryBase is the scope a pull request's run is compared with: its
	// base branch's (cmd sets refs/heads/$GITHUB_BASE_REF on pull requests).
	HistoryBase string
	// FailOnNew blocks only on findings the history has not seen (and on
	// locked checks); it needs History.
	FailOnNew bool
	// Commit, Ref and Event describe the run in the history.
	Commit, Ref, Event string

	// ProgressEvery is how often a progress line is printed during live
	// reads; default 2s, negative for none.
	ProgressEvery time.Duration

	// Version names the tool in reports.
	Version string
	// Stderr receives warnings and progress; nil discards them.
	Stderr io.Writer

	// InputBytes, when set, is told the size of the plan, state and
	// snapshot files to be read once they are known and before any is
	// read (the command sizes the garbage collector's floor from it).
	InputBytes func(int64)
}

func (o *Options) stderr() io.Writer {
	if o.Stderr == nil {
		return io.Discard
	}
	return o.Stderr
}
