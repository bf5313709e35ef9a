package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/run"
)

const snapshotUsage = `usage: driftgate snapshot --out FILE [--config FILE] [--plan FILE ...]

Records live CloudWatch state in the snapshot format (docs/snapshot.md): every
alarm of the configured accounts and regions, or with --plan only the alarms
those plans declare. Exit codes: 0 complete, 2 bad input, 3 incomplete.
`

func runSnapshot(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("snapshot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, snapshotUsage) }
	out := fs.String("out", "", "file to write the snapshot to")
	o := run.Options{Version: toolVersion(), Stderr: stderr}
	fs.StringVar(&o.Config, "config", "", "config file (default .driftgate.yml when it exists)")
	var plans stringList
	fs.Var(&plans, "plan", "read only the alarms this plan declares (repeatable)")
	fs.StringVar(&o.Lookback, "lookback", "", "how far back metric data and alarm history reach (default evidence.lookback, else 24h)")
	fs.BoolVar(&o.NoEvidence, "no-evidence", false, "record no metric data or alarm history")
	fs.StringVar(&o.Until, "until", "", "end the evidence window at this RFC 3339 time instead of now")
	if err := fs.Parse(args); err != nil {
		return checks.ExitInput
	}
	if *out == "" {
		fmt.Fprint(stderr, snapshotUsage)
		return checks.ExitInput
	}
	o.Plans = plans
	start := time.Now()
	s, err := run.Snapshot(o)
	if err != nil {
		printError(stderr, err)
		return checks.ExitInput
	}
	if err := run.WriteFile(*out, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}); err != nil {
		fmt.Fprintf(stderr, "driftgate snapshot: writing %s: %s\n", oneLine(*out), oneLine(err.Error()))
		return checks.ExitInput
	}
	alarms, code := 0, checks.ExitPass
	for _, region := range s.CloudWatch {
		alarms += len(region.MetricAlarms) + len(region.CompositeAlarms)
		if !region.Complete {
			fmt.Fprintf(stderr, "driftgate snapshot: %s/%s incomplete: %s\n", region.Account, region.Region, oneLine(region.Error))
			code = checks.ExitInconclusive
		}
	}
	fmt.Fprintf(stdout, "driftgate snapshot: %d alarms in %d region(s) in %s -> %s\n", alarms, len(s.CloudWatch), time.Since(start).Round(time.Millisecond), *out)
	return code
}
