package run

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"sync"

	"github.com/driftgate/driftgate/attest"
	"github.com/driftgate/driftgate/checks"
)

// loadBaseline, with --baseline, checksums every alert and reads the
// previous audit's checksums for the baseline-change check.
func (r *runner) loadBaseline(counts map[string]int) error {
	if r.opts.Baseline == "" {
		return nil
	}
	digests, err := attest.AlertDigests(r.world)
	if err != nil {
		return fmt.Errorf("checksumming alerts: %w", err)
	}
	r.world.AlertDigests = digests
	counts["alerts"] = len(digests)
	base, err := attest.LoadBaseline(context.Background(), r.opts.Baseline, r.rel(r.opts.Baseline))
	if err != nil {
		return err
	}
	if base.Redacted {
		// A redacted audit keys alerts by redacted identities: compare like
		// with like, with the same key.
		red, err := redactor()
		if err != nil {
			return fmt.Errorf("--baseline %s is redacted: %w", r.rel(r.opts.Baseline), err)
		}
		redacted := make(map[string]string, len(digests))
		for id, sum := range maps.All(digests) {
			redacted[red.Redact(id)] = sum
		}
		r.world.AlertDigests = redacted
	}
	if r.shard != nil {
		// The other shards answer for the rest of the previous audit.
		r.shard.baseline(base, r.world.AlertDigests)
	}
	r.world.Baseline = base
	r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "baseline", Path: r.rel(r.opts.Baseline)})
	counts["baseline_alerts"] = len(base.Alerts)
	return nil
}

// inputSubjects are the run's input files, as subjects.
func (r *runner) inputSubjects() []attest.File {
	var files []attest.File
	for _, in := range r.result.Inputs {
		if in.Kind == "alert-rules" || in.Kind == "slo-registry" {
			continue // not files: their content is in sourceSubjects
		}
		files = append(files, attest.File{Name: in.Path, Path: in.Path, Role: in.Kind})
	}
	return files
}

func (r *runner) writeAttestation(counts map[string]int) error {
	files := r.inputSubjects()
	for i := range files {
		files[i].Digest = r.inputDigests.get(files[i].Path)
	}
	files = append(files, r.sourceSubjects...)
	for _, out := range []struct{ path, role string }{
		{r.opts.SARIF, "sarif"}, {r.opts.JSON, "json-report"}, {r.opts.Markdown, "markdown"},
	} {
		if out.path != "" {
			files = append(files, attest.File{Name: r.rel(out.path), Path: out.path, Role: out.role})
		}
	}
	// The reports are written and their garbage is most of the heap:
	// collected now, the alert checksums and the statement (tens of
	// megabytes for tens of thousands of alerts) reuse that memory instead of
	// growing the heap past the run's peak.
	runtime.GC()
	alerts := r.world.AlertDigests
	switch {
	case alerts == nil || r.world.Baseline != nil && r.world.Baseline.Redacted:
		var err error
		if alerts, err = attest.AlertDigests(r.world); err != nil {
			return err
		}
	}
	var opts attest.Options
	if r.opts.Redact {
		red, err := redactor()
		if err != nil {
			return fmt.Errorf("--redact: %w", err)
		}
		opts.Redact = red
	}
	statement, err := attest.Build(r.result, alerts, files, opts)
	if err != nil {
		return fmt.Errorf("building the attestation: %w", err)
	}
	out := statement
	key, err := r.signingKey()
	if err != nil {
		return err
	}
	if key != nil {
		if out, err = attest.Sign(context.Background(), statement, key); err != nil {
			return err
		}
		counts["signed"] = 1
	}
	counts["subjects"] = len(files)
	return WriteFile(r.opts.Attestation, func(w io.Writer) error {
		_, err := w.Write(out)
		return err
	})
}

// signingKey reads the key from --signing-key or the environment.
func (r *runner) signingKey() ([]byte, error) {
	if r.opts.SigningKey != "" {
		key, err := os.ReadFile(r.opts.SigningKey)
		if err != nil {
			return nil, fmt.Errorf("reading the signing key: %w", err)
		}
		return key, nil
	}
	if v := os.Getenv(SigningKeyEnv); v != "" {
		return []byte(v), nil
	}
	return nil, nil
}

// redactor keys redaction with $DRIFTGATE_REDACT_KEY.
func redactor() (*attest.Redactor, error) {
	return attest.NewRedactor([]byte(os.Getenv(attest.RedactKeyEnv)))
}

// earlyDigests are input files' digests, each taken in its own goroutine as
// soon as the file is known (a plan's while it is being decoded), so that
// --attestation costs little more than the run without it.
type earlyDigests struct {
	mu      sync.Mutex
	pending map[string]chan map[string]string // by the input's reported path
}

// start digests a file once, unless the run writes no attestation.
func (d *earlyDigests) start(reported, path, role string) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.pending[reported]; ok {
		return
	}
	ch := make(chan map[string]string, 1)
	d.pending[reported] = ch
	go func() { ch <- attest.DigestFile(path, role) }()
}

// get waits for a file's digests; nil when it was not started or failed.
func (d *earlyDigests) get(reported string) map[string]string {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	ch, ok := d.pending[reported]
	d.mu.Unlock()
	if !ok {
		return nil
	}
	v := <-ch
	ch <- v // for another get
	return v
}
