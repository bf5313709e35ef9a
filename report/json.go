package report

import (
	"encoding/json"
	"io"
	"path/filepath"
	"time"

	"github.com/driftgate/driftgate/checks"
)

// JSONSchemaVersion is the version of the JSON report; docs/report-json.md.
const JSONSchemaVersion = 1

// JSON renders the machine-readable report documented in docs/report-json.md.
type JSON struct{}

// JSONReport is the document JSON writes.
type JSONReport struct {
	SchemaVersion int            `json:"schema_version"`
	Tool          JSONTool       `json:"tool"`
	Summary       JSONSummary    `json:"summary"`
	Inputs        []checks.Input `json:"inputs"`
	Checks        []JSONCheck    `json:"checks"`
	Findings      []JSONFinding  `json:"findings"`
	Trace         []JSONPhase    `json:"trace"`
}

// JSONTool names the tool and its version.
type JSONTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// JSONSummary is the outcome of the run.
type JSONSummary struct {
	Result       checks.Status             `json:"result"`
	ExitCode     int                       `json:"exit_code"`
	FailOn       string                    `json:"fail_on"`
	Blocking     int                       `json:"blocking"`
	Counts       map[string]int            `json:"counts"`
	ByTenant     map[string]map[string]int `json:"by_tenant"`
	Inconclusive []string                  `json:"inconclusive"`
	Skipped      []string                  `json:"skipped"`
	// Errors are the input errors that stopped the run (result "error").
	Errors []string `json:"errors,omitempty"`
	// NotJudged lists each check and scope the run could not judge, and why.
	NotJudged []checks.NotJudged `json:"not_judged"`
	// Reads says how completely each feed was read, per scope.
	Reads []JSONRead `json:"reads,omitempty"`
	// Shard is "I/N" for one shard of a split sweep; merge needs them all.
	Shard string `json:"shard,omitempty"`
	// History is set with a run history (--history): the previous run's
	// time and the findings resolved since.
	History *checks.History `json:"history,omitempty"`
}

// JSONRead is how completely one feed was read in one scope.
type JSONRead struct {
	Feed  string `json:"feed"`
	Scope string `json:"scope,omitempty"`
	State string `json:"state"`
	Why   string `json:"why,omitempty"`
}

// JSONCheck is one check that ran.
type JSONCheck struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"default_severity"`
}

// JSONFinding is one finding.
type JSONFinding struct {
	Check       string            `json:"check"`
	Severity    string            `json:"severity"`
	Tenant      string            `json:"tenant"`
	Subject     string            `json:"subject"`
	Attribute   string            `json:"attribute,omitempty"`
	Message     string            `json:"message"`
	Location    JSONLocation      `json:"location"`
	Fingerprint string            `json:"fingerprint"`
	Evidence    map[string]string `json:"evidence,omitempty"`
	// Lifecycle is set with a run history (--history).
	Lifecycle *checks.Lifecycle `json:"lifecycle,omitempty"`
	// Fix is the mechanical fix, when the finding has one: a patch of the
	// declared source, or why it has to be done by hand.
	Fix *JSONFix `json:"fix,omitempty"`
	// Revert, on live drift, is how to bring live back to the code (commands
	// driftgate never runs) or the code to live (adopt).
	Revert *JSONRevert `json:"revert,omitempty"`
}

// JSONRevert is what to run, or change, about live drift.
type JSONRevert struct {
	Commands []string `json:"commands,omitempty"`
	Adopt    string   `json:"adopt,omitempty"`
}

// JSONFix is a finding's fix: set attribute of resource in file to value.
type JSONFix struct {
	File      string  `json:"file"`
	Resource  string  `json:"resource"`
	Attribute string  `json:"attribute"`
	Value     float64 `json:"value"`
	// Patch is a unified diff (git apply); Manual says why there is none.
	Patch  string `json:"patch,omitempty"`
	Manual string `json:"manual,omitempty"`
}

// JSONLocation is a file and 1-based line (0 for the whole file).
type JSONLocation struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// JSONPhase is one traced phase of the run.
type JSONPhase struct {
	Name       string         `json:"name"`
	Start      time.Time      `json:"start"`
	DurationMS float64        `json:"duration_ms"`
	Counts     map[string]int `json:"counts,omitempty"`
}

// Build assembles the report document.
func (JSON) Build(r *checks.Result) *JSONReport {
	doc := &JSONReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          JSONTool{Name: ToolName, Version: r.Version},
		Summary: JSONSummary{
			Result: r.Status(), ExitCode: r.ExitCode(), FailOn: r.FailOn.String(), Blocking: r.Blocking(),
			Counts: r.Counts(), ByTenant: map[string]map[string]int{},
			Inconclusive: append([]string{}, r.Inconclusive...), Skipped: append([]string{}, r.Skipped...),
			NotJudged: append([]checks.NotJudged{}, r.NotJudged...),
			Errors:    r.Errors,
			Shard:     r.Shard,
			History:   r.History,
		},
		Inputs:   append([]checks.Input{}, r.Inputs...),
		Findings: []JSONFinding{},
		Trace:    []JSONPhase{},
	}
	for _, rd := range r.Reads {
		doc.Summary.Reads = append(doc.Summary.Reads, JSONRead{Feed: string(rd.Feed), Scope: rd.Scope, State: string(rd.State), Why: rd.Why})
	}
	tenants, counts := tenantCounts(r)
	for _, t := range tenants {
		doc.Summary.ByTenant[t] = map[string]int{}
		for sev, n := range counts[t] {
			doc.Summary.ByTenant[t][sev.String()] = n
		}
	}
	for _, c := range r.Checks {
		doc.Checks = append(doc.Checks, JSONCheck{ID: c.ID, Title: c.Title, Severity: c.DefaultSeverity.String()})
	}
	for _, f := range r.Findings {
		jf := JSONFinding{
			Check: f.Check, Severity: f.Severity.String(), Tenant: f.Tenant, Subject: f.Subject,
			Attribute: f.Attribute, Message: f.Message, Fingerprint: f.Fingerprint, Evidence: f.Evidence,
			Location: JSONLocation{File: filepath.ToSlash(f.Location.File), Line: f.Location.Line},
		}
		if r.History != nil {
			if l, ok := r.History.Lifecycle[f.Fingerprint]; ok {
				jf.Lifecycle = &l
			}
		}
		if f.Fix != nil {
			jf.Fix = &JSONFix{File: filepath.ToSlash(f.Fix.File), Resource: f.Fix.Resource, Attribute: f.Fix.Attribute, Value: f.Fix.Value}
			if f.Remedy != nil {
				jf.Fix.Patch, jf.Fix.Manual = f.Remedy.Patch, f.Remedy.Manual
			}
		}
		if f.Remedy != nil && (len(f.Remedy.Commands) > 0 || f.Remedy.Adopt != "") {
			jf.Revert = &JSONRevert{Commands: f.Remedy.Commands, Adopt: f.Remedy.Adopt}
		}
		doc.Findings = append(doc.Findings, jf)
	}
	for _, p := range r.Trace {
		doc.Trace = append(doc.Trace, JSONPhase{Name: p.Name, Start: p.Start.UTC(),
			DurationMS: float64(p.Duration.Microseconds()) / 1000, Counts: p.Counts})
	}
	return doc
}

// Write renders the result as indented JSON.
func (j JSON) Write(w io.Writer, r *checks.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // messages carry "->"; the report is not embedded in HTML
	return enc.Encode(j.Build(r))
}
