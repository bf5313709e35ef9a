package run

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/driftgate/driftgate/attest"
	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/config"
	"github.com/driftgate/driftgate/history"
	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/live/aws"
	"github.com/driftgate/driftgate/live/snapshot"
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/remedy"
	"github.com/driftgate/driftgate/report"
	"github.com/driftgate/driftgate/sources/cloudformation"
	"github.com/driftgate/driftgate/sources/routetests"
	"github.com/driftgate/driftgate/sources/slo"
	"github.com/driftgate/driftgate/sources/terraform"
)

// Check runs the checks over the inputs the options name and writes the
// reports they ask for. An error is bad input (exit 2); everything else,
// including sources that could not be read, is in the result.
func Check(opts Options) (*checks.Result, error) {
	r, err := newRunner(&opts)
	if err != nil {
		return nil, err
	}
	defer r.cancel() // a live read started early ends with the run
	if err := r.run(); err != nil {
		r.reportError(err)
		return nil, err
	}
	return r.result, nil
}

// reportError writes the reports the run was asked for, carrying the input
// error instead of findings: an upload step that follows a failed check
// finds its files and shows why.
func (r *runner) reportError(err error) {
	if r.opts.SARIF == "" && r.opts.JSON == "" && r.opts.Markdown == "" {
		return
	}
	var errs []string
	var multi interface{ Unwrap() []error }
	if errors.As(err, &multi) {
		for _, e := range multi.Unwrap() {
			errs = append(errs, e.Error())
		}
	} else {
		errs = []string{err.Error()}
	}
	r.result = &checks.Result{Version: r.opts.Version, FailOn: checks.SeverityError, Errors: errs, Inputs: r.result.Inputs, Trace: r.result.Trace}
	_ = r.writeReports(map[string]int{}) // the input error is what the caller reports
}

// runner carries one check run through its phases.
type runner struct {
	// inputDigests takes the input files' digests as they become known
	// (nil without --attestation).
	inputDigests *earlyDigests
	shard        *shard
	// templatesCompared is set when template alarms were compared with the base ref.
	templatesCompared bool
	opts              *Options
	stderr            io.Writer
	cfg               *config.Config
	world             *model.World
	result            *checks.Result
	// root is the repository root paths in reports are relative to.
	root string
	// states counts the Terraform states read as declared configuration.
	states int
	// early carries a live read started before the plans loaded: a
	// sweep's, or a PR-mode read taking the declared names from pending as
	// the plans' decoder reaches them (closed once every input is read).
	early       chan liveRead
	pending     *aws.NameList
	streamNames bool // the plans' decoder adds to pending as it reads
	// ctx ends with the run (cancel), and with it a read started early.
	ctx    context.Context
	cancel context.CancelFunc
	// earlySnapshot carries a live snapshot file loaded beside the plans.
	earlySnapshot chan snapshotLoad
	// templatesRead is set when CloudFormation templates were given;
	// liveAsked when live state was asked for (read or not).
	templatesRead, liveAsked bool
	// snap is the live snapshot file read, when one was; awsMissing says why
	// live AWS could not be read at all (no credentials, a fork).
	snap       *snapshot.Snapshot
	awsMissing *model.Read
	// sourceSubjects are the sources that are not files (SQL tables,
	// registries), with the content the attestation digests.
	sourceSubjects []attest.File
}

// phase runs fn and records it in the trace; slow phases report progress.
func (r *runner) phase(name string, fn func(counts map[string]int) error) error {
	start := time.Now()
	counts := map[string]int{}
	err := fn(counts)
	d := time.Since(start)
	r.result.Trace = append(r.result.Trace, checks.Phase{Name: name, Start: start, Duration: d, Counts: counts})
	if d > time.Second && !r.opts.Quiet {
		fmt.Fprintf(r.stderr, "driftgate: %s took %s\n", name, d.Round(time.Millisecond))
	}
	return err
}

// rel reports paths relative to the repository root, with forward slashes,
// as code scanning expects; a file outside the repository keeps its
// absolute path (and findings placed there are moved by placeOutside).
func (r *runner) rel(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	if rel, err := filepath.Rel(r.root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}

// repositoryRoot is where SARIF paths start: $GITHUB_WORKSPACE in Actions,
// else the git top level, else the working directory.
func repositoryRoot(wd string) string {
	if ws := os.Getenv("GITHUB_WORKSPACE"); ws != "" {
		if abs, err := filepath.Abs(ws); err == nil {
			return abs
		}
	}
	cmd := exec.Command("git", "rev-parse", "--show-toplevel")
	cmd.Dir = wd
	if out, err := cmd.Output(); err == nil {
		if top := strings.TrimSpace(string(out)); top != "" {
			if resolved, err := filepath.EvalSymlinks(top); err == nil {
				top = resolved
			}
			return top
		}
	}
	return wd
}

// placeOutside moves findings whose only location is a file outside the
// repository (a plan in $RUNNER_TEMP) to where code scanning can show them:
// the resource's .tf line when known, else the config, naming the outside
// file in the message.
func (r *runner) placeOutside() {
	inside := func(l model.Location) bool { return l.File != "" && !filepath.IsAbs(filepath.FromSlash(l.File)) }
	for i := range r.result.Findings {
		f := &r.result.Findings[i]
		if f.Location.File == "" || inside(f.Location) {
			continue
		}
		outside := f.Location.File
		switch loc, ok := r.world.Locations[f.Subject]; {
		case ok && inside(loc):
			f.Location = loc
		case inside(r.world.Anchor):
			f.Location = r.world.Anchor
		default:
			f.Location = model.Location{File: config.DefaultFile}
		}
		f.Message += " (reported in " + outside + ", outside the repository)"
	}
}

// newRunner starts a run with an empty but whole world, so that every
// phase can run on it in any command.
func newRunner(opts *Options) (*runner, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("finding the working directory: %w", err)
	}
	wd, _ = filepath.EvalSymlinks(wd)
	r := &runner{opts: opts, stderr: opts.stderr(), root: repositoryRoot(wd), result: &checks.Result{Version: opts.Version},
		world: &model.World{Configured: map[string]bool{}, Locations: map[string]model.Location{}}}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	if opts.Attestation != "" {
		r.inputDigests = &earlyDigests{pending: map[string]chan map[string]string{}}
	}
	return r, nil
}

func (r *runner) run() error {
	if err := r.phase("config", r.loadConfig); err != nil {
		return err
	}
	if r.opts.History == "" {
		r.opts.History = r.cfg.HistoryURL()
	}
	r.opts.HistoryScope = cmp.Or(r.opts.HistoryScope, r.cfg.History.Scope)
	if r.opts.FailOnNew && r.opts.History == "" {
		return errors.New("--fail-on-new needs a run history to tell new findings from old: give --history sqlite:PATH or postgres://…, or history.url in the config")
	}
	r.tellInputBytes()
	// A sweep, or a snapshot file, needs nothing from the plans: it is read
	// now, beside them. A PR-mode read starts now too, and reads each
	// declared alarm as the plans' decoder reaches its name.
	if file := r.liveFile(); file == LiveAWS {
		if !r.opts.Sweep {
			r.pending = aws.NewNameList()
			// A shard reads only its own alarms, which are known once its
			// tenants are: its names come all at once, after the plans.
			sh, err := parseShard(r.opts.Shard)
			r.streamNames = err == nil && sh.count <= 1
		}
		r.early = make(chan liveRead, 1)
		go func() { r.early <- r.fetchAWS(nil) }()
	} else if file != "" && file != LiveAWS {
		r.earlySnapshot = make(chan snapshotLoad, 1)
		r.inputDigests.start(r.rel(file), file, "live") // hashed while it is decoded, like a plan
		go func() { r.earlySnapshot <- loadSnapshot(file, r.rel(file)) }()
	}
	if err := r.phase("plans", r.loadPlans); err != nil {
		return err
	}
	if err := r.phase("templates", r.loadTemplates); err != nil {
		return err
	}
	sh, err := parseShard(r.opts.Shard)
	if err != nil {
		return err
	}
	sh.declared(r.world)
	if sh.count > 1 {
		r.result.Shard = sh.String()
	}
	if r.pending != nil {
		r.pending.Close(r.declaredNames()) // every name is known: the read's timeout starts
	}
	r.shard = &sh
	if err := r.phase("route tests", r.loadRouteTests); err != nil {
		return err
	}
	if err := r.phase("slos", r.loadSLOs); err != nil {
		return err
	}
	if err := r.phase("live", r.loadLive); err != nil {
		return err
	}
	if err := r.phase("sources", r.loadSources); err != nil {
		return err
	}
	if len(r.world.Plans) == 0 && r.states == 0 && !r.templatesRead && r.world.Live == nil && !r.liveAsked && len(r.world.SLOs) == 0 && len(r.cfg.AlertRules) == 0 && len(r.cfg.SLORegistry) == 0 {
		return errors.New("nothing to check: give --plan FILE or --state FILE (from `terraform show -json`), --cfn TEMPLATE, --slo SPEC, " +
			"or --live (a snapshot, or aws) for an audit of the running estate; or inputs.* in the config")
	}
	sh.live(r.world.Live)
	sh.routeCases(r.world)
	// Findings about nothing in a file point at the config, else the first
	// plan, template or SLO spec: code scanning needs a file for each.
	switch {
	case r.cfg.File != "":
		r.world.Anchor = model.Location{File: r.rel(r.cfg.File)}
	case len(r.world.Plans) > 0:
		r.world.Anchor = model.Location{File: r.world.Plans[0].File}
	case len(r.world.Declared) > 0:
		r.world.Anchor = model.Location{File: r.world.Declared[0].Location.File}
	case len(r.world.SLOs) > 0:
		r.world.Anchor = model.Location{File: r.world.SLOs[0].Location.File}
	default:
		r.world.Anchor = model.Location{File: config.DefaultFile}
	}
	if r.opts.Baseline != "" {
		if err := r.phase("audit", r.loadBaseline); err != nil {
			return err
		}
	}
	if r.opts.Attestation != "" {
		// The inputs' digests not yet started are taken beside the checks,
		// which only read these files. The alert checksums wait for the
		// attestation: taken beside the checks they raised the run's peak
		// memory by a tenth, for no gain in time.
		for _, f := range r.inputSubjects() {
			r.inputDigests.start(f.Path, f.Path, f.Role)
		}
	}
	settings := r.cfg.Settings()
	settings.Now = time.Now()
	r.result.Locked = settings.Locked
	for _, c := range checks.All {
		if len(r.opts.Only) > 0 && !slices.Contains(r.opts.Only, c.ID) {
			settings.Disabled[c.ID] = true // a run of some checks only (test-routes)
		}
		if !settings.Disabled[c.ID] {
			r.result.Checks = append(r.result.Checks, c)
		}
	}
	_ = r.phase("checks", func(counts map[string]int) error {
		r.result.Findings, r.result.NotJudged = checks.Run(r.world, settings, checks.All)
		r.noteTemplateChanges()
		counts["checks"] = len(r.result.Checks)
		counts["findings"] = len(r.result.Findings)
		return nil
	})
	r.placeOutside()
	if err := r.phase("remedies", r.remedies); err != nil {
		return err
	}
	r.result.World = r.world
	r.result.Reads = r.world.FeedReads()
	r.result.Inconclusive = checks.InconclusiveReasons(r.world)
	if r.opts.History != "" {
		_ = r.phase("history", func(counts map[string]int) error { return r.recordHistory(settings, counts) })
	}
	if err := r.phase("reports", r.writeReports); err != nil {
		return err
	}
	if r.opts.Attestation == "" {
		return nil
	}
	return r.phase("attestation", r.writeAttestation)
}

// recordHistory records the run; a history that cannot be written makes the
// run inconclusive and says why, it is never silently dropped.
func (r *runner) recordHistory(settings *checks.Settings, counts map[string]int) error {
	fail := func(err error) error {
		msg := report.OneLine(err.Error())
		r.result.History = &checks.History{Error: msg}
		r.result.Inconclusive = append(r.result.Inconclusive, "the run history could not be recorded: "+msg)
		return nil
	}
	ctx := context.Background()
	store, err := history.Open(ctx, r.opts.History)
	if err != nil {
		return fail(err)
	}
	defer store.Close()
	scope := HistoryScope(r.opts.HistoryScope, r.opts.Ref)
	if r.result.Shard != "" {
		scope += " shard " + r.result.Shard
	}
	ran := map[string]bool{}
	for _, c := range r.result.Checks {
		ran[c.ID] = true
	}
	for _, n := range r.result.NotJudged {
		ran[n.Check] = false
	}
	run := history.Run{Scope: scope, Base: r.opts.HistoryBase, Started: time.Now(), Commit: r.opts.Commit, Ref: r.opts.Ref, Event: r.opts.Event,
		Result: string(r.result.Status()), ResultOf: func(h *checks.History) string {
			// With --fail-on-new the result depends on which findings are new.
			r.result.History, r.result.FailOnNew = h, r.opts.FailOnNew
			return string(r.result.Status())
		}}
	h, err := store.Record(ctx, run, r.result.Findings, func(check, fingerprint string) bool {
		return ran[check] && !settings.Suppressed(fingerprint)
	})
	if err != nil {
		return fail(err)
	}
	r.result.History = h
	r.result.FailOnNew = r.opts.FailOnNew
	counts["resolved"] = len(h.Resolved)
	return nil
}

func (r *runner) loadConfig(counts map[string]int) error {
	path := r.opts.Config
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
	if r.opts.FailOn != "" {
		failOn = r.opts.FailOn
	}
	if failOn == "" {
		failOn = "error"
	}
	sev, err := checks.ParseSeverity(failOn)
	if err != nil {
		return fmt.Errorf("--fail-on: %w", err)
	}
	r.result.FailOn = sev
	r.world.Tenants = r.cfg.ModelTenants()
	for _, t := range r.world.Tenants {
		r.world.Configured[t.ID] = true
	}
	counts["tenants"] = len(r.cfg.Tenants)
	return nil
}

// terraformFiles are the plans and states to read: the flags', else the
// config's.
func (r *runner) terraformFiles() (plans, states []string) {
	plans = []string(r.opts.Plans)
	if len(plans) == 0 {
		for _, p := range r.cfg.Inputs.Plans {
			plans = append(plans, r.cfg.Resolve(p))
		}
	}
	states = []string(r.opts.States)
	if len(states) == 0 {
		for _, p := range r.cfg.Inputs.States {
			states = append(states, r.cfg.Resolve(p))
		}
	}
	return plans, states
}

// tellInputBytes gives Options.InputBytes the size of the files the run
// decodes; one it cannot stat counts nothing (reading it reports why).
func (r *runner) tellInputBytes() {
	if r.opts.InputBytes == nil {
		return
	}
	plans, states := r.terraformFiles()
	files := slices.Concat(plans, states)
	if file := r.liveFile(); file != "" && file != LiveAWS {
		files = append(files, file)
	}
	var total int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
	}
	r.opts.InputBytes(total)
}

func (r *runner) loadPlans(counts map[string]int) error {
	plans, states := r.terraformFiles()
	tfDir := r.opts.TFDir
	if tfDir == "" && r.cfg.Inputs.TerraformDir != "" {
		tfDir = r.cfg.Resolve(r.cfg.Inputs.TerraformDir)
	}
	var errs []error
	inputs := make([]struct{ file, kind string }, 0, len(plans)+len(states))
	for _, f := range plans {
		inputs = append(inputs, struct{ file, kind string }{f, "plan"})
	}
	for _, f := range states {
		inputs = append(inputs, struct{ file, kind string }{f, "state"})
	}
	for _, in := range inputs {
		r.inputDigests.start(r.rel(in.file), in.file, in.kind) // hashed while it is decoded
		load := terraform.Load
		if in.kind == "state" {
			load = terraform.LoadState
		}
		opts := terraform.Options{SourceDir: tfDir, Rel: r.rel}
		if r.streamNames {
			opts.AlarmName = func(name string) { r.pending.Add(name) }
		}
		loaded, err := load(in.file, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, w := range loaded.Warnings {
			fmt.Fprintf(r.stderr, "driftgate: warning: %s (findings point at the %s file instead)\n", report.OneLine(w.Error()), in.kind)
		}
		r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: in.kind, Path: loaded.Plan.File})
		for _, s := range loaded.Sources {
			r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "terraform-source", Path: s})
		}
		for _, a := range loaded.Alarms {
			r.cfg.Classify(a)
			if a.Prior != nil {
				r.cfg.Classify(a.Prior)
			}
		}
		if in.kind == "plan" {
			r.world.Plans = append(r.world.Plans, loaded.Plan)
		} else {
			r.states++
		}
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
		for addr, changes := range loaded.Planned {
			if r.world.Planned == nil {
				r.world.Planned = map[string][]model.AttributeChange{}
			}
			r.world.Planned[addr] = changes
		}
		if len(r.world.Locations) == 0 && loaded.Locations != nil {
			r.world.Locations = loaded.Locations // most runs read one plan
		} else {
			maps.Copy(r.world.Locations, loaded.Locations)
		}
		counts["alarms"] += len(loaded.Alarms)
		counts["drifts"] += len(loaded.Drifts)
	}
	counts["plans"] = len(r.world.Plans)
	counts["states"] = r.states
	if len(inputs) > 0 {
		// Read in full, even when it declares no alarm: nothing is missing then.
		r.world.Reads.Set(model.Read{Feed: model.FeedDeclared, State: model.ReadComplete})
	}
	return errors.Join(errs...)
}

// loadRouteTests reads the routing assertions.
func (r *runner) loadRouteTests(counts map[string]int) error {
	files, err := r.inputFiles(r.opts.RouteTests, "inputs.route_tests", r.cfg.Inputs.RouteTests)
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range files {
		cases, err := routetests.Load(f, r.rel(f))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		r.world.RouteCases = append(r.world.RouteCases, cases...)
		r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "route-tests", Path: r.rel(f)})
	}
	counts["cases"] = len(r.world.RouteCases)
	return errors.Join(errs...)
}

func (r *runner) loadSLOs(counts map[string]int) error {
	files, err := r.inputFiles(r.opts.SLOs, "inputs.slos", r.cfg.Inputs.SLOs)
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

// liveFile is where live state comes from: a snapshot path, LiveAWS, or "".
func (r *runner) liveFile() string {
	file := r.opts.Live
	if file == "" && r.cfg.Inputs.Live != "" {
		file = r.cfg.Inputs.Live
		if file != LiveAWS {
			file = r.cfg.Resolve(file)
		}
	}
	return file
}

func (r *runner) loadLive(counts map[string]int) error {
	file := r.liveFile()
	if file != "" {
		r.liveAsked = true
	}
	if file == "" {
		return nil // every live feed is derived as "no live state given"
	}
	var summaries map[string]model.SeriesSummary
	if file == LiveAWS {
		var lr liveRead
		if r.early != nil {
			lr = <-r.early // started before the plans were read
			counts["started_before_declared"] = 1
		} else {
			lr = r.fetchAWS(r.declaredNames())
		}
		if lr.notRead != nil {
			r.awsMissing = lr.notRead
			r.liveNotRead(lr.notRead.State, lr.notRead.Why)
			return nil
		}
		if lr.err != nil {
			return lr.err
		}
		for _, rd := range lr.reads {
			r.world.Reads.Set(rd)
		}
		maps.Copy(counts, lr.counts)
		file, summaries = "", lr.summaries
		r.world.Live = lr.s.TakeModel(r.rel(file))
	} else {
		var sl snapshotLoad
		if r.earlySnapshot != nil {
			sl = <-r.earlySnapshot // read beside the plans
		} else {
			sl = loadSnapshot(file, r.rel(file))
		}
		if sl.err != nil {
			return sl.err
		}
		r.snap, r.world.Live = sl.s, sl.live
	}
	if ev := r.world.Live.Evidence; ev != nil && summaries != nil {
		ev.Summaries = summaries // the series a live read summarised as it read them
	}
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

// snapshotLoad is a live snapshot file read and mapped into the model.
type snapshotLoad struct {
	s    *snapshot.Snapshot // kept for its SQL and registry sources
	live *model.Live
	err  error
}

// loadSnapshot reads a snapshot file and maps it; its alarms and series
// are not needed once in the model, so they leave the snapshot.
func loadSnapshot(file, reported string) snapshotLoad {
	s, err := snapshot.Load(file, reported)
	if err != nil {
		return snapshotLoad{err: err}
	}
	return snapshotLoad{s: s, live: s.TakeModel(reported)}
}

// liveNotRead records every live feed as not read, and why.
func (r *runner) liveNotRead(state model.ReadState, why string) {
	for _, f := range []model.Feed{model.FeedAlarms, model.FeedAllAlarms, model.FeedStackDrift, model.FeedSNS, model.FeedPagerDuty, model.FeedMetrics, model.FeedHistory, model.FeedServiceSLOs} {
		r.world.Reads.Set(model.Read{Feed: f, State: state, Why: why})
	}
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

// remedies makes each finding's fix concrete (a patch, or why it is
// manual) and, with --fixes, writes the patch of them all.
func (r *runner) remedies(counts map[string]int) error {
	patch := remedy.Apply(r.result.Findings, func(file string) ([]byte, error) {
		if !filepath.IsAbs(file) {
			file = filepath.Join(r.root, file)
		}
		return os.ReadFile(file)
	})
	for _, f := range r.result.Findings {
		switch {
		case f.Remedy == nil:
		case f.Remedy.Patch != "":
			counts["patched"]++
		default:
			counts["manual"]++
		}
	}
	if r.opts.Fixes == "" {
		return nil
	}
	if err := WriteFile(r.opts.Fixes, func(w io.Writer) error { _, err := w.Write(patch); return err }); err != nil {
		return fmt.Errorf("writing %s: %w", r.opts.Fixes, err)
	}
	return nil
}

func (r *runner) writeReports(counts map[string]int) error {
	outputs := []struct {
		path   string
		format report.Format
	}{
		{r.opts.SARIF, report.SARIF{}},
		{r.opts.Markdown, report.Markdown{MaxBytes: r.opts.MarkdownMax, FullReport: r.opts.FullReport}},
		{r.opts.JSON, report.JSON{}},
	}
	var errs []error
	for _, o := range outputs {
		if o.path == "" {
			continue
		}
		if err := WriteFile(o.path, func(w io.Writer) error { return o.format.Write(w, r.result) }); err != nil {
			errs = append(errs, fmt.Errorf("writing %s: %w", o.path, err))
			continue
		}
		counts["files"]++
	}
	return errors.Join(errs...)
}

// WriteFile writes through a temporary file and renames it, so a failed
// write never leaves a truncated report behind.
func WriteFile(path string, write func(io.Writer) error) error {
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
