package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/config"
	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/live/snapshot"
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/report"
	"github.com/driftgate/driftgate/sources/cloudformation"
	"github.com/driftgate/driftgate/sources/slo"
	"github.com/driftgate/driftgate/sources/terraform"
)

// checkOptions are the flags of `driftgate check`; they override the config.
type checkOptions struct {
	config   string
	plans    stringList
	slos     stringList
	cfn      stringList
	cfnParam string
	baseRef  string
	// liveSkipped, when set, is why live state is not read at all.
	liveSkipped string
	// markdownMax caps the markdown report; fullReport names where the whole one is.
	markdownMax int
	fullReport  string
	tfDir       string
	live        string
	sarif       string
	markdown    string
	json        string
	failOn      string
	quiet       bool

	sweep bool
	shard string
	// pagerDutyToken reads PagerDuty with --live aws; default $PAGERDUTY_TOKEN.
	pagerDutyToken string

	attestation string
	signingKey  string
	redact      bool
	baseline    string
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func parseCheckFlags(args []string, stderr io.Writer) (*checkOptions, error) {
	o := &checkOptions{}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.config, "config", "", "config file (default .driftgate.yml when it exists)")
	fs.Var(&o.plans, "plan", "Terraform plan JSON from `terraform show -json` (repeatable)")
	fs.Var(&o.slos, "slo", "SLO spec: OpenSLO, sloth or pyrra YAML (repeatable)")
	fs.Var(&o.cfn, "cfn", "CloudFormation template declaring alarms, JSON or YAML (repeatable)")
	fs.StringVar(&o.cfnParam, "cfn-params", "", "parameter values for the templates (AWS CLI, CodePipeline or plain JSON)")
	fs.StringVar(&o.baseRef, "base-ref", "", "git ref of the base branch: template findings say whether this change made them (default: origin/$GITHUB_BASE_REF when set)")
	fs.StringVar(&o.tfDir, "tf-dir", "", "Terraform root module directory, for source lines (default: the plan's directory)")
	fs.StringVar(&o.live, "live", "", "live state: a recorded snapshot (JSON), or \"aws\" to read the AWS APIs")
	fs.StringVar(&o.shard, "shard", "", "I/N: check only this shard of the tenants (for a matrix of jobs; combine with driftgate merge)")
	fs.BoolVar(&o.sweep, "sweep", false, "with --live aws, read every alarm of the configured accounts and regions, not only the declared ones")
	fs.StringVar(&o.sarif, "sarif", "", "write SARIF 2.1.0 to this file")
	fs.StringVar(&o.markdown, "markdown", "", "write the markdown report to this file")
	fs.StringVar(&o.json, "json", "", "write the JSON report to this file")
	fs.StringVar(&o.failOn, "fail-on", "", "lowest severity that fails the run: error, warning, note or never (default error)")
	fs.BoolVar(&o.quiet, "quiet", false, "print only the one-line verdict")
	fs.StringVar(&o.attestation, "attestation", "", "write an in-toto attestation of the run to this file")
	fs.StringVar(&o.signingKey, "signing-key", "", "PEM ed25519 private key to sign the attestation (default: $"+signingKeyEnv+")")
	fs.BoolVar(&o.redact, "redact", false, "hash account IDs, ARNs and PagerDuty IDs in the attestation")
	fs.StringVar(&o.baseline, "baseline", "", "previous attestation: report alerts changed since that audit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return o, nil
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	o, err := parseCheckFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "driftgate check: %v\n", err)
		}
		return checks.ExitInput
	}
	result, err := execute(o, stderr)
	if err != nil {
		printError(stderr, err)
		return checks.ExitInput
	}
	printSummary(stdout, stderr, result, o.quiet)
	return result.ExitCode()
}

// execute runs a check with the given options: the CLI and the Action share it.
func execute(o *checkOptions, stderr io.Writer) (*checks.Result, error) {
	r := &runner{opts: o, stderr: stderr, result: &checks.Result{Version: toolVersion()}}
	if err := r.run(); err != nil {
		return nil, err
	}
	return r.result, nil
}

func printSummary(stdout, stderr io.Writer, result *checks.Result, quiet bool) {
	text := report.Text{}
	if quiet {
		fmt.Fprintln(stdout, strings.SplitN(textString(text, result), "\n", 2)[0])
	} else if err := text.Write(stdout, result); err != nil {
		fmt.Fprintf(stderr, "driftgate: writing summary: %v\n", err)
	}
}

func textString(t report.Text, r *checks.Result) string {
	var b strings.Builder
	_ = t.Write(&b, r)
	return b.String()
}

// printError lists every joined problem on its own line.
func printError(w io.Writer, err error) {
	var multi interface{ Unwrap() []error }
	if errors.As(err, &multi) {
		for _, e := range multi.Unwrap() {
			printError(w, e)
		}
		return
	}
	fmt.Fprintf(w, "driftgate: %v\n", err)
}

// runner carries one check run through its phases.
type runner struct {
	shard *shard
	// templatesCompared is set when template alarms were compared with the base ref.
	templatesCompared bool
	opts              *checkOptions
	stderr            io.Writer
	cfg               *config.Config
	world             *model.World
	result            *checks.Result
	wd                string
}

// phase runs fn and records it in the trace; slow phases report progress.
func (r *runner) phase(name string, fn func(counts map[string]int) error) error {
	start := time.Now()
	counts := map[string]int{}
	err := fn(counts)
	d := time.Since(start)
	r.result.Trace = append(r.result.Trace, checks.Phase{Name: name, Start: start, Duration: d, Counts: counts})
	if d > time.Second && !r.opts.quiet {
		fmt.Fprintf(r.stderr, "driftgate: %s took %s\n", name, d.Round(time.Millisecond))
	}
	return err
}

// rel reports paths relative to the working directory (the repository root
// in CI), with forward slashes, as code scanning expects.
func (r *runner) rel(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	if rel, err := filepath.Rel(r.wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(p)
}

func (r *runner) run() error {
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("finding the working directory: %w", err)
	}
	r.wd = wd
	if err := r.phase("config", r.loadConfig); err != nil {
		return err
	}
	r.world = &model.World{Tenants: r.cfg.ModelTenants(), Configured: map[string]bool{}, Locations: map[string]model.Location{}}
	for _, t := range r.world.Tenants {
		r.world.Configured[t.ID] = true
	}
	if err := r.phase("plans", r.loadPlans); err != nil {
		return err
	}
	if err := r.phase("templates", r.loadTemplates); err != nil {
		return err
	}
	sh, err := parseShard(r.opts.shard)
	if err != nil {
		return err
	}
	sh.declared(r.world)
	if sh.count > 1 {
		r.result.Shard = sh.String()
	}
	r.shard = &sh
	if err := r.phase("slos", r.loadSLOs); err != nil {
		return err
	}
	if err := r.phase("live", r.loadLive); err != nil {
		return err
	}
	sh.live(r.world.Live)
	r.world.Anchor = model.Location{File: r.rel(r.cfg.File)}
	if r.cfg.File == "" && len(r.world.Plans) > 0 {
		r.world.Anchor = model.Location{File: r.world.Plans[0].File}
	} else if r.cfg.File == "" && len(r.world.Declared) > 0 {
		r.world.Anchor = model.Location{File: r.world.Declared[0].Location.File}
	}
	if r.opts.baseline != "" {
		if err := r.phase("audit", r.loadBaseline); err != nil {
			return err
		}
	}
	settings := r.cfg.Settings()
	for _, c := range checks.All {
		if !settings.Disabled[c.ID] {
			r.result.Checks = append(r.result.Checks, c)
		}
	}
	_ = r.phase("checks", func(counts map[string]int) error {
		r.result.Findings = checks.Run(r.world, settings, checks.All)
		r.noteTemplateChanges()
		counts["checks"] = len(r.result.Checks)
		counts["findings"] = len(r.result.Findings)
		return nil
	})
	r.result.World = r.world
	r.result.Inconclusive = checks.InconclusiveReasons(r.world)
	if err := r.phase("reports", r.writeReports); err != nil {
		return err
	}
	if r.opts.attestation == "" {
		return nil
	}
	return r.phase("attestation", r.writeAttestation)
}

func (r *runner) loadConfig(counts map[string]int) error {
	path := r.opts.config
	if path == "" {
		if _, err := os.Stat(config.DefaultFile); err == nil {
			path = config.DefaultFile
		}
	}
	if path == "" {
		r.cfg = config.Default()
	} else {
		cfg, err := config.Load(path)
		if err != nil {
			return err
		}
		r.cfg = cfg
		r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "config", Path: r.rel(path)})
	}
	failOn := r.cfg.Checks.FailOn
	if r.opts.failOn != "" {
		failOn = r.opts.failOn
	}
	if failOn == "" {
		failOn = "error"
	}
	sev, err := checks.ParseSeverity(failOn)
	if err != nil {
		return fmt.Errorf("--fail-on: %w", err)
	}
	r.result.FailOn = sev
	counts["tenants"] = len(r.cfg.Tenants)
	return nil
}

func (r *runner) loadPlans(counts map[string]int) error {
	plans := []string(r.opts.plans)
	if len(plans) == 0 {
		for _, p := range r.cfg.Inputs.Plans {
			plans = append(plans, r.cfg.Resolve(p))
		}
	}
	if len(plans) == 0 && len(r.opts.cfn) == 0 && len(r.cfg.Inputs.CloudFormation) == 0 {
		return errors.New("nothing to check: give --plan FILE (from `terraform show -json`), --cfn TEMPLATE, or inputs.plans / inputs.cloudformation in the config")
	}
	tfDir := r.opts.tfDir
	if tfDir == "" && r.cfg.Inputs.TerraformDir != "" {
		tfDir = r.cfg.Resolve(r.cfg.Inputs.TerraformDir)
	}
	var errs []error
	for _, file := range plans {
		loaded, err := terraform.Load(file, terraform.Options{SourceDir: tfDir, Rel: r.rel})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, w := range loaded.Warnings {
			fmt.Fprintf(r.stderr, "driftgate: warning: %v (findings point at the plan file instead)\n", w)
		}
		r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "plan", Path: loaded.Plan.File})
		for _, s := range loaded.Sources {
			r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "terraform-source", Path: s})
		}
		for _, a := range loaded.Alarms {
			r.cfg.Classify(a)
			if a.Prior != nil {
				r.cfg.Classify(a.Prior)
			}
		}
		r.world.Plans = append(r.world.Plans, loaded.Plan)
		r.world.Declared = append(r.world.Declared, loaded.Alarms...)
		if loaded.Routing != nil {
			if r.world.Routing == nil {
				r.world.Routing = &model.PagerDuty{ServiceRules: map[string]*model.PDRuleSets{}}
			}
			rt := r.world.Routing
			rt.Services = append(rt.Services, loaded.Routing.Services...)
			rt.EscalationPolicies = append(rt.EscalationPolicies, loaded.Routing.EscalationPolicies...)
			rt.Orchestrations = append(rt.Orchestrations, loaded.Routing.Orchestrations...)
			rt.Subscriptions = append(rt.Subscriptions, loaded.Routing.Subscriptions...)
			rt.ServiceIntegrations = append(rt.ServiceIntegrations, loaded.Routing.ServiceIntegrations...)
			for id, rs := range loaded.Routing.ServiceRules {
				rt.ServiceRules[id] = rs
			}
		}
		r.world.Drifts = append(r.world.Drifts, loaded.Drifts...)
		for k, v := range loaded.Locations {
			r.world.Locations[k] = v
		}
		counts["alarms"] += len(loaded.Alarms)
		counts["drifts"] += len(loaded.Drifts)
	}
	counts["plans"] = len(r.world.Plans)
	return errors.Join(errs...)
}

func (r *runner) loadSLOs(counts map[string]int) error {
	files, err := r.inputFiles(r.opts.slos, "inputs.slos", r.cfg.Inputs.SLOs)
	if err != nil {
		return err
	}
	loader := slo.NewLoader()
	var errs []error
	for _, f := range files {
		if err := loader.LoadFile(f, r.rel(f)); err != nil {
			errs = append(errs, err)
			continue
		}
		r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "slo", Path: r.rel(f)})
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	specs, err := loader.Finish()
	if err != nil {
		return err
	}
	r.world.SLOs = append(r.cfg.ModelSLOs(), specs...)
	if len(r.world.SLOs) == 0 {
		r.result.Skipped = append(r.result.Skipped,
			"SLO coherence: no SLO given (--slo, inputs.slos or slos in the config), so the SLO checks compared nothing")
	}
	counts["slos"] = len(r.world.SLOs)
	return nil
}

// inputFiles is the flag's files, else the config's patterns expanded; a
// pattern that matches nothing is an input error (a typo, not "no input").
func (r *runner) inputFiles(flag []string, key string, patterns []string) ([]string, error) {
	if len(flag) > 0 {
		return flag, nil
	}
	var files []string
	for _, pattern := range patterns {
		matches, err := filepath.Glob(r.cfg.Resolve(pattern))
		if err != nil || len(matches) == 0 {
			return nil, &input.Error{File: r.rel(r.cfg.File), Msg: fmt.Sprintf("%s: no file matches %q", key, pattern)}
		}
		files = append(files, matches...)
	}
	return files, nil
}

func (r *runner) loadLive(counts map[string]int) error {
	if r.opts.liveSkipped != "" {
		r.result.Skipped = append(r.result.Skipped, r.opts.liveSkipped)
		return nil
	}
	file := r.opts.live
	if file == "" && r.cfg.Inputs.Live != "" {
		file = r.cfg.Inputs.Live
		if file != LiveAWS {
			file = r.cfg.Resolve(file)
		}
	}
	if file == "" {
		r.result.Skipped = append(r.result.Skipped,
			"live state: no --live snapshot given, so alarm-drift, missing-alarm and unmanaged-alarm compared nothing")
		return nil
	}
	var s *snapshot.Snapshot
	var err error
	if file == LiveAWS {
		s, err = r.readAWS(counts)
		file = ""
	} else {
		s, err = snapshot.Load(file, r.rel(file))
	}
	if err != nil {
		return err
	}
	r.world.Live = s.Model(r.rel(file))
	for _, a := range r.world.Live.Alarms {
		r.cfg.Classify(a)
	}
	r.cfg.ClassifyServices(r.world.Live.PagerDuty)
	r.cfg.ClassifyServices(r.world.Routing)
	if err := r.locateStackDrift(); err != nil {
		return err
	}
	if file != "" {
		r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "live", Path: r.rel(file)})
	}
	counts["alarms"] = len(r.world.Live.Alarms)
	counts["sources"] = len(r.world.Live.Sources)
	return nil
}

// locateStackDrift points stack drift at the template resource's line when
// the config names the stack's template.
func (r *runner) locateStackDrift() error {
	lines := map[string]map[string]int{}
	for i := range r.world.Live.Drifts {
		d := &r.world.Live.Drifts[i]
		tmpl, ok := r.cfg.AWS.Templates[d.Stack]
		if !ok {
			continue
		}
		path := r.cfg.Resolve(tmpl)
		if lines[d.Stack] == nil {
			l, err := cloudformation.Lines(path, r.rel(path))
			if err != nil {
				return err
			}
			lines[d.Stack] = l
			r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "cloudformation-template", Path: r.rel(path)})
		}
		d.Location = model.Location{File: r.rel(path), Line: lines[d.Stack][d.LogicalID]}
	}
	return nil
}

func (r *runner) writeReports(counts map[string]int) error {
	outputs := []struct {
		path   string
		format report.Format
	}{
		{r.opts.sarif, report.SARIF{}},
		{r.opts.markdown, report.Markdown{MaxBytes: r.opts.markdownMax, FullReport: r.opts.fullReport}},
		{r.opts.json, report.JSON{}},
	}
	var errs []error
	for _, o := range outputs {
		if o.path == "" {
			continue
		}
		if err := writeFile(o.path, func(w io.Writer) error { return o.format.Write(w, r.result) }); err != nil {
			errs = append(errs, fmt.Errorf("writing %s: %w", o.path, err))
			continue
		}
		counts["files"]++
	}
	return errors.Join(errs...)
}

// writeFile writes through a temporary file and renames it, so a failed
// write never leaves a truncated report behind.
func writeFile(path string, write func(io.Writer) error) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
