package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/report"
	"github.com/driftgate/driftgate/run"
)

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func parseCheckFlags(args []string, stderr io.Writer) (*run.Options, error) {
	o := &run.Options{Version: toolVersion(), Stderr: stderr}
	var plans, states, slos, cfn stringList
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Config, "config", "", "config file (default .driftgate.yml when it exists)")
	fs.Var(&plans, "plan", "Terraform plan JSON from `terraform show -json` (repeatable)")
	fs.Var(&states, "state", "Terraform state JSON from `terraform show -json` without a plan file, as declared configuration (repeatable)")
	fs.Var(&slos, "slo", "SLO spec: OpenSLO, sloth or pyrra YAML (repeatable)")
	fs.Var(&cfn, "cfn", "CloudFormation template declaring alarms, JSON or YAML (repeatable)")
	fs.StringVar(&o.CFNParam, "cfn-params", "", "parameter values for the templates (AWS CLI, CodePipeline or plain JSON)")
	fs.StringVar(&o.BaseRef, "base-ref", "", "git ref of the base branch: template findings say whether this change made them (default: origin/$GITHUB_BASE_REF when set)")
	fs.StringVar(&o.TFDir, "tf-dir", "", "Terraform root module directory, for source lines (default: the plan's directory)")
	fs.StringVar(&o.Live, "live", "", "live state: a recorded snapshot (JSON), or \"aws\" to read the AWS APIs")
	fs.StringVar(&o.Shard, "shard", "", "I/N: check only this shard of the tenants (for a matrix of jobs; combine with driftgate merge)")
	fs.BoolVar(&o.Sweep, "sweep", false, "with --live aws, read every alarm of the configured accounts and regions, not only the declared ones")
	fs.StringVar(&o.Lookback, "lookback", "", "with --live aws, how far back metric data and alarm history reach (default evidence.lookback, else 24h)")
	fs.BoolVar(&o.NoEvidence, "no-evidence", false, "with --live aws, read no metric data or alarm history")
	fs.StringVar(&o.Until, "until", "", "with --live aws, end the evidence window at this RFC 3339 time instead of now (review a past day)")
	fs.StringVar(&o.SARIF, "sarif", "", "write SARIF 2.1.0 to this file")
	fs.StringVar(&o.Markdown, "markdown", "", "write the markdown report to this file")
	fs.StringVar(&o.JSON, "json", "", "write the JSON report to this file")
	fs.StringVar(&o.FailOn, "fail-on", "", "lowest severity that fails the run: error, warning, note or never (default error)")
	fs.BoolVar(&o.Quiet, "quiet", false, "print only the one-line verdict")
	fs.StringVar(&o.Attestation, "attestation", "", "write an in-toto attestation of the run to this file")
	fs.StringVar(&o.SigningKey, "signing-key", "", "PEM ed25519 private key to sign the attestation (default: $"+run.SigningKeyEnv+")")
	fs.BoolVar(&o.Redact, "redact", false, "hash account IDs, ARNs and PagerDuty IDs in the attestation")
	fs.StringVar(&o.Baseline, "baseline", "", "previous attestation: report alerts changed since that audit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	o.Plans, o.States, o.SLOs, o.CFN = plans, states, slos, cfn
	return o, nil
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	o, err := parseCheckFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return checks.ExitPass
		}
		fmt.Fprintf(stderr, "driftgate check: %s\n", oneLine(err.Error()))
		return checks.ExitInput
	}
	result, err := run.Check(*o)
	if err != nil {
		printError(stderr, err)
		return checks.ExitInput
	}
	printSummary(stdout, stderr, result, o.Quiet)
	return result.ExitCode()
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
