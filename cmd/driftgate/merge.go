package main

import (
	"fmt"
	"io"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/run"
)

func runMerge(args []string, stdout, stderr io.Writer) int {
	c := newCommand("merge", "driftgate merge --json OUT [--sarif OUT] [--markdown OUT] [--attestation OUT [--signing-key KEY]] FILE...",
		`Combines the JSON reports (and attestations) of a sweep's shards into one
report: findings deduplicated by fingerprint, counts and result recomputed,
one SARIF run. A shard missing from the set makes the result inconclusive.
Exit codes as for check: 0 pass, 1 blocking findings, 2 bad input, 3 inconclusive.`,
		"driftgate merge --json driftgate.json --sarif driftgate.sarif shard-*.json shard-*.attestation.json")
	fs := c.fs
	o := run.Options{Version: toolVersion(), Stderr: stderr}
	fs.StringVar(&o.JSON, "json", "", "merged JSON report `FILE`")
	fs.StringVar(&o.SARIF, "sarif", "", "merged SARIF `FILE`")
	fs.StringVar(&o.Markdown, "markdown", "", "merged markdown report `FILE`")
	fs.StringVar(&o.Attestation, "attestation", "", "merged attestation `FILE`")
	fs.StringVar(&o.SigningKey, "signing-key", "", "PEM ed25519 key `FILE` to sign the merged attestation")
	if code, ok := c.parse(args, stdout, stderr); !ok {
		return code
	}
	if o.JSON == "" || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "driftgate merge: --json OUT and at least one shard report are required (see driftgate merge --help)")
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
