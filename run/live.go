package run

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/driftgate/driftgate/config"
	"github.com/driftgate/driftgate/live/aws"
	"github.com/driftgate/driftgate/live/pagerduty"
	"github.com/driftgate/driftgate/live/snapshot"
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/replay"
	"github.com/driftgate/driftgate/sources/alertrules"
)

// pagerDutyNotRead says why --live aws leaves PagerDuty (and the SNS
// subscriptions that lead to it) out.
const pagerDutyNotRead = "no PagerDuty token (PAGERDUTY_TOKEN or the pagerduty-token input)"

// awsOptions derives what to read from the config: its accounts and
// regions, else the ambient credentials in $AWS_REGION.
func awsOptions(cfg *config.Config, names []string, sweep bool, version string) (aws.Options, error) {
	opts := aws.Options{Names: names, Sweep: sweep, Tags: cfg.Conventions.TenantTag != "", Stacks: cfg.AWS.Stacks, Version: version,
		ServiceSLOs: cfg.AWS.ApplicationSignals}
	opts.MaxAttempts = cfg.AWS.MaxAttempts
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
// declare, with --sweep every alarm. With stream, metric series are not
// kept: each alarm's is summarised as its pages arrive (the summaries come
// back by series identity), so memory does not grow with the lookback.
func (r *runner) readAWS(names []string, counts map[string]int, stream bool) (*snapshot.Snapshot, model.Reads, map[string]model.SeriesSummary, error) {
	var reads model.Reads // what the caller records in the world, once it may
	opts, err := awsOptions(r.cfg, names, r.opts.Sweep, r.opts.Version)
	if err != nil {
		return nil, nil, nil, err
	}
	opts.Pending = r.pending // nil unless the names come as the plans are read
	var series *seriesSink
	if stream {
		series = &seriesSink{series: map[string]*replay.Series{}}
		opts.Series = series.add
	}
	opts.Evidence = !r.opts.NoEvidence && !r.cfg.Evidence.Off
	lookback := cmp.Or(r.opts.Lookback, r.cfg.Evidence.Lookback)
	if lookback != "" {
		if opts.Lookback, err = model.ParseWindow(lookback); err != nil {
			return nil, nil, nil, fmt.Errorf("--lookback: %w", err)
		}
	}
	if r.opts.Until != "" {
		until, err := time.Parse(time.RFC3339, r.opts.Until)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("--until %q: want an RFC 3339 time such as 2026-11-23T12:00:00Z", r.opts.Until)
		}
		opts.Clock = func() time.Time { return until }
	}
	if !opts.Evidence {
		for _, f := range []model.Feed{model.FeedMetrics, model.FeedHistory} {
			reads.Set(model.Read{Feed: f, State: model.ReadSkipped, Why: "evidence is off (--no-evidence or evidence.off)"})
		}
	}
	if !r.opts.Sweep {
		reads.Set(model.Read{Feed: model.FeedAllAlarms, State: model.ReadSkipped,
			Why: "PR mode reads only the alarms the plans declare; run with --sweep to find undeclared ones"})
	}
	if len(opts.Stacks) == 0 {
		reads.Set(model.Read{Feed: model.FeedStackDrift, State: model.ReadSkipped, Why: "no stacks configured (aws.stacks)"})
	}
	if !opts.ServiceSLOs {
		reads.Set(model.Read{Feed: model.FeedServiceSLOs, State: model.ReadSkipped, Why: "not asked for: set aws.application_signals in the config"})
	}
	token := r.opts.PagerDutyToken
	if token == "" {
		token = os.Getenv("PAGERDUTY_TOKEN")
	}
	opts.Subscriptions = token != "" // SNS subscriptions matter for routing to PagerDuty
	// PagerDuty and AWS are read side by side: each is paced by its own
	// rate limit, so the live phase takes the longer of the two, not the sum.
	opts.Progress = &aws.Progress{}
	pdProgress := &pagerduty.Progress{}
	stop := r.progress(opts, token != "", pdProgress)
	defer stop()
	var pd *snapshot.PagerDutyState
	done := make(chan struct{})
	go func() {
		defer close(done)
		if token != "" {
			pdOpts := pagerduty.Options{Token: token, URL: os.Getenv("PAGERDUTY_API_URL"), Progress: pdProgress}
			if t := r.cfg.PagerDuty.Timeout; t != "" {
				pdOpts.Timeout, _ = model.ParseWindow(t) // validated with the config
			}
			pd = pagerduty.Read(r.ctx, pdOpts)
		}
	}()
	s, err := aws.Read(r.ctx, opts)
	<-done
	if err != nil {
		return nil, nil, nil, err
	}
	evidenceCounts(s, counts)
	for _, r := range s.ApplicationSignals {
		counts["service_slos"] += len(r.SLOs)
	}
	if token == "" {
		for _, f := range []model.Feed{model.FeedPagerDuty, model.FeedSNS} {
			reads.Set(model.Read{Feed: f, State: model.ReadSkipped, Why: pagerDutyNotRead})
		}
		return s, reads, series.summaries(), nil
	}
	s.PagerDuty = pd
	counts["pagerduty_services"] = len(s.PagerDuty.Services)
	counts["regions"] = len(s.CloudWatch)
	return s, reads, series.summaries(), nil
}

// declaredNames are the alarm names a PR-mode read asks CloudWatch for.
func (r *runner) declaredNames() []string {
	var names []string
	for _, a := range r.world.Declared {
		if a.Name != "" && !a.IsUnknown("alarm_name") {
			names = append(names, a.Name)
		}
	}
	return names
}

// liveRead is one live AWS read's outcome, handed from where it ran.
type liveRead struct {
	s *snapshot.Snapshot
	// summaries are the streamed series, by identity.
	summaries map[string]model.SeriesSummary
	reads     model.Reads
	counts    map[string]int
	err       error
	notRead   *model.Read // set when nothing could be read: why, and whether that is inconclusive
}

// fetchAWS checks for credentials, then reads; it touches nothing of the
// world, so it may run while the plans load.
func (r *runner) fetchAWS(names []string) liveRead {
	if err := aws.FindCredentials(r.ctx, 10*time.Second); err != nil {
		if r.opts.Fork {
			return liveRead{notRead: &model.Read{State: model.ReadSkipped, Why: "a pull request from a fork gets no secrets, so live AWS state was not read"}}
		}
		return liveRead{notRead: &model.Read{State: model.ReadIncomplete, Why: "live AWS state was asked for but cannot be read: " + err.Error()}}
	}
	counts := map[string]int{}
	s, reads, summaries, err := r.readAWS(names, counts, true)
	return liveRead{s: s, reads: reads, counts: counts, summaries: summaries, err: err}
}

// progress prints a line on stderr every ProgressEvery while the live reads
// run (unless quiet): what was read, how fast, and when PagerDuty will be
// done at its pace. The returned func stops it.
func (r *runner) progress(opts aws.Options, pagerDuty bool, pd *pagerduty.Progress) func() {
	every := r.opts.ProgressEvery
	if every == 0 {
		every = 2 * time.Second
	}
	if r.opts.Quiet || every < 0 {
		return func() {}
	}
	regions := 0
	for _, t := range opts.Targets {
		regions += len(t.Regions)
	}
	start := time.Now()
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			p := opts.Progress
			elapsed := time.Since(start)
			line := fmt.Sprintf("driftgate: reading live state (%s): CloudWatch %d/%d region(s) done, %d page(s), %d alarm(s) (%.0f/s)",
				elapsed.Round(time.Second), p.Regions.Load(), regions, p.AlarmPages.Load(), p.Alarms.Load(), float64(p.Alarms.Load())/elapsed.Seconds())
			if opts.Evidence {
				line += fmt.Sprintf("; metric data %d call(s), %d point(s)", p.MetricCalls.Load(), p.MetricPoints.Load())
			}
			if pagerDuty {
				req, services := pd.Requests.Load(), pd.Services.Load()
				line += fmt.Sprintf("; PagerDuty %d request(s)", req)
				if services > 0 {
					// One request a service for its orchestration, at the reader's pace.
					left := max(0, services+5-req)
					eta := time.Duration(float64(left) / (float64(pagerduty.DefaultRequestsPerMinute) / 60) * float64(time.Second))
					line += fmt.Sprintf(" for %d service(s), ETA %s", services, eta.Round(time.Second))
				}
			}
			fmt.Fprintln(r.stderr, line)
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}

// evidenceCounts traces what the evidence read found: series with data,
// alarms without, datapoints, namespaces, tenants (by TenantId dimension),
// state changes.
func evidenceCounts(s *snapshot.Snapshot, counts map[string]int) {
	namespaces, tenants := map[string]bool{}, map[string]bool{}
	for _, r := range s.CloudWatch {
		for _, a := range r.MetricAlarms {
			for _, q := range a.Metrics {
				if q.MetricStat != nil {
					namespaces[q.MetricStat.Metric.Namespace] = true
					for _, d := range q.MetricStat.Metric.Dimensions {
						if d.Name == "TenantId" {
							tenants[d.Value] = true
						}
					}
				}
			}
			if a.Namespace != "" {
				namespaces[a.Namespace] = true
			}
		}
	}
	for _, e := range s.Evidence {
		for _, series := range e.Series {
			if series.Points() == 0 {
				counts["series_without_data"]++
			} else {
				counts["series"]++
			}
			counts["points"] += series.Points()
		}
		counts["state_changes"] += len(e.History)
		counts["active_metrics"] += len(e.ActiveMetrics)
	}
	if len(s.Evidence) > 0 {
		counts["namespaces"], counts["tenants"] = len(namespaces), len(tenants)
	}
}

// Snapshot records live state as `driftgate snapshot` does: every alarm of
// the configured accounts and regions, or with Plans only the alarms those
// plans declare. Incomplete regions are recorded as such in the snapshot.
func Snapshot(opts Options) (*snapshot.Snapshot, error) {
	opts.Sweep = len(opts.Plans) == 0
	opts.Quiet = true
	r, err := newRunner(&opts)
	if err != nil {
		return nil, err
	}
	defer r.cancel()
	if err := r.loadConfig(map[string]int{}); err != nil {
		return nil, err
	}
	if len(opts.Plans) > 0 {
		if err := r.loadPlans(map[string]int{}); err != nil {
			return nil, err
		}
	}
	s, _, _, err := r.readAWS(r.declaredNames(), map[string]int{}, false)
	if err != nil {
		return nil, err
	}
	r.recordSources(s)
	return s, nil
}

// recordSources adds the SLO registries and the SQL alert rule tables to a
// snapshot, so a check can replay the whole audit offline. A table whose
// DSN is not in the environment is left out; one that fails is recorded as
// incomplete, with why (never the DSN).
func (r *runner) recordSources(s *snapshot.Snapshot) {
	for _, src := range r.cfg.RegistrySpecs() {
		s.SLORegistry = append(s.SLORegistry, aws.ReadRegistry(context.Background(), registryTarget(src, r.cfg.AWS.MaxAttempts, r.cfg.AWS.Timeout)))
	}
	for _, src := range r.cfg.AlertRuleSpecs() {
		dsn := os.Getenv(src.DSNEnv)
		if dsn == "" {
			continue
		}
		t := snapshot.AlertRuleTable{Source: src.Name, Table: src.Table, Complete: true, Rules: []snapshot.AlertRuleRow{}}
		rules, err := alertrules.Read(context.Background(), src, dsn)
		if err != nil {
			t.Complete, t.Error = false, err.Error()
		} else {
			t.Rules = alertrules.Rows(rules)
		}
		s.AlertRules = append(s.AlertRules, t)
	}
}

// seriesSink summarises each alarm's datapoints as the reader hands them
// over (one goroutine a region, so it locks).
type seriesSink struct {
	mu     sync.Mutex
	series map[string]*replay.Series
}

func (k *seriesSink) add(account, region string, a *snapshot.MetricAlarm, start, end time.Time, ts []time.Time, vs []float64) {
	if a == nil {
		return
	}
	id := snapshot.SeriesID(account, region, a.AlarmName)
	k.mu.Lock()
	defer k.mu.Unlock()
	s := k.series[id]
	if s == nil {
		m := snapshot.ModelOfMetricAlarm(a)
		m.Account, m.Region = account, region
		s = replay.NewSeries(m, start, end)
		k.series[id] = s
	}
	for i := range min(len(ts), len(vs)) {
		s.Add(model.PointAt(ts[i], vs[i]))
	}
}

// summaries ends every series; nil when nothing was streamed.
func (k *seriesSink) summaries() map[string]model.SeriesSummary {
	if k == nil {
		return nil
	}
	out := make(map[string]model.SeriesSummary, len(k.series))
	for id, s := range k.series {
		out[id] = s.Summary()
	}
	return out
}
