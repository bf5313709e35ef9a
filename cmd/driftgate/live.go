package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/config"
	"github.com/driftgate/driftgate/live/aws"
	"github.com/driftgate/driftgate/live/pagerduty"
	"github.com/driftgate/driftgate/live/snapshot"
	"github.com/driftgate/driftgate/model"
)

// LiveAWS is the --live value that reads AWS instead of a snapshot file.
const LiveAWS = "aws"

// pagerDutyNotRead says what --live aws leaves out without a PagerDuty token.
const pagerDutyNotRead = "PagerDuty: no token (PAGERDUTY_TOKEN or the pagerduty-token input), so PagerDuty and SNS subscriptions were not read " +
	"and page-routing, tenant-route, escalation-latency, pagerduty-coverage and PagerDuty threshold parity compared nothing"

// awsOptions derives what to read from the config: its accounts and
// regions, else the ambient credentials in $AWS_REGION.
func awsOptions(cfg *config.Config, names []string, sweep bool) (aws.Options, error) {
	opts := aws.Options{Names: names, Sweep: sweep, Tags: cfg.Conventions.TenantTag != "", Stacks: cfg.AWS.Stacks, Version: toolVersion()}
	if cfg.AWS.Timeout != "" {
		opts.Timeout, _ = model.ParseWindow(cfg.AWS.Timeout)
	}
	for _, a := range cfg.AWS.Accounts {
		regions := a.Regions
		if len(regions) == 0 {
			regions = cfg.AWS.Regions
		}
		opts.Targets = append(opts.Targets, aws.Target{Account: a.ID, RoleARN: a.RoleARN, Regions: regions})
	}
	if len(opts.Targets) == 0 {
		regions := cfg.AWS.Regions
		if len(regions) == 0 {
			for _, env := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
				if r := os.Getenv(env); r != "" {
					regions = []string{r}
					break
				}
			}
		}
		if len(regions) == 0 {
			return opts, errors.New("--live aws: no region to read: set aws.regions in the config or AWS_REGION")
		}
		opts.Targets = []aws.Target{{Regions: regions}}
	}
	return opts, nil
}

// readAWS reads live state for a check: in PR mode the alarms the plans
// declare, with --sweep every alarm.
func (r *runner) readAWS(counts map[string]int) (*snapshot.Snapshot, error) {
	var names []string
	for _, a := range r.world.Declared {
		if a.Name != "" && !a.IsUnknown("alarm_name") {
			names = append(names, a.Name)
		}
	}
	opts, err := awsOptions(r.cfg, names, r.opts.sweep)
	if err != nil {
		return nil, err
	}
	if !r.opts.sweep {
		r.result.Skipped = append(r.result.Skipped,
			"unmanaged-alarm: PR mode reads only the alarms the plans declare; run with --sweep to find undeclared ones")
	}
	token := r.opts.pagerDutyToken
	if token == "" {
		token = os.Getenv("PAGERDUTY_TOKEN")
	}
	opts.Subscriptions = token != "" // SNS subscriptions matter for routing to PagerDuty
	// PagerDuty and AWS are read side by side: each is paced by its own
	// rate limit, so the live phase takes the longer of the two, not the sum.
	var pd *snapshot.PagerDutyState
	done := make(chan struct{})
	go func() {
		defer close(done)
		if token != "" {
			pd = pagerduty.Read(context.Background(), pagerduty.Options{Token: token, URL: os.Getenv("PAGERDUTY_API_URL")})
		}
	}()
	s, err := aws.Read(context.Background(), opts)
	<-done
	if err != nil {
		return nil, err
	}
	if token == "" {
		r.result.Skipped = append(r.result.Skipped, pagerDutyNotRead)
		return s, nil
	}
	s.PagerDuty = pd
	counts["pagerduty_services"] = len(s.PagerDuty.Services)
	counts["regions"] = len(s.CloudWatch)
	return s, nil
}

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
	cfgFile := fs.String("config", "", "config file (default .driftgate.yml when it exists)")
	var plans stringList
	fs.Var(&plans, "plan", "read only the alarms this plan declares (repeatable)")
	if err := fs.Parse(args); err != nil {
		return checks.ExitInput
	}
	if *out == "" {
		fmt.Fprint(stderr, snapshotUsage)
		return checks.ExitInput
	}
	r := &runner{opts: &checkOptions{config: *cfgFile, plans: plans, sweep: len(plans) == 0, quiet: true}, stderr: stderr,
		result: &checks.Result{Version: toolVersion()}}
	wd, _ := os.Getwd()
	r.wd = wd
	if err := r.loadConfig(map[string]int{}); err != nil {
		printError(stderr, err)
		return checks.ExitInput
	}
	r.world = &model.World{}
	if len(plans) > 0 {
		if err := r.loadPlans(map[string]int{}); err != nil {
			printError(stderr, err)
			return checks.ExitInput
		}
	}
	start := time.Now()
	s, err := r.readAWS(map[string]int{})
	if err != nil {
		printError(stderr, err)
		return checks.ExitInput
	}
	if err := writeFile(*out, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}); err != nil {
		fmt.Fprintf(stderr, "driftgate snapshot: writing %s: %v\n", *out, err)
		return checks.ExitInput
	}
	alarms, code := 0, checks.ExitPass
	for _, region := range s.CloudWatch {
		alarms += len(region.MetricAlarms) + len(region.CompositeAlarms)
		if !region.Complete {
			fmt.Fprintf(stderr, "driftgate snapshot: %s/%s incomplete: %s\n", region.Account, region.Region, region.Error)
			code = checks.ExitInconclusive
		}
	}
	fmt.Fprintf(stdout, "driftgate snapshot: %d alarms in %d region(s) in %s -> %s\n", alarms, len(s.CloudWatch), time.Since(start).Round(time.Millisecond), *out)
	return code
}
