package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/driftgate/driftgate/attest"
	"github.com/driftgate/driftgate/checks"
)

func runVerify(args []string, stdout, stderr io.Writer) int {
	c := newCommand("verify", "driftgate verify ATTESTATION [--key PUBLIC_KEY.pem | --digest-only] [FILE...]",
		`Checks the attestation's signature (with --key), its in-toto shape, and that
each FILE matches its subject's sha256 and blake3 digests. A signed
attestation needs --key; --digest-only checks its digests and not who signed it.
Exit codes: 0 valid, 1 mismatch or bad signature, 2 bad input (a signed
attestation without --key or --digest-only, duplicate subjects).`,
		"driftgate verify attestation.json --key pub.pem driftgate.json driftgate.sarif plan.json")
	fs := c.fs
	keyFile := fs.String("key", "", "PEM ed25519 public key `FILE` the signature must verify with")
	digestOnly := fs.Bool("digest-only", false, "check a signed attestation's digests without its signature")
	// Flags may follow the attestation: parse it out first.
	var positional []string
	for {
		if code, ok := c.parse(args, stdout, stderr); !ok {
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) == 0 {
		fmt.Fprintln(stderr, "driftgate verify: give the attestation file (see driftgate verify --help)")
		return checks.ExitInput
	}
	data, err := os.ReadFile(positional[0])
	if err != nil {
		fmt.Fprintf(stderr, "driftgate verify: %s\n", oneLine(err.Error()))
		return checks.ExitInput
	}
	var key []byte
	if *keyFile != "" {
		if key, err = os.ReadFile(*keyFile); err != nil {
			fmt.Fprintf(stderr, "driftgate verify: reading the key: %s\n", oneLine(err.Error()))
			return checks.ExitInput
		}
	}
	statement, signed, err := attest.Open(context.Background(), data, key)
	var sigErr *attest.SignatureError
	switch {
	case errors.As(err, &sigErr), errors.Is(err, attest.ErrUnsigned):
		fmt.Fprintf(stderr, "driftgate verify: %s: %s\n", oneLine(positional[0]), oneLine(err.Error()))
		return checks.ExitFail
	case err != nil:
		fmt.Fprintf(stderr, "driftgate verify: %s: %s\n", oneLine(positional[0]), oneLine(err.Error()))
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
	if signed && key == nil && !*digestOnly {
		fmt.Fprintf(stderr, "driftgate verify: %s is signed: give --key PUBLIC_KEY.pem to check who signed it, or --digest-only to check only its digests\n", oneLine(positional[0]))
		return checks.ExitInput
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
