package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/internal/gcfloor"
	"github.com/driftgate/driftgate/report"
	"github.com/driftgate/driftgate/run"
)

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

const checkAbout = `Compares declared alarms (Terraform plans or state, CloudFormation templates)
with live state (a snapshot, or AWS and PagerDuty read directly), checks SLO
burn-rate coherence, and writes the reports asked for. Checks that need
something that was not read are listed as not judged.
Exit codes: 0 pass, 1 blocking findings, 2 usage or input error, 3 inconclusive.`

func checkCommand(o *run.Options, plans, states, slos, cfn *stringList) *command {
	c := newCommand("check", "driftgate check [--config FILE] [--plan FILE ...] [--live FILE|aws] [flags]", checkAbout,
		"driftgate check --config .driftgate.yml --plan plan.json --live aws --sarif driftgate.sarif",
		"driftgate check --live aws --sweep --state state.json --tf-dir terraform   # a nightly audit",
		"driftgate check --live aws --sweep --lookback 24h --until 2026-11-23T12:00:00Z   # review a past day",
		"driftgate check --slo slo.yaml   # SLO specs on their own")
	fs := c.fs
	fs.StringVar(&o.Config, "config", "", "config `FILE` (default .driftgate.yml when it exists)")
	fs.Var(plans, "plan", "Terraform plan JSON `FILE` from terraform show -json PLANFILE (repeatable)")
	fs.Var(states, "state", "Terraform state JSON `FILE` from terraform show -json without a plan file, as declared configuration (repeatable)")
	fs.Var(slos, "slo", "SLO spec `FILE`: OpenSLO, sloth or pyrra YAML (repeatable)")
	fs.Var(cfn, "cfn", "CloudFormation template `FILE` declaring alarms, JSON or YAML (repeatable)")
	fs.StringVar(&o.CFNParam, "cfn-params", "", "parameter values `FILE` for the templates (AWS CLI, CodePipeline or plain JSON)")
	fs.StringVar(&o.BaseRef, "base-ref", "", "git `REF` of the base branch: template findings say whether this change made them (default origin/$GITHUB_BASE_REF)")
	fs.StringVar(&o.TFDir, "tf-dir", "", "Terraform root module `DIR`, for source lines (default: the plan's directory)")
	fs.StringVar(&o.Live, "live", "", "live state: a recorded snapshot `FILE`, or aws to read the AWS APIs")
	fs.StringVar(&o.Shard, "shard", "", "check only shard `I/N` of the tenants (a matrix of jobs; combine with driftgate merge)")
	fs.BoolVar(&o.Sweep, "sweep", false, "with --live aws, read every alarm of the configured accounts and regions, not only the declared ones")
	fs.StringVar(&o.Lookback, "lookback", "", "with --live aws, how far back metric data and alarm history reach, a `DURATION` (default evidence.lookback, else 24h)")
	fs.BoolVar(&o.NoEvidence, "no-evidence", false, "with --live aws, read no metric data or alarm history")
	fs.StringVar(&o.Until, "until", "", "with --live aws, end the evidence window at this RFC 3339 `TIME` instead of now (review a past day)")
	fs.StringVar(&o.SARIF, "sarif", "", "write SARIF 2.1.0 to `FILE`")
	fs.StringVar(&o.Markdown, "markdown", "", "write the markdown report to `FILE`")
	fs.StringVar(&o.JSON, "json", "", "write the JSON report to `FILE`")
	fs.StringVar(&o.FailOn, "fail-on", "", "lowest `SEVERITY` that fails the run: error, warning, note or never (default error)")
	fs.BoolVar(&o.Quiet, "quiet", false, "print only the one-line verdict")
	fs.StringVar(&o.Attestation, "attestation", "", "write an in-toto attestation of the run to `FILE`")
	fs.StringVar(&o.Fixes, "fixes", "", "write the mechanical fixes of the findings to `FILE` as a patch (git apply FILE, from the repository root)")
	fs.StringVar(&o.SigningKey, "signing-key", "", "PEM ed25519 private key `FILE` to sign the attestation (default: $"+run.SigningKeyEnv+")")
	fs.BoolVar(&o.Redact, "redact", false, "hash account IDs, ARNs and PagerDuty IDs in the attestation (key in $DRIFTGATE_REDACT_KEY)")
	fs.StringVar(&o.Baseline, "baseline", "", "previous attestation `FILE`: report alerts changed since that audit")
	fs.StringVar(&o.History, "history", os.Getenv("DRIFTGATE_HISTORY"), "run history `URL`, sqlite:PATH or postgres://…: findings new or persisting since a date, and resolved ones (default $DRIFTGATE_HISTORY)")
	fs.BoolVar(&o.FailOnNew, "fail-on-new", false, "block only on findings the history has not seen (locked checks always block); needs --history")
	fs.StringVar(&o.HistoryBase, "history-base", "", "`SCOPE` to compare with instead of this run's own (default on a pull request: refs/heads/$GITHUB_BASE_REF)")
	fs.StringVar(&o.HistoryScope, "history-scope", "", "`NAME` of the runs compared with each other (default the git ref, $GITHUB_REF, else local)")
	return c
}

// parseCheckFlags returns the options, or false with the exit code when the
// run should stop (help shown, or a bad flag).
func parseCheckFlags(args []string, stdout, stderr io.Writer) (*run.Options, int, bool) {
	o := &run.Options{Version: toolVersion(), Stderr: stderr}
	var plans, states, slos, cfn stringList
	c := checkCommand(o, &plans, &states, &slos, &cfn)
	if code, ok := c.parse(args, stdout, stderr); !ok {
		return nil, code, false
	}
	if c.fs.NArg() > 0 {
		fmt.Fprintf(stderr, "driftgate check: unexpected arguments: %s (see driftgate check --help)\n", oneLine(strings.Join(c.fs.Args(), " ")))
		return nil, checks.ExitInput, false
	}
	o.Plans, o.States, o.SLOs, o.CFN = plans, states, slos, cfn
	o.Commit, o.Ref, o.Event = os.Getenv("GITHUB_SHA"), os.Getenv("GITHUB_REF"), os.Getenv("GITHUB_EVENT_NAME")
	o.HistoryBase = cmp.Or(o.HistoryBase, pullRequestBase(os.Getenv))
	return o, 0, true
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	o, code, ok := parseCheckFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	result, err := checkRun(*o)
	if err != nil {
		printError(stderr, err)
		return checks.ExitInput
	}
	printSummary(stdout, stderr, result, o.Quiet)
	return result.ExitCode()
}

// checkRun runs a check with the garbage collector's heap goal kept at
// least seven eighths of the size of the files it decodes: its peak heap is
// about that size anyway, and with Go's default goal (twice the live heap)
// the collector would run a dozen times on the way up, marking the growing
// model again each time. Seven eighths was measured against three quarters
// (2 cores, paired medians): CPU -15% at 2,000 tenants, -13% at 1,000,
// -11% at 1,500 and 3,000, the same at 500; peak RSS -2% to +6% (249 MB at
// 2,000 tenants). Both collect twice while the plans are read; with three
// quarters the plans' and the checks' phases run slower afterwards.
// GOGC or GOMEMLIMIT in the environment override it.
func checkRun(o run.Options) (*checks.Result, error) {
	restore := func() {}
	o.InputBytes = func(n int64) { restore = gcfloor.Set(n * 7 / 8) }
	defer func() { restore() }()
	return run.Check(o)
}

func printSummary(stdout, stderr io.Writer, result *checks.Result, quiet bool) {
	text := report.Text{}
	if quiet {
		fmt.Fprintln(stdout, strings.SplitN(textString(text, result), "\n", 2)[0])
	} else if err := text.Write(stdout, result); err != nil {
		fmt.Fprintf(stderr, "driftgate: writing summary: %s\n", oneLine(err.Error()))
	}
}

func textString(t report.Text, r *checks.Result) string {
	var b strings.Builder
	_ = t.Write(&b, r)
	return b.String()
}

// pullRequestBase is the base branch's history scope on a pull request.
func pullRequestBase(getenv func(string) string) string {
	if base := getenv("GITHUB_BASE_REF"); base != "" && strings.HasPrefix(getenv("GITHUB_EVENT_NAME"), "pull_request") {
		return "refs/heads/" + base
	}
	return ""
}

// printError lists every joined problem on its own line; no value inside an
// error can start a line of its own.
func printError(w io.Writer, err error) {
	var multi interface{ Unwrap() []error }
	if errors.As(err, &multi) {
		for _, e := range multi.Unwrap() {
			printError(w, e)
		}
		return
	}
	fmt.Fprintf(w, "driftgate: %s\n", oneLine(err.Error()))
}

// oneLine keeps a value on the line it is printed on.
func oneLine(s string) string { return report.OneLine(s) }
