package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/run"
)

func runSnapshot(args []string, stdout, stderr io.Writer) int {
	c := newCommand("snapshot", "driftgate snapshot --out FILE [--config FILE] [--plan FILE ...] [flags]",
		`Records live state in the snapshot format (docs/snapshot.md): every alarm of the
configured accounts and regions, or with --plan only the alarms those plans
declare, with their metric evidence. Exit codes: 0 complete, 2 bad input, 3 incomplete.`,
		"driftgate snapshot --config .driftgate.yml --out live.json",
		"driftgate check --live live.json   # replay it offline")
	fs := c.fs
	out := fs.String("out", "", "`FILE` to write the snapshot to")
	o := run.Options{Version: toolVersion(), Stderr: stderr}
	fs.StringVar(&o.Config, "config", "", "config `FILE` (default .driftgate.yml when it exists)")
	var plans stringList
	fs.Var(&plans, "plan", "read only the alarms this plan `FILE` declares (repeatable)")
	fs.StringVar(&o.Lookback, "lookback", "", "how far back metric data and alarm history reach, a `DURATION` (default evidence.lookback, else 24h)")
	fs.BoolVar(&o.NoEvidence, "no-evidence", false, "record no metric data or alarm history")
	fs.StringVar(&o.Until, "until", "", "end the evidence window at this RFC 3339 `TIME` instead of now")
	if code, ok := c.parse(args, stdout, stderr); !ok {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "driftgate snapshot: --out FILE is required (see driftgate snapshot --help)")
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
