package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"

	"github.com/driftgate/driftgate/attest"
	"github.com/driftgate/driftgate/checks"
)

// signingKeyEnv holds a PEM ed25519 private key; it is never printed.
const signingKeyEnv = "DRIFTGATE_SIGNING_KEY"

// loadBaseline, with --baseline, checksums every alert and reads the
// previous audit's checksums for the baseline-change check.
func (r *runner) loadBaseline(counts map[string]int) error {
	if r.opts.baseline == "" {
		return nil
	}
	digests, err := attest.AlertDigests(r.world)
	if err != nil {
		return fmt.Errorf("checksumming alerts: %w", err)
	}
	r.world.AlertDigests = digests
	counts["alerts"] = len(digests)
	base, err := attest.LoadBaseline(context.Background(), r.opts.baseline, r.rel(r.opts.baseline))
	if err != nil {
		return err
	}
	if base.Redacted {
		// A redacted audit keys alerts by redacted identities: compare like with like.
		redacted := make(map[string]string, len(digests))
		for id, sum := range maps.All(digests) {
			redacted[attest.Redact(id)] = sum
		}
		r.world.AlertDigests = redacted
	}
	if r.shard != nil {
		// The other shards answer for the rest of the previous audit.
		r.shard.baseline(base, r.world.AlertDigests)
	}
	r.world.Baseline = base
	r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "baseline", Path: r.rel(r.opts.baseline)})
	counts["baseline_alerts"] = len(base.Alerts)
	return nil
}

func (r *runner) writeAttestation(counts map[string]int) error {
	var files []attest.File
	for _, in := range r.result.Inputs {
		files = append(files, attest.File{Name: in.Path, Path: in.Path, Role: in.Kind})
	}
	for _, out := range []struct{ path, role string }{
		{r.opts.sarif, "sarif"}, {r.opts.json, "json-report"}, {r.opts.markdown, "markdown"},
	} {
		if out.path != "" {
			files = append(files, attest.File{Name: r.rel(out.path), Path: out.path, Role: out.role})
		}
	}
	alerts := r.world.AlertDigests
	if alerts == nil || r.world.Baseline != nil && r.world.Baseline.Redacted {
		var err error
		if alerts, err = attest.AlertDigests(r.world); err != nil {
			return err
		}
	}
	statement, err := attest.Build(r.result, alerts, files, attest.Options{Redact: r.opts.redact})
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
	return writeFile(r.opts.attestation, func(w io.Writer) error {
		_, err := w.Write(out)
		return err
	})
}

// signingKey reads the key from --signing-key or the environment.
func (r *runner) signingKey() ([]byte, error) {
	if r.opts.signingKey != "" {
		key, err := os.ReadFile(r.opts.signingKey)
		if err != nil {
			return nil, fmt.Errorf("reading the signing key: %w", err)
		}
		return key, nil
	}
	if v := os.Getenv(signingKeyEnv); v != "" {
		return []byte(v), nil
	}
	return nil, nil
}

const verifyUsage = `usage: driftgate verify ATTESTATION [--key PUBLIC_KEY.pem] [FILE...]

Checks the attestation's signature (with --key), its in-toto shape, and that
each FILE matches its subject's sha256 and blake3 digests.
Exit codes: 0 valid, 1 mismatch or bad signature, 2 bad input.
`

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, verifyUsage) }
	keyFile := fs.String("key", "", "PEM ed25519 public key the signature must verify with")
	// Flags may follow the attestation: parse it out first.
	var positional []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return checks.ExitInput
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) == 0 {
		fmt.Fprint(stderr, verifyUsage)
		return checks.ExitInput
	}
	data, err := os.ReadFile(positional[0])
	if err != nil {
		fmt.Fprintf(stderr, "driftgate verify: %v\n", err)
		return checks.ExitInput
	}
	var key []byte
	if *keyFile != "" {
		if key, err = os.ReadFile(*keyFile); err != nil {
			fmt.Fprintf(stderr, "driftgate verify: reading the key: %v\n", err)
			return checks.ExitInput
		}
	}
	statement, signed, err := attest.Open(context.Background(), data, key)
	var sigErr *attest.SignatureError
	switch {
	case errors.As(err, &sigErr), errors.Is(err, attest.ErrUnsigned):
		fmt.Fprintf(stderr, "driftgate verify: %s: %v\n", positional[0], err)
		return checks.ExitFail
	case err != nil:
		fmt.Fprintf(stderr, "driftgate verify: %s: %v\n", positional[0], err)
		return checks.ExitInput
	}
	st, err := attest.Parse(statement)
	if err != nil {
		printError(stderr, fmt.Errorf("%s: %w", positional[0], err))
		return checks.ExitInput
	}
	if err := attest.VerifyFiles(st, positional[1:]); err != nil {
		printError(stderr, err)
		return checks.ExitFail
	}
	switch {
	case signed && key != nil:
		fmt.Fprintf(stdout, "verified: signature, statement, %d file(s)\n", len(positional)-1)
	case signed:
		fmt.Fprintf(stdout, "verified: statement, %d file(s); signature NOT checked (no --key)\n", len(positional)-1)
	default:
		fmt.Fprintf(stdout, "verified: statement (unsigned), %d file(s)\n", len(positional)-1)
	}
	return checks.ExitPass
}
