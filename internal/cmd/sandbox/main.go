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

	"github.com/driftgate/driftgate/internal/pgtest"
	"github.com/driftgate/driftgate/internal/sandbox"
	"github.com/driftgate/driftgate/live/snapshot"
)

func main() {
	snap := flag.String("snapshot", "", "live-state snapshot to serve")
	latency := flag.Duration("latency", 0, "delay every answer")
	throttle := flag.Int("throttle", 0, "throttle the first N calls of each operation per region")
	pgSQL := flag.String("postgres-sql", "", "start a local PostgreSQL server and run this SQL `FILE` in its database alerting")
	pgEnv := flag.String("postgres-env", "", "environment `NAME` that passes the database's DSN to the command")
	flag.Parse()
	if *snap == "" || flag.NArg() == 0 || (*pgSQL == "") != (*pgEnv == "") {
		fmt.Fprintln(os.Stderr, "usage: sandbox -snapshot FILE [-latency D] [-throttle N] [-postgres-sql FILE -postgres-env NAME] -- COMMAND [ARGS...]")
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
	if *pgSQL != "" {
		dsn, stop, err := startPostgres(*pgSQL)
		if err != nil {
			fmt.Fprintln(os.Stderr, "sandbox:", err)
			os.Exit(2)
		}
		defer stop()
		cmd.Env = append(cmd.Env, *pgEnv+"="+dsn)
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
		stopAll()
		os.Exit(ee.ExitCode())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		stopAll()
		os.Exit(2)
	}
}

// stops are what must stop before the sandbox exits (os.Exit skips defers).
var stops []func()

func stopAll() {
	for _, stop := range stops {
		stop()
	}
	stops = nil
}

// startPostgres starts a throwaway PostgreSQL server, creates the database
// alerting and runs the SQL file in it; the DSN goes to the command only.
func startPostgres(file string) (string, func(), error) {
	sql, err := os.ReadFile(file)
	if err != nil {
		return "", nil, err
	}
	pg, err := pgtest.Launch()
	if err != nil {
		return "", nil, fmt.Errorf("starting PostgreSQL: %w", err)
	}
	stops = append(stops, pg.Stop)
	if err := pg.Run("postgres", "CREATE DATABASE alerting"); err != nil {
		stopAll()
		return "", nil, err
	}
	if err := pg.Run("alerting", string(sql)); err != nil {
		stopAll()
		return "", nil, fmt.Errorf("%s: %w", file, err)
	}
	fmt.Fprintf(os.Stderr, "sandbox: PostgreSQL on %s:%d, database alerting loaded from %s\n", pg.Host, pg.Port, file)
	return pg.DSN("alerting"), stopAll, nil
}
