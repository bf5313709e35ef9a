// Command bench measures `driftgate check` on generated orgs of several sizes
// against a baseline measured in the same run (decoding the same plan with
// terraform-json), and prints wall time, CPU, peak RSS, their ratios and how
// CPU grows with the plan; then the other parts on one org. Machines are
// noisy, so only the ratios are meant to be compared across runs.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/driftgate/driftgate/internal/orggen"
	"github.com/driftgate/driftgate/internal/sandbox"
	"github.com/driftgate/driftgate/live/aws"
	"github.com/driftgate/driftgate/live/pagerduty"
	"github.com/driftgate/driftgate/live/snapshot"
	"github.com/driftgate/driftgate/model"
)

type sample struct {
	wall   time.Duration
	cpu    time.Duration // user + system
	rss    int64         // KiB
	checks time.Duration // the checks phase, from the JSON report's trace
}

// checksPhase reads the duration of the checks phase from a JSON report.
func checksPhase(report string) time.Duration {
	data, err := os.ReadFile(report)
	if err != nil {
		fail(err)
	}
	var doc struct {
		Trace []struct {
			Name       string  `json:"name"`
			DurationMS float64 `json:"duration_ms"`
		} `json:"trace"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		fail(fmt.Errorf("reading %s: %w", report, err))
	}
	for _, p := range doc.Trace {
		if p.Name == "checks" {
			return time.Duration(p.DurationMS * float64(time.Millisecond))
		}
	}
	fail(fmt.Errorf("%s has no checks phase", report))
	return 0
}

func measure(name string, args ...string) (sample, error) {
	resetHighWater()
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		// driftgate exits 1 on blocking findings: that is a result, not a failure.
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			return sample{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rss: ru.Maxrss}, nil
}

func median(s []sample) sample {
	walls := make([]time.Duration, len(s))
	cpus := make([]time.Duration, len(s))
	checks := make([]time.Duration, len(s))
	rss := make([]int64, len(s))
	for i := range s {
		walls[i], cpus[i], rss[i], checks[i] = s[i].wall, s[i].cpu, s[i].rss, s[i].checks
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	slices.Sort(rss)
	slices.Sort(checks)
	return sample{wall: walls[len(s)/2], cpu: cpus[len(s)/2], rss: rss[len(s)/2], checks: checks[len(s)/2]}
}

func build(dir, pkg, out string) string {
	bin := filepath.Join(dir, out)
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fail(fmt.Errorf("building %s: %w", pkg, err))
	}
	return bin
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

func main() {
	sizes := flag.String("sizes", "100,500,2000", "tenants of the orgs check is compared with the decode at, each in its own org")
	tenants := flag.Int("tenants", 500, "tenants in the synthetic org of the other parts (alone, it is also the one size compared)")
	evidencePeriod := flag.Duration("evidence-period", time.Minute, "period of the recorded series in the evidence bench")
	runs := flag.Int("runs", 5, "runs of each program (the median is reported)")
	historyRuns := flag.Int("history-runs", 365, "past runs in the history bench")
	historyFindings := flag.Int("history-findings", 9000, "findings a run in the history bench")
	only := flag.String("only", "", "run one part only: check (against the decode), history, audit, live (reads from the sandbox) or evidence")
	flag.Parse()
	compared, err := parseSizes(*sizes)
	if err != nil {
		fail(err)
	}
	if flagSet("tenants") && !flagSet("sizes") {
		compared = []int{*tenants} // -tenants alone: that one org is compared
	}

	dir, err := os.MkdirTemp("", "driftgate-bench-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	generator := build(dir, "./internal/cmd/orggen", "orggen")
	driftgate := build(dir, "./cmd/driftgate", "driftgate")
	baseline := build(dir, "./internal/cmd/tfjsondecode", "tfjsondecode")
	orgs := map[int]string{}
	alarms := map[int]int{}
	org := func(n int) string {
		if orgs[n] == "" {
			orgs[n], alarms[n] = generate(dir, generator, n)
		}
		return orgs[n]
	}

	switch *only {
	case "audit":
		auditBench(org(*tenants), driftgate)
		return
	case "evidence":
		evidenceBench(org(*tenants), driftgate, *evidencePeriod)
		return
	case "live":
		liveBench(org(*tenants), driftgate, alarms[*tenants])
		return
	case "history":
		o := org(*tenants)
		historyBench(o, *historyFindings, *historyRuns, checkWall(o, driftgate))
		return
	}
	var results []comparison
	for _, n := range compared {
		results = append(results, compare(org(n), n, alarms[n], driftgate, baseline, *runs))
	}
	growth(results)
	if *only == "check" {
		return
	}
	o := org(*tenants)
	var wall time.Duration
	for _, r := range results {
		if r.tenants == *tenants {
			wall = r.check.wall
		}
	}
	if wall == 0 {
		wall = checkWall(o, driftgate)
	}
	historyBench(o, *historyFindings, *historyRuns, wall)
	actionBench(o, driftgate)
	auditBench(o, driftgate)
	liveBench(o, driftgate, alarms[*tenants])
	evidenceBench(o, driftgate, *evidencePeriod)
	pagerDutyBench(*tenants)
}

// checkWall is the wall time of one check of an org, the history bench's
// yardstick when no comparison measured it.
func checkWall(org, driftgate string) time.Duration {
	c, err := measure(driftgate, "check", "--quiet", "--config", filepath.Join(org, ".driftgate.yml"), "--json", filepath.Join(org, "report.json"))
	if err != nil {
		fail(err)
	}
	return c.wall
}

// flagSet reports whether a flag was given on the command line.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// parseSizes reads a comma-separated list of tenant counts.
func parseSizes(list string) ([]int, error) {
	var out []int
	for field := range strings.SplitSeq(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-sizes %q: %q is not a number of tenants", list, field)
		}
		out = append(out, n)
	}
	return out, nil
}

// generate writes a synthetic org of n tenants into its own directory, and
// gives its number of alarms. The org is generated in a child process, so
// the generator's heap never joins this one (measure gives back what this
// process no longer holds before each run it measures).
func generate(dir, generator string, n int) (string, int) {
	out := filepath.Join(dir, fmt.Sprintf("org-%d", n))
	gen := exec.Command(generator, "-scenario", "synthetic", "-tenants", fmt.Sprint(n), "-out", out)
	gen.Stdout, gen.Stderr = os.Stderr, os.Stderr
	if err := gen.Run(); err != nil {
		fail(fmt.Errorf("generating the org: %w", err))
	}
	// The same config without its slos: section, to measure what SLO
	// evaluation adds to a check.
	cfgText, err := os.ReadFile(filepath.Join(out, ".driftgate.yml"))
	if err != nil {
		fail(err)
	}
	before, _, _ := strings.Cut(string(cfgText), "\nslos:\n")
	if err := os.WriteFile(filepath.Join(out, "no-slo.yml"), []byte(before+"\n"), 0o644); err != nil {
		fail(err)
	}
	return out, len(orggen.Synthetic(n).Alarms())
}

// comparison is check against the decode on one org, medians of each.
type comparison struct {
	tenants                         int
	planMB                          float64
	base, check, noSLO, attestation sample
}

// compare runs the decode baseline, check, check without SLOs and check
// with --attestation on one org in turn, runs times, and prints their
// medians and ratios.
func compare(dir string, tenants, alarms int, driftgate, baseline string, runs int) comparison {
	plan := filepath.Join(dir, "plan.json")
	info, err := os.Stat(plan)
	if err != nil {
		fail(err)
	}
	r := comparison{tenants: tenants, planMB: float64(info.Size()) / 1e6}
	fmt.Printf("synthetic org: %d tenants, %d alarms, plan %.1f MB, %d runs each (median)\n",
		tenants, alarms, r.planMB, runs)
	cfg, noSLO := filepath.Join(dir, ".driftgate.yml"), filepath.Join(dir, "no-slo.yml")
	report, sarif := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.sarif")
	var base, check, plain, attested []sample
	for range runs {
		b, err := measure(baseline, plan)
		if err != nil {
			fail(err)
		}
		c, err := measure(driftgate, "check", "--quiet", "--config", cfg, "--json", report, "--sarif", sarif)
		if err != nil {
			fail(err)
		}
		c.checks = checksPhase(report)
		p, err := measure(driftgate, "check", "--quiet", "--config", noSLO, "--json", report, "--sarif", sarif)
		if err != nil {
			fail(err)
		}
		p.checks = checksPhase(report)
		a, err := measure(driftgate, "check", "--quiet", "--config", cfg, "--json", report, "--sarif", sarif,
			"--attestation", filepath.Join(dir, "att.json"))
		if err != nil {
			fail(err)
		}
		base, check, plain, attested = append(base, b), append(check, c), append(plain, p), append(attested, a)
	}
	r.base, r.check, r.noSLO, r.attestation = median(base), median(check), median(plain), median(attested)
	mb, mc, mp, ma := r.base, r.check, r.noSLO, r.attestation
	fmt.Printf("%-38s %10s %10s %12s\n", "", "wall", "CPU", "peak RSS")
	for _, row := range []struct {
		name string
		s    sample
	}{{"baseline: terraform-json decode", mb}, {"driftgate check (+ JSON, SARIF)", mc}, {"driftgate check without SLOs", mp}, {"driftgate check --attestation", ma}} {
		fmt.Printf("%-38s %10s %10s %9.0f MB\n", row.name, row.s.wall.Round(time.Millisecond), row.s.cpu.Round(time.Millisecond), float64(row.s.rss)/1024)
	}
	fmt.Printf("ratio check / baseline: wall %.2f, CPU %.2f, peak RSS %.2f (targets at 2,000 tenants: CPU <= 0.25, RSS <= 0.20)\n",
		float64(mc.wall)/float64(mb.wall), float64(mc.cpu)/float64(mb.cpu), float64(mc.rss)/float64(mb.rss))
	// The checks phase is timed in-process, so its difference is far less
	// noisy than the difference of two whole-process timings.
	fmt.Printf("SLO evaluation adds %+.1f%% to check's time (checks phase %s with SLOs, %s without; whole process %+.1f%%, noisy; target <= 20%%)\n",
		float64(mc.checks-mp.checks)/float64(mp.wall)*100, mc.checks.Round(time.Millisecond), mp.checks.Round(time.Millisecond),
		(float64(mc.wall)/float64(mp.wall)-1)*100)
	fmt.Printf("--attestation adds %+.1f%% wall, %+.1f%% CPU and %+.1f%% peak RSS to the same check (targets <= +20%% CPU, <= +10%% RSS)\n\n",
		(float64(ma.wall)/float64(mc.wall)-1)*100, (float64(ma.cpu)/float64(mc.cpu)-1)*100, (float64(ma.rss)/float64(mc.rss)-1)*100)
	return r
}

// growth prints the comparisons side by side and, with more than one size,
// how check's CPU and the decode's grow with the plan: the exponent of a
// least-squares fit of log CPU on log plan size.
func growth(results []comparison) {
	if len(results) < 2 {
		return
	}
	fmt.Printf("%8s %9s %11s %11s %13s %13s\n", "tenants", "plan MB", "CPU ratio", "RSS ratio", "attest. CPU", "attest. RSS")
	for _, r := range results {
		fmt.Printf("%8d %9.1f %11.2f %11.2f %+12.1f%% %+12.1f%%\n", r.tenants, r.planMB,
			float64(r.check.cpu)/float64(r.base.cpu), float64(r.check.rss)/float64(r.base.rss),
			(float64(r.attestation.cpu)/float64(r.check.cpu)-1)*100, (float64(r.attestation.rss)/float64(r.check.rss)-1)*100)
	}
	exponent := func(cpu func(comparison) time.Duration) float64 {
		var sx, sy, sxx, sxy float64
		for _, r := range results {
			x, y := math.Log(r.planMB), math.Log(cpu(r).Seconds())
			sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
		}
		n := float64(len(results))
		return (n*sxy - sx*sy) / (n*sxx - sx*sx)
	}
	fmt.Printf("CPU grows as plan size^%.2f for check, ^%.2f for the decode\n\n",
		exponent(func(r comparison) time.Duration { return r.check.cpu }), exponent(func(r comparison) time.Duration { return r.base.cpu }))
}

// checkAgainst runs driftgate check --live aws against the sandbox (closed
// afterwards) with the org's config and the given flags; a later --config
// wins. It returns the wall time and the peak RSS in KiB.
func checkAgainst(sb *sandbox.Server, dir, driftgate, region, what string, flags ...string) (time.Duration, int64) {
	none := filepath.Join(dir, "none")
	env := append(os.Environ(), "AWS_ENDPOINT_URL="+sb.URL, "AWS_REGION="+region,
		"AWS_ACCESS_KEY_ID=AKIASANDBOX", "AWS_SECRET_ACCESS_KEY=sandbox", "AWS_SESSION_TOKEN=", "AWS_PROFILE=",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE="+none, "AWS_SHARED_CREDENTIALS_FILE="+none)
	args := append([]string{"check", "--quiet", "--config", filepath.Join(dir, ".driftgate.yml"), "--live", "aws"}, flags...)
	cmd := exec.Command(driftgate, args...)
	cmd.Env, cmd.Stderr = env, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fail(fmt.Errorf("%s: %w", what, err))
	}
	hwm := watchHighWater(cmd.Process.Pid)
	err := cmd.Wait()
	wall := time.Since(start)
	sb.Close()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		fail(fmt.Errorf("%s: %w", what, err))
	}
	// The sandbox lives in this process: the child's rusage peak counts this
	// process's memory at the fork, so its own high-water mark is read instead.
	if kb := hwm(); kb > 0 {
		return wall, kb
	}
	return wall, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
}

// resetHighWater gives the memory this process no longer uses back to the
// system and sets its peak resident set back to what it holds now. Linux
// starts a child's peak RSS (rusage's Maxrss) at its parent's peak when it
// forks, so without this a child measured after the bench held a generated
// org, or filled a history, reports the bench's memory as its own.
func resetHighWater() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // Linux only; elsewhere the figures keep the parent's peak
}

// watchHighWater polls a process's VmHWM (its peak resident set since its
// exec, in KiB) until it exits; the returned func gives the last reading.
// Polled every 20 ms, it can miss only growth in the process's last 20 ms.
func watchHighWater(pid int) func() int64 {
	var mu sync.Mutex
	var last int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			if err != nil {
				return
			}
			for _, line := range strings.Split(string(data), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
					if kb > 0 {
						mu.Lock()
						last = max(last, kb)
						mu.Unlock()
					}
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() int64 {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return last
	}
}

// evidenceBench records a series for every metric alarm of the org at the
// given period, serves it from the sandbox, and reads it back with --live aws
// at lookbacks of 6h and 24h: the GetMetricData calls against the floor their
// per-call limits (500 queries, 100,800 datapoints) and the default rate set,
// and the peak RSS at each lookback.
func evidenceBench(dir, driftgate string, period time.Duration) {
	s, err := snapshot.Load(filepath.Join(dir, "live.json"), "live.json")
	if err != nil {
		fail(err)
	}
	until := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	region := &s.CloudWatch[0]
	// Every alarm evaluates its metrics at the bench's period, as
	// CloudWatch then returns them.
	for i := range region.MetricAlarms {
		for j := range region.MetricAlarms[i].Metrics {
			if ms := region.MetricAlarms[i].Metrics[j].MetricStat; ms != nil {
				ms.Period = int(period.Seconds())
			}
		}
	}
	queries := 0
	fmt.Printf("\nevidence read from the sandbox (20 ms a call, GetMetricData limited to %g/s), series at %s periods:\n",
		aws.DefaultRates["GetMetricData"], period)
	for _, lookback := range []time.Duration{6 * time.Hour, 24 * time.Hour} {
		ev := snapshot.EvidenceRegion{Account: region.Account, Region: region.Region, Complete: true, Start: until.Add(-lookback), End: until,
			Series: map[string]snapshot.MetricDataResult{}}
		points := 0
		queries = 0
		for _, a := range region.MetricAlarms {
			var r snapshot.MetricDataResult
			for t := ev.Start; t.Before(until); t = t.Add(period) {
				r.Timestamps = append(r.Timestamps, t)
				r.Values = append(r.Values, 0.1)
			}
			points += len(r.Values)
			queries += max(len(a.Metrics), 1)
			ev.Series[a.AlarmName] = r
		}
		s.Evidence = []snapshot.EvidenceRegion{ev}
		sb := sandbox.Start(s)
		sb.Faults.Latency = 20 * time.Millisecond
		wall, rss := checkAgainst(sb, dir, driftgate, region.Region, "evidence "+model.FormatWindow(lookback),
			"--sweep", "--lookback", model.FormatWindow(lookback), "--until", until.Format(time.RFC3339))
		calls := sb.Calls()["GetMetricData"]
		minCalls := max((queries+499)/500, (points+100799)/100800)
		floor := time.Duration(float64(minCalls-1) / aws.DefaultRates["GetMetricData"] * float64(time.Second))
		fmt.Printf("lookback %-4s %d queries, %d points: %d GetMetricData calls (minimum %d), whole run %s, peak RSS %.0f MB\n",
			model.FormatWindow(lookback), queries, points, calls, minCalls, wall.Round(time.Millisecond), float64(rss)/1024)
		fmt.Printf("              calls / minimum %.2fx; GetMetricData rate floor %s\n", float64(calls)/float64(minCalls), floor.Round(time.Millisecond))
	}
}

// pagerDutyBench reads the org's PagerDuty routing back from the sandbox at
// the reader's default pace, and compares the wall time with the floor that
// pace sets for the calls made: PagerDuty has no bulk read of service
// orchestrations, so there is one call per service.
func pagerDutyBench(tenants int) {
	state := orggen.PagerDutyFor(orggen.Synthetic(tenants))
	srv := sandbox.StartPagerDuty(state)
	defer srv.Close()
	srv.PageSize = 100 // PagerDuty's largest page
	start := time.Now()
	got := pagerduty.Read(context.Background(), pagerduty.Options{Token: srv.Token, URL: srv.URL, Timeout: 10 * time.Minute})
	wall := time.Since(start)
	if !got.Complete {
		fail(fmt.Errorf("PagerDuty read: %s", got.Error))
	}
	calls, serviceCalls := 0, 0
	for path, n := range srv.Calls() {
		calls += n
		if strings.HasPrefix(path, "/event_orchestrations/services/") {
			serviceCalls += n
		}
	}
	perMinute := pagerduty.DefaultRequestsPerMinute
	floor := time.Duration(float64(calls-1) / float64(perMinute) * float64(time.Minute))
	fmt.Printf("\nPagerDuty read from the sandbox (%d requests/min): %d services, %d calls (%d service orchestrations), %s wall, pace floor %s (%.2fx)\n",
		perMinute, len(got.Services), calls, serviceCalls, wall.Round(time.Millisecond), floor.Round(time.Millisecond), float64(wall)/float64(floor))
}

// auditBench runs make demo-audit's check offline (snapshot, registry and
// rules recorded, baseline, signed attestation) against the demo's check in
// the same run; the audit's target is under 0.5 s.
func auditBench(dir, driftgate string) {
	key := filepath.Join(dir, "audit-key.pem")
	gen := exec.Command("go", "run", "./internal/cmd/keygen", key)
	gen.Stderr = os.Stderr
	if err := gen.Run(); err != nil {
		fail(fmt.Errorf("keygen: %w", err))
	}
	var audits, demos []sample
	for range 5 {
		a, err := measure(driftgate, "check", "--quiet", "--config", "fixtures/audit/.driftgate.yml", "--baseline", "fixtures/audit/baseline.intoto.json",
			"--json", filepath.Join(dir, "audit.json"), "--attestation", filepath.Join(dir, "audit.intoto.json"), "--signing-key", key)
		if err != nil {
			fail(err)
		}
		d, err := measure(driftgate, "check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--json", filepath.Join(dir, "demo.json"))
		if err != nil {
			fail(err)
		}
		audits, demos = append(audits, a), append(demos, d)
	}
	a, d := median(audits), median(demos)
	fmt.Printf("\nmake demo-audit offline (median of 5): %s, peak RSS %.0f MB; %.2fx the demo's check (%s) in the same run (target < 0.5 s)\n",
		a.wall.Round(time.Millisecond), float64(a.rss)/1024, float64(a.wall)/float64(d.wall), d.wall.Round(time.Millisecond))
}

// actionBench runs `driftgate action` on the demo scenario as a runner
// would (no pull request, so no comment), timing the first line of output
// and the whole step.
func actionBench(dir, driftgate string) {
	event := filepath.Join(dir, "event.json")
	os.WriteFile(event, []byte(`{"schedule":"17 3 * * *"}`), 0o644)
	var firsts, totals []time.Duration
	for range 5 {
		out, summary := filepath.Join(dir, "gh-output"), filepath.Join(dir, "gh-summary")
		os.WriteFile(out, nil, 0o644)
		os.WriteFile(summary, nil, 0o644)
		cmd := exec.Command(driftgate, "action")
		cmd.Env = append(os.Environ(), "GITHUB_ACTIONS=true", "GITHUB_EVENT_NAME=schedule", "GITHUB_EVENT_PATH="+event,
			"GITHUB_REPOSITORY=acme/alerting", "GITHUB_OUTPUT="+out, "GITHUB_STEP_SUMMARY="+summary,
			"INPUT_CONFIG=fixtures/demo/.driftgate.yml", "INPUT_COMMENT_MODE=off",
			"INPUT_SARIF_FILE="+filepath.Join(dir, "a.sarif"), "INPUT_REPORT_FILE="+filepath.Join(dir, "a.json"),
			"INPUT_MARKDOWN_FILE="+filepath.Join(dir, "a.md"))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			fail(err)
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			fail(err)
		}
		buf := make([]byte, 1)
		if _, err := stdout.Read(buf); err != nil {
			fail(fmt.Errorf("driftgate action printed nothing: %w", err))
		}
		first := time.Since(start)
		io.Copy(io.Discard, stdout)
		err = cmd.Wait()
		if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
			fail(fmt.Errorf("driftgate action: %w", err))
		}
		firsts, totals = append(firsts, first), append(totals, time.Since(start))
	}
	slices.Sort(firsts)
	slices.Sort(totals)
	fmt.Printf("\ndriftgate action on the demo (binary already installed; median of 5): first output line %s, whole step %s\n",
		firsts[2].Round(time.Millisecond), totals[2].Round(time.Millisecond))
}

// liveBench reads the org's live state from the sandbox with 20 ms of
// latency per call, in sweep and in PR mode, and compares the calls made
// with the minimum and the wall time with the floor the rate limit sets.
// It runs last: the sandbox lives in this process and would inflate the
// peak RSS of later children.
func liveBench(dir, driftgate string, declared int) {
	s, err := snapshot.Load(filepath.Join(dir, "live.json"), "live.json")
	if err != nil {
		fail(err)
	}
	alarms := 0
	for _, r := range s.CloudWatch {
		alarms += len(r.MetricAlarms) + len(r.CompositeAlarms)
	}
	fmt.Printf("\nlive read from the sandbox (20 ms a call, DescribeAlarms limited to %g/s): %d live alarms\n", aws.DefaultRates["DescribeAlarms"], alarms)
	// The same config with tenants from tags: GetResources reads them in
	// bulk beside DescribeAlarms.
	cfgText, err := os.ReadFile(filepath.Join(dir, ".driftgate.yml"))
	if err != nil {
		fail(err)
	}
	tagged := filepath.Join(dir, "tagged.yml")
	if err := os.WriteFile(tagged, []byte(strings.Replace(string(cfgText), "conventions:\n", "conventions:\n  tenant_tag: Tenant\n", 1)), 0o644); err != nil {
		fail(err)
	}
	for _, mode := range []struct {
		name string
		args []string
		min  int
	}{
		{"sweep", []string{"--sweep"}, (alarms + 99) / 100},
		{"PR mode", nil, (declared + 99) / 100}, // one call per 100 declared names
		{"tags", []string{"--sweep", "--config", tagged}, (alarms + 99) / 100},
	} {
		sb := sandbox.Start(s)
		sb.Faults.Latency = 20 * time.Millisecond
		report := filepath.Join(dir, "live-report.json")
		wall, _ := checkAgainst(sb, dir, driftgate, s.CloudWatch[0].Region, "live "+mode.name, append([]string{"--no-evidence", "--json", report}, mode.args...)...)
		calls := sb.Calls()["DescribeAlarms"]
		floor := time.Duration(float64(calls-1) / aws.DefaultRates["DescribeAlarms"] * float64(time.Second))
		tags := ""
		if n := sb.Calls()["GetResources"]; n > 0 {
			tags = fmt.Sprintf(", %d GetResources calls alongside", n)
		}
		fmt.Printf("%-8s %3d DescribeAlarms calls (minimum %d)%s, %s wall, DescribeAlarms rate-limit floor %s (%.2fx)\n",
			mode.name, calls, mode.min, tags, wall.Round(time.Millisecond), floor.Round(time.Millisecond), float64(wall)/float64(floor))
		if mode.args == nil {
			// The PR-mode read starts with the plans and takes each name as
			// the decoder reaches it: what it saves is the plans' decoding,
			// which a read started after them would add to the floor.
			declaring, live := phaseTimes(report, "plans", "templates"), phaseTimes(report, "live")
			fmt.Printf("%-8s the read overlaps the plans: plans and templates %s, then the live phase waited %s more; wall %s against %s for plans then floor (%.2fx)\n",
				"", declaring.Round(time.Millisecond), live.Round(time.Millisecond), wall.Round(time.Millisecond),
				(declaring + floor).Round(time.Millisecond), float64(wall)/float64(declaring+floor))
		}
	}
}

// phaseTimes adds up the durations of the named phases in a JSON report's
// trace.
func phaseTimes(report string, names ...string) time.Duration {
	data, err := os.ReadFile(report)
	if err != nil {
		fail(err)
	}
	var doc struct {
		Trace []struct {
			Name       string  `json:"name"`
			DurationMS float64 `json:"duration_ms"`
		} `json:"trace"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		fail(fmt.Errorf("%s: %w", report, err))
	}
	var d time.Duration
	for _, p := range doc.Trace {
		if slices.Contains(names, p.Name) {
			d += time.Duration(p.DurationMS * float64(time.Millisecond))
		}
	}
	return d
}
