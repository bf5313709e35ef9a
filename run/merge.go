package run

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/driftgate/driftgate/attest"
	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/report"
)

// Merge combines the JSON reports (and attestations) of a sweep's shards,
// told apart by their content, and writes the reports and attestation the
// options name. A shard missing from the set makes the result inconclusive.
func Merge(opts Options, files []string) (*checks.Result, error) {
	m, err := merge(files)
	if err != nil {
		return nil, err
	}
	r, err := newRunner(&opts)
	if err != nil {
		return nil, err
	}
	r.result = m.result
	if err := r.writeReports(map[string]int{}); err != nil {
		return nil, err
	}
	if opts.Attestation != "" {
		if err := m.writeAttestation(r); err != nil {
			return nil, err
		}
	}
	return m.result, nil
}

type merged struct {
	result *checks.Result
	alerts map[string]string
	files  []attest.File
	// withoutHistory are the shards whose report has no history: named
	// in the merged history when others have one.
	withoutHistory []string
}

// merge reads shard reports and attestations, told apart by their content.
func merge(files []string) (*merged, error) {
	m := &merged{result: &checks.Result{}, alerts: map[string]string{}}
	seen := map[string]bool{}
	shards := map[int]bool{}
	count, failOn := 0, ""
	var errs []error
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, &input.Error{File: f, Msg: "cannot read", Err: err})
			continue
		}
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(data, &probe); err != nil {
			errs = append(errs, input.JSONError(f, data, err))
			continue
		}
		if _, ok := probe["schema_version"]; !ok {
			if err := m.addAttestation(f, data); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		var doc report.JSONReport
		if err := json.Unmarshal(data, &doc); err != nil {
			errs = append(errs, input.JSONError(f, data, err))
			continue
		}
		if doc.SchemaVersion != report.JSONSchemaVersion {
			errs = append(errs, &input.Error{File: f, Path: "schema_version", Msg: fmt.Sprintf("report version %d; this build merges %d", doc.SchemaVersion, report.JSONSchemaVersion)})
			continue
		}
		if failOn != "" && doc.Summary.FailOn != failOn {
			errs = append(errs, &input.Error{File: f, Path: "summary.fail_on", Msg: fmt.Sprintf("fail_on %q differs from the other shards' %q", doc.Summary.FailOn, failOn)})
			continue
		}
		failOn = doc.Summary.FailOn
		if doc.Summary.Shard != "" {
			sh, err := parseShard(doc.Summary.Shard)
			if err != nil || count != 0 && sh.count != count {
				errs = append(errs, &input.Error{File: f, Path: "summary.shard", Msg: fmt.Sprintf("shard %q does not belong with the others", doc.Summary.Shard)})
				continue
			}
			count, shards[sh.index] = sh.count, true
		}
		m.add(&doc, seen)
		m.files = append(m.files, attest.File{Name: f, Path: f, Role: "shard-report"})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if m.result.History != nil {
		for _, s := range m.withoutHistory {
			m.noteHistoryGap(s, "recorded no history")
		}
	}
	for i := 1; i <= count; i++ {
		if !shards[i] {
			m.result.Inconclusive = append(m.result.Inconclusive, fmt.Sprintf("shard %d/%d is missing from the merge: its tenants were not checked", i, count))
		}
	}
	sev, err := checks.ParseSeverity(failOn)
	if err != nil {
		return nil, fmt.Errorf("fail_on: %w", err)
	}
	m.result.FailOn = sev
	checks.SortFindings(m.result.Findings)
	sort.Slice(m.result.Checks, func(i, j int) bool { return m.result.Checks[i].ID < m.result.Checks[j].ID })
	return m, nil
}

// add folds one report in: findings by fingerprint, the rest by value.
func (m *merged) add(doc *report.JSONReport, seen map[string]bool) {
	r := m.result
	if r.Version == "" {
		r.Version = doc.Tool.Version
	}
	for _, c := range doc.Checks {
		if chk, ok := checks.ByID(c.ID); ok && !slices.Contains(r.Checks, chk) {
			r.Checks = append(r.Checks, chk)
		}
	}
	for _, f := range doc.Findings {
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		sev, _ := checks.ParseSeverity(f.Severity)
		r.Findings = append(r.Findings, checks.Finding{Check: f.Check, Severity: sev, Tenant: f.Tenant, Subject: f.Subject,
			Attribute: f.Attribute, Message: f.Message, Location: model.Location{File: f.Location.File, Line: f.Location.Line},
			Fingerprint: f.Fingerprint, Evidence: f.Evidence})
		if f.Lifecycle != nil && doc.Summary.History != nil {
			m.history(doc).Lifecycle[f.Fingerprint] = *f.Lifecycle
		}
	}
	m.addHistory(doc)
	for _, s := range doc.Summary.Inconclusive {
		if !slices.Contains(r.Inconclusive, s) {
			r.Inconclusive = append(r.Inconclusive, s)
		}
	}
	// A shard stopped by bad input checked nothing: the merge says so.
	r.Errors = append(r.Errors, doc.Summary.Errors...)
	for _, n := range doc.Summary.NotJudged {
		if !slices.Contains(r.NotJudged, n) {
			r.NotJudged = append(r.NotJudged, n)
		}
	}
	for _, s := range doc.Summary.Skipped {
		if !slices.Contains(r.Skipped, s) {
			r.Skipped = append(r.Skipped, s)
		}
	}
	for _, in := range doc.Inputs {
		if !slices.Contains(r.Inputs, in) {
			r.Inputs = append(r.Inputs, in)
		}
	}
	for _, p := range doc.Trace {
		name := p.Name
		if doc.Summary.Shard != "" {
			name = "shard " + doc.Summary.Shard + ": " + name
		}
		r.Trace = append(r.Trace, checks.Phase{Name: name, Start: p.Start, Duration: time.Duration(p.DurationMS * float64(time.Millisecond)), Counts: p.Counts})
	}
}

// history is the merged run history, made from the first shard's that has one.
func (m *merged) history(doc *report.JSONReport) *checks.History {
	if m.result.History == nil {
		scope, _, _ := strings.Cut(doc.Summary.History.Scope, " shard ")
		m.result.History = &checks.History{Scope: scope, Base: doc.Summary.History.Base, Lifecycle: map[string]checks.Lifecycle{}}
	}
	return m.result.History
}

// addHistory folds a shard's history in: each shard recorded its own
// tenants in its own scope, so the merge has every finding's lifecycle and
// every shard's resolved findings. The previous run is the earliest any
// shard compared with; a shard that recorded nothing, or could not, is said.
func (m *merged) addHistory(doc *report.JSONReport) {
	if doc.Summary.History == nil {
		m.withoutHistory = append(m.withoutHistory, doc.Summary.Shard)
		return
	}
	h := m.history(doc)
	if doc.Summary.History.Error != "" {
		m.noteHistoryGap(doc.Summary.Shard, doc.Summary.History.Error)
	}
	if p := doc.Summary.History.Previous; !p.IsZero() && (h.Previous.IsZero() || p.Before(h.Previous)) {
		h.Previous = p
	}
	for _, res := range doc.Summary.History.Resolved {
		if !slices.ContainsFunc(h.Resolved, func(x checks.Resolved) bool { return x.Fingerprint == res.Fingerprint }) {
			h.Resolved = append(h.Resolved, res)
		}
	}
}

func (m *merged) noteHistoryGap(shard, why string) {
	msg := "shard " + cmp.Or(shard, "(unsharded)") + ": " + why
	h := m.result.History
	if !strings.Contains(h.Error, msg) {
		h.Error = strings.TrimPrefix(h.Error+"; "+msg, "; ")
	}
}

// addAttestation takes a shard's alert checksums for the merged attestation.
func (m *merged) addAttestation(f string, data []byte) error {
	statement, _, err := attest.Open(context.Background(), data, nil)
	if err != nil {
		return &input.Error{File: f, Msg: "neither a driftgate JSON report nor an attestation", Err: err}
	}
	st, err := attest.Parse(statement)
	if err != nil {
		return &input.Error{File: f, Msg: "not a driftgate attestation", Err: err}
	}
	for id, sum := range st.Predicate.Alerts {
		m.alerts[id] = sum
	}
	m.files = append(m.files, attest.File{Name: f, Path: f, Role: "shard-attestation"})
	return nil
}

func (m *merged) writeAttestation(r *runner) error {
	files := append([]attest.File{}, m.files...)
	for _, out := range []struct{ path, role string }{{r.opts.SARIF, "sarif"}, {r.opts.JSON, "json-report"}, {r.opts.Markdown, "markdown"}} {
		if out.path != "" {
			files = append(files, attest.File{Name: r.rel(out.path), Path: out.path, Role: out.role})
		}
	}
	statement, err := attest.Build(m.result, m.alerts, files, attest.Options{})
	if err != nil {
		return err
	}
	out := statement
	if key, err := r.signingKey(); err != nil {
		return err
	} else if key != nil {
		if out, err = attest.Sign(context.Background(), statement, key); err != nil {
			return err
		}
	}
	return WriteFile(r.opts.Attestation, func(w io.Writer) error { _, err := w.Write(out); return err })
}
