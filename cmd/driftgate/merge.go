package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/run"
)

const mergeUsage = `usage: driftgate merge --json OUT [--sarif OUT] [--markdown OUT] [--attestation OUT [--signing-key KEY]] FILE...

Combines the JSON reports (and attestations) of a sweep's shards into one
report: findings deduplicated by fingerprint, counts and result recomputed,
one SARIF run. A shard missing from the set makes the result inconclusive.
Exit codes as for check: 0 pass, 1 blocking findings, 2 bad input, 3 inconclusive.
`

func runMerge(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, mergeUsage) }
	o := run.Options{Version: toolVersion(), Stderr: stderr}
	fs.StringVar(&o.JSON, "json", "", "merged JSON report")
	fs.StringVar(&o.SARIF, "sarif", "", "merged SARIF")
	fs.StringVar(&o.Markdown, "markdown", "", "merged markdown report")
	fs.StringVar(&o.Attestation, "attestation", "", "merged attestation")
	fs.StringVar(&o.SigningKey, "signing-key", "", "PEM ed25519 key to sign the merged attestation")
	if err := fs.Parse(args); err != nil {
		return checks.ExitInput
	}
	if o.JSON == "" || fs.NArg() == 0 {
		fmt.Fprint(stderr, mergeUsage)
		return checks.ExitInput
	}
	result, err := run.Merge(o, fs.Args())
	if err != nil {
		printError(stderr, err)
		return checks.ExitInput
	}
	printSummary(stdout, stderr, result, false)
	return result.ExitCode()
}
