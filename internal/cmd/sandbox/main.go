// Command sandbox serves a live-state snapshot as local AWS APIs and runs a
// command against them, with the standard AWS settings pointing there:
//
//	sandbox -snapshot fixtures/demo/live.json -- driftgate check --live aws --sweep
//
// The command's exit code is the sandbox's. For tests and demos only.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/driftgate/driftgate/internal/sandbox"
	"github.com/driftgate/driftgate/live/snapshot"
)

func main() {
	snap := flag.String("snapshot", "", "live-state snapshot to serve")
	latency := flag.Duration("latency", 0, "delay every answer")
	throttle := flag.Int("throttle", 0, "throttle the first N calls of each operation per region")
	flag.Parse()
	if *snap == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: sandbox -snapshot FILE [-latency D] [-throttle N] -- COMMAND [ARGS...]")
		os.Exit(2)
	}
	s, err := snapshot.Load(*snap, *snap)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		os.Exit(2)
	}
	sb := sandbox.Start(s)
	defer sb.Close()
	sb.Faults.Latency, sb.Faults.Throttle = *latency, *throttle
	region := "us-east-1"
	if len(s.CloudWatch) > 0 {
		region = s.CloudWatch[0].Region
	}
	dir, _ := os.MkdirTemp("", "sandbox-")
	defer os.RemoveAll(dir)
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdout, cmd.Stderr, cmd.Stdin = os.Stdout, os.Stderr, os.Stdin
	cmd.Env = os.Environ()
	if s.PagerDuty != nil {
		pd := sandbox.StartPagerDuty(s.PagerDuty)
		defer pd.Close()
		cmd.Env = append(cmd.Env, "PAGERDUTY_API_URL="+pd.URL, "PAGERDUTY_TOKEN="+pd.Token)
	}
	cmd.Env = append(cmd.Env,
		"AWS_ENDPOINT_URL="+sb.URL, "AWS_REGION="+region,
		"AWS_ACCESS_KEY_ID=AKIASANDBOX", "AWS_SECRET_ACCESS_KEY=sandbox", "AWS_SESSION_TOKEN=",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"),
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PROFILE=")
	start := time.Now()
	err = cmd.Run()
	fmt.Fprintf(os.Stderr, "sandbox: %v AWS API calls in %s: %v\n", sb.Calls(), time.Since(start).Round(time.Millisecond), sb.URL)
	if ee, ok := err.(*exec.ExitError); ok {
		sb.Close()
		os.Exit(ee.ExitCode())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		os.Exit(2)
	}
}
