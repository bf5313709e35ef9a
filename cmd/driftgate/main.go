// Command driftgate checks Terraform plans and alert configuration against
// live CloudWatch state and reports drift as SARIF, markdown, JSON and a
// terminal summary. See README.md for usage and exit codes.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"

	"github.com/driftgate/driftgate/checks"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

const usage = `usage: driftgate <command> [flags]

commands:
  check     compare declared alarms and plans with live state; write reports
  checks    list every check (--json for machines)
  ignore    --accept-current: print ignore rules (with reason and expiry) for every current finding
  test-routes  run routing tests alone: where each alarm's page must land in PagerDuty
  history   the trend of a run history (check --history): findings per run, new, resolved
  snapshot  record live CloudWatch state to a file (--out FILE)
  merge     combine the reports of a sweep's shards (check --shard I/N) into one
  action    run as a GitHub Action step (inputs from INPUT_*; see action.yml)
  verify    check an attestation's signature, shape and file digests
  version   print the version

Run 'driftgate <command> -h' for a command's flags.
Exit codes: 0 pass, 1 blocking findings, 2 usage or input error, 3 inconclusive.
`

func main() {
	// DRIFTGATE_CPUPROFILE=FILE writes a CPU profile of the run (go tool pprof FILE).
	if file := os.Getenv("DRIFTGATE_CPUPROFILE"); file != "" {
		if f, err := os.Create(file); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				code := dispatch(os.Args[1:], os.Stdout, os.Stderr)
				pprof.StopCPUProfile()
				f.Close()
				os.Exit(code)
			}
		}
	}
	// DRIFTGATE_MEMPROFILE=FILE writes a heap profile at the end of the run
	// (go tool pprof -sample_index=alloc_space FILE: what allocated most).
	if file := os.Getenv("DRIFTGATE_MEMPROFILE"); file != "" {
		code := dispatch(os.Args[1:], os.Stdout, os.Stderr)
		// A heap profile counts what was allocated up to the last
		// collection: without this one the run's last phases are missing.
		runtime.GC()
		if f, err := os.Create(file); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
		os.Exit(code)
	}
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return checks.ExitInput
	}
	switch args[0] {
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "checks":
		return runChecks(args[1:], stdout, stderr)
	case "ignore":
		return runIgnore(args[1:], stdout, stderr)
	case "test-routes":
		return runTestRoutes(args[1:], stdout, stderr)
	case "history":
		return runHistory(args[1:], stdout, stderr)
	case "verify":
		return runVerify(args[1:], stdout, stderr)
	case "snapshot":
		return runSnapshot(args[1:], stdout, stderr)
	case "action":
		return runAction(args[1:], stdout, stderr)
	case "merge":
		return runMerge(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "driftgate %s\n", toolVersion())
		return checks.ExitPass
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return checks.ExitPass
	}
	fmt.Fprintf(stderr, "driftgate: unknown command %q\n\n%s", oneLine(args[0]), usage)
	return checks.ExitInput
}
