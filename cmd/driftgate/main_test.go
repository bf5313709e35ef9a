package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/internal/corpus"
	"github.com/driftgate/driftgate/internal/orggen"
	"github.com/driftgate/driftgate/run"
)

var update = flag.Bool("update", false, "rewrite golden files")

// repoRoot switches to the repository root so reported paths are the ones a
// user sees (fixtures/demo/...), and returns the old directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join("..", ".."))
	return wd
}

type cliResult struct {
	code           int
	stdout, stderr string
}

// writeFile writes a test input and returns its path.
func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func driftgate(args ...string) cliResult {
	var out, errOut bytes.Buffer
	code := dispatch(args, &out, &errOut)
	return cliResult{code, out.String(), errOut.String()}
}

// golden is the part of the JSON report that is stable across runs.
type golden struct {
	Summary  any `json:"summary"`
	Findings any `json:"findings"`
	Inputs   any `json:"inputs"`
}

func checkGolden(t *testing.T, goldenFile, reportFile string) {
	t.Helper()
	data, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(g); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	if *update {
		if err := os.WriteFile(goldenFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (run `go test ./cmd/driftgate -update`)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("report differs from %s (rerun with -update after checking the change):\n%s", goldenFile, got)
	}
}

// checkTextGolden compares a text report with its golden, the version
// templated out.
func checkTextGolden(t *testing.T, goldenFile, reportFile string) {
	t.Helper()
	data, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(goldenFile, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (run `go test ./cmd/driftgate -update`)", err)
	}
	if !bytes.Equal(data, want) {
		t.Errorf("%s differs from %s (rerun with -update after checking the change)", reportFile, goldenFile)
	}
}

func TestDemoScenarioGolden(t *testing.T) {
	pkg := repoRoot(t)
	out := t.TempDir()
	r := driftgate("check", "--config", "fixtures/demo/.driftgate.yml",
		"--json", filepath.Join(out, "report.json"), "--sarif", filepath.Join(out, "report.sarif"), "--markdown", filepath.Join(out, "report.md"))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (blocking findings)\n%s%s", r.code, r.stdout, r.stderr)
	}
	checkGolden(t, filepath.Join(pkg, "testdata", "demo.golden.json"), filepath.Join(out, "report.json"))
	checkTextGolden(t, filepath.Join(pkg, "testdata", "demo.golden.md"), filepath.Join(out, "report.md"))
	// The reviewer's ten seconds: the verdict, the 5 blockers, what was not
	// judged, a route and counts fit in 120 lines above the collapsed list,
	// and the first blocker is the console edit of tenant 7c3f2e.
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	above, _, _ := strings.Cut(string(md), "<details>")
	if n := strings.Count(above, "\n"); n > 120 {
		t.Errorf("%d lines above the collapsed details, want <= 120", n)
	}
	if !strings.Contains(above, "1. **alarm-drift** · tenant 7c3f2e · `fixtures/demo/terraform/modules/tenant-slo/main.tf:72`") || strings.Count(above, "   - **what to do:**") != 5 {
		t.Errorf("the first of 5 blockers must be 7c3f2e's drift, each with what to do:\n%s", above)
	}
	for _, want := range []string{
		"tenant 7c3f2e", "live threshold 5.2 differs from declared 4.8 (drift 8.33%",
		"slo-1a2b3c-availability-ticket-2h is declared (no-op in the plan) but does not exist",
		"slo-9f8e7d-latency-page-fast-5m is live in managed namespace Acme/Checkout",
		"threshold 0.6 -> 0.9 (the plan depends on threshold)",
		"tenant 7c3f2e SLO availability tier page-fast 5m: live CloudWatch pages at 5.2% but the SLO derives 4.8% (declared 4.8%, agrees with the SLO); drift 8.33%",
		"tenant 1a2b3c SLO availability tier page-fast: no long window (1h) alarm, no short window (5m) alarm, and nothing is notified",
		// a CloudFormation tenant, at the template's line
		"alarm slo-ab34cd-availability-page-fast-5m (tenant ab34cd, SLO availability (99.67% over 30d), tier page-fast 5m): threshold 4.5% is a burn factor of 13.5",
		"at fixtures/demo/cloudformation/tenant-alarms.yaml:",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	// Tenants with only noise, a plan that creates them, or nothing wrong fire nothing.
	for _, quiet := range []string{"tenant 0a1b2c", "tenant e1f2a3", "tenant c0ffee", "tenant f00d42"} {
		if strings.Contains(r.stdout, quiet) {
			t.Errorf("%s must have no findings:\n%s", quiet, r.stdout)
		}
	}
	for _, f := range []string{"report.json", "report.sarif", "report.md"} {
		data, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{orggen.SecretBefore, orggen.SecretAfter} {
			if bytes.Contains(data, []byte(secret)) || strings.Contains(r.stdout+r.stderr, secret) {
				t.Errorf("%s leaks a sensitive value", f)
			}
		}
	}
}

// The demo shows every check firing on at least one tenant; incomplete-input
// and baseline-change have their own scenarios (TestIncompleteLiveStateIsInconclusive,
// TestBaselineReportsChangedAddedAndRemovedAlerts).
func TestDemoFiresEveryCheck(t *testing.T) {
	repoRoot(t)
	out := filepath.Join(t.TempDir(), "r.json")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--json", out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []struct{ Check, Tenant string }
		Checks   []struct{ ID string }
		Summary  struct {
			NotJudged []struct{ Check string } `json:"not_judged"`
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	fired := map[string]bool{}
	for _, f := range doc.Findings {
		fired[f.Check] = true
	}
	// The demo has no baseline, no SQL alert rules, no SLO registry and no
	// Application Signals SLO: those checks are not judged here
	// (TestBaselineReportsChangedAddedAndRemovedAlerts, TestAlertRulesFromSQL,
	// TestSLORegistry and TestAuditDemo fire them).
	notJudged := map[string]bool{}
	for _, n := range doc.Summary.NotJudged {
		notJudged[n.Check] = true
	}
	if len(notJudged) != 4 || !notJudged["baseline-change"] || !notJudged["alert-rule-parity"] || !notJudged["registry-objective"] || !notJudged["service-slo-burn-rate"] {
		t.Errorf("not judged in the demo: %v", notJudged)
	}
	for _, c := range doc.Checks {
		if !fired[c.ID] && c.ID != "incomplete-input" && !notJudged[c.ID] {
			t.Errorf("check %s does not fire in the demo", c.ID)
		}
	}
}

func TestFailOnLevels(t *testing.T) {
	repoRoot(t)
	cases := map[string]int{"never": 0, "error": 1, "warning": 1, "note": 1}
	for level, want := range cases {
		if r := driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--fail-on", level); r.code != want {
			t.Errorf("--fail-on %s: exit %d, want %d", level, r.code, want)
		}
	}
}

func TestWithoutLiveStateTheSkipIsSaid(t *testing.T) {
	repoRoot(t)
	r := driftgate("check", "--plan", "fixtures/demo/plan.json", "--tf-dir", "fixtures/demo/terraform")
	if !notJudgedLine(r.stdout, "no live state given (--live)", "alarm-drift", "missing-alarm", "live CloudWatch alarms") {
		t.Errorf("no not-judged notice:\n%s", r.stdout)
	}
	// Terraform's own drift is still found offline.
	if r.code != 1 || !strings.Contains(r.stdout, "terraform-drift") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}

func TestIncompleteLiveStateIsInconclusive(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	data, err := os.ReadFile("fixtures/demo/live.json")
	if err != nil {
		t.Fatal(err)
	}
	var snap map[string]any
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	region := snap["cloudwatch"].([]any)[0].(map[string]any)
	region["complete"], region["error"] = false, "DescribeAlarms: ThrottlingException after 5 attempts"
	region["MetricAlarms"], region["CompositeAlarms"] = []any{}, []any{}
	data, _ = json.Marshal(snap)
	live := filepath.Join(dir, "live.json")
	if err := os.WriteFile(live, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// With nothing else blocking, unreadable live state is inconclusive, never a pass.
	r := driftgate("check", "--plan", "fixtures/demo/plan.json", "--live", live, "--config", "fixtures/demo/.driftgate.yml",
		"--fail-on", "never", "--json", filepath.Join(dir, "r.json"))
	if r.code != 3 {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stdout)
	}
	if !strings.Contains(r.stdout, "INCONCLUSIVE") || !strings.Contains(r.stdout, "ThrottlingException") {
		t.Errorf("summary does not say why:\n%s", r.stdout)
	}
	var doc struct {
		Summary struct {
			Result    string
			NotJudged []checks.NotJudged `json:"not_judged"`
		}
		Findings []struct{ Check, Message string }
	}
	data, _ = os.ReadFile(filepath.Join(dir, "r.json"))
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.Result != "inconclusive" {
		t.Errorf("JSON report result is %q, not inconclusive", doc.Summary.Result)
	}
	// Nothing is reported from the alarms that were not read: no "does not
	// exist in live CloudWatch", no drift, no threshold parity against live.
	for _, f := range doc.Findings {
		switch f.Check {
		case "missing-alarm", "alarm-drift", "unmanaged-alarm", "tenant-coverage":
			t.Errorf("finding from a region that was not read: %s: %s", f.Check, f.Message)
		}
		if f.Check != "incomplete-input" && strings.Contains(f.Message, "live CloudWatch") {
			t.Errorf("finding rests on live alarms that were not read: %s: %s", f.Check, f.Message)
		}
	}
	judged := map[string]bool{}
	for _, n := range doc.Summary.NotJudged {
		if n.Scope == "123456789012/us-east-1" && strings.Contains(n.Why, "ThrottlingException") {
			judged[n.Check] = true
		}
	}
	for _, c := range []string{"missing-alarm", "alarm-drift", "threshold-parity", "tenant-coverage"} {
		if !judged[c] {
			t.Errorf("%s is not listed as not judged for the region: %+v", c, doc.Summary.NotJudged)
		}
	}
	// Offline checks that fail on their own make it exit 1, still inconclusive.
	r = driftgate("check", "--plan", "fixtures/demo/plan.json", "--live", live, "--config", "fixtures/demo/.driftgate.yml")
	if r.code != 1 || !strings.Contains(r.stdout, "inconclusive:") {
		t.Errorf("exit %d, want 1 with the inconclusive reason said:\n%s", r.code, r.stdout)
	}
}

func TestBadInputsExitTwoNamingTheFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writeFile(t, dir, name, body) }
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"truncated plan", []string{"check", "--plan", write("trunc.json", "{\n \"format_version\": \"1.2\",\n \"resource_changes\": [")}, "trunc.json:3:"},
		{"wrong format version", []string{"check", "--plan", write("v9.json", `{"format_version":"9.0","planned_values":{}}`)}, `unsupported plan format_version "9.0"`},
		{"empty plan", []string{"check", "--plan", write("empty.json", "")}, "empty.json: file is empty"},
		{"missing plan", []string{"check", "--plan", filepath.Join(dir, "nope.json")}, "nope.json: cannot read plan"},
		{"config with unknown key", []string{"check", "--config", write("c.yml", "version: 1\nfail_on: error\n"), "--plan", "x"}, "c.yml:2:1: unknown key \"fail_on\""},
		{"missing config", []string{"check", "--config", filepath.Join(dir, "none.yml")}, "none.yml: cannot read config"},
		{"malformed snapshot", []string{"check", "--plan", write("ok.json", `{"format_version":"1.2","planned_values":{}}`), "--live", write("live.json", "{\"version\": 1,")}, "live.json:1:"},
		{"nothing to check", []string{"check"}, "nothing to check: give --plan FILE"},
		{"bad fail-on", []string{"check", "--fail-on", "sometimes", "--plan", "x"}, "unknown severity \"sometimes\""},
		{"unknown flag", []string{"check", "--plna", "x"}, "flag provided but not defined"},
		{"unknown command", []string{"chekc"}, "unknown command \"chekc\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := driftgate(c.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr %q does not contain %q", r.stderr, c.want)
			}
		})
	}
}

func TestEveryPlanProblemIsListed(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	os.WriteFile(a, []byte("{"), 0o644)
	os.WriteFile(b, []byte(`{"format_version":"7"}`), 0o644)
	r := driftgate("check", "--plan", a, "--plan", b)
	if r.code != 2 || !strings.Contains(r.stderr, "a.json") || !strings.Contains(r.stderr, "b.json") {
		t.Errorf("want both files named, got exit %d: %s", r.code, r.stderr)
	}
}

// Every real plan in the corpus checks cleanly: no drift findings, exit 0.
func TestCorpusPlansGiveNoDriftFindings(t *testing.T) {
	for _, plan := range corpus.Files(t, "terraform") {
		t.Run(filepath.Base(plan), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "r.json")
			r := driftgate("check", "--plan", plan, "--json", out)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			data, _ := os.ReadFile(out)
			var doc struct{ Findings []any }
			if err := json.Unmarshal(data, &doc); err != nil || len(doc.Findings) != 0 {
				t.Errorf("findings on a no-drift plan: %s", data)
			}
		})
	}
}

func TestChecksListing(t *testing.T) {
	r := driftgate("checks", "--json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || r.code != 0 {
		t.Fatalf("exit %d: %v", r.code, err)
	}
	if len(list) < 5 || list[0]["id"] != "alarm-drift" || list[0]["description"] == "" {
		t.Errorf("listing: %v", list)
	}
	if r := driftgate("checks"); !strings.Contains(r.stdout, "terraform-drift") {
		t.Errorf("table lacks checks")
	}
	if r := driftgate("version"); !strings.HasPrefix(r.stdout, "driftgate ") {
		t.Errorf("version: %q", r.stdout)
	}
}

// Every real SLO spec in the corpus loads through --slo: no input error.
func TestCorpusSLOSpecsLoad(t *testing.T) {
	plan := filepath.Join(corpus.Dir(t), "terraform", "tfc-cloudwatch-alarm-foreach.plan.json")
	for _, spec := range corpus.Files(t, "slo") {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			r := driftgate("check", "--quiet", "--plan", plan, "--slo", spec)
			if r.code == 2 {
				t.Fatalf("input error: %s", r.stderr)
			}
		})
	}
}

func TestBadSLOSpecExitsTwo(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "slo.yaml")
	os.WriteFile(spec, []byte("version: prometheus/v1\nservice: x\nslos:\n  - name: a\n    objective: 120\n"), 0o644)
	r := driftgate("check", "--plan", filepath.Join(corpus.Dir(t), "terraform", "tfc-format-1.2.plan.json"), "--slo", spec)
	if r.code != 2 || !strings.Contains(r.stderr, "slo.yaml:5:16: objective must be a percentage") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

// A secret marked on only one side of a drift entry reaches no output.
func TestASecretMarkedOnOneSideReachesNoOutput(t *testing.T) {
	const old, rotated = "old-secret-4711", "new-secret-0815"
	dir := t.TempDir()
	change := func(beforeSens, afterSens any) map[string]any {
		return map[string]any{"address": "aws_ssm_parameter.key", "mode": "managed", "type": "aws_ssm_parameter", "name": "key",
			"change": map[string]any{"actions": []string{"update"}, "before": map[string]any{"value": old}, "after": map[string]any{"value": rotated},
				"before_sensitive": beforeSens, "after_sensitive": afterSens}}
	}
	plan := map[string]any{"format_version": "1.2", "planned_values": map[string]any{},
		"resource_drift": []any{change(map[string]any{}, map[string]any{"value": true})}}
	data, _ := json.Marshal(plan)
	file := filepath.Join(dir, "plan.json")
	os.WriteFile(file, data, 0o644)
	out := func(n string) string { return filepath.Join(dir, n) }
	r := driftgate("check", "--plan", file, "--sarif", out("r.sarif"), "--json", out("r.json"), "--markdown", out("r.md"))
	if !strings.Contains(r.stdout, "value (sensitive) -> (sensitive)") {
		t.Errorf("the rotation must be reported, hidden:\n%s", r.stdout)
	}
	all := r.stdout + r.stderr
	for _, n := range []string{"r.sarif", "r.json", "r.md"} {
		b, _ := os.ReadFile(out(n))
		all += string(b)
	}
	if strings.Contains(all, old) || strings.Contains(all, rotated) {
		t.Error("a secret reached an output")
	}
}

// A plan written outside the repository (as $RUNNER_TEMP is) never gives
// SARIF an absolute URI code scanning cannot place: findings point at the
// resource's .tf line, else the config, and name the outside file.
func TestSARIFLocationsStayInsideTheRepository(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	data, err := os.ReadFile("fixtures/demo/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	var plan map[string]any
	json.Unmarshal(data, &plan)
	plan["complete"] = false // incomplete-input reports on the plan file itself
	data, _ = json.Marshal(plan)
	planFile := filepath.Join(dir, "plan.json")
	os.WriteFile(planFile, data, 0o644)
	sarifFile := filepath.Join(dir, "r.sarif")
	r := driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--plan", planFile, "--tf-dir", "fixtures/demo/terraform", "--sarif", sarifFile)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
		}
	}
	data, _ = os.ReadFile(sarifFile)
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	moved := 0
	for _, res := range doc.Runs[0].Results {
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if filepath.IsAbs(uri) || strings.HasPrefix(uri, "..") {
			t.Errorf("%s: URI %q is outside the repository", res.RuleID, uri)
		}
		if _, err := os.Stat(uri); err != nil {
			t.Errorf("%s: URI %q names no file of the repository", res.RuleID, uri)
		}
		if strings.Contains(res.Message.Text, planFile+", outside the repository") {
			moved++
		}
	}
	if moved == 0 {
		t.Error("the finding about the outside plan must name it")
	}
}

// notJudgedLine reports whether one "not judged" line of the summary gives
// the reason and names every one of the words (checks, feeds).
func notJudgedLine(out, why string, names ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "not judged: ") || !strings.HasSuffix(line, why) {
			continue
		}
		ok := true
		for _, n := range names {
			ok = ok && strings.Contains(line, n)
		}
		if ok {
			return true
		}
	}
	return false
}

// Every command's help is on stdout with exit 0, a synopsis, flags written
// --flag VALUE and examples; an unknown flag is one line that says where to
// look, exit 2.
func TestTheCLIByTheBook(t *testing.T) {
	for _, cmd := range []string{"check", "checks", "snapshot", "merge", "verify", "ignore", "test-routes", "history"} {
		for _, h := range []string{"-h", "--help"} {
			r := driftgate(cmd, h)
			if r.code != 0 || !strings.HasPrefix(r.stdout, "usage: driftgate "+cmd) || !strings.Contains(r.stdout, "\nexamples:\n") || r.stderr != "" {
				t.Errorf("%s %s: exit %d\n%s%s", cmd, h, r.code, r.stdout, r.stderr)
			}
		}
		r := driftgate(cmd, "--no-such-flag")
		if want := "driftgate " + cmd + ": flag provided but not defined: --no-such-flag (see driftgate " + cmd + " --help)\n"; r.code != 2 || r.stderr != want {
			t.Errorf("%s with an unknown flag: exit %d, stderr %q, want %q", cmd, r.code, r.stderr, want)
		}
	}
	r := driftgate("check", "--help")
	for _, want := range []string{"--plan FILE ", "--live FILE ", "--fail-on SEVERITY ", "--sweep "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check --help lacks %q", want)
		}
	}
	if strings.Contains(r.stdout, "-plan terraform") {
		t.Error("a back-quoted phrase must not become the value name")
	}
	if r := driftgate("check", "--plan", t.TempDir()); r.code != 2 || !strings.Contains(r.stderr, "is a directory") {
		t.Errorf("a directory as --plan: exit %d %s", r.code, r.stderr)
	}
}

// A run stopped by bad input still writes the reports it was asked for,
// saying why, so the SARIF upload that follows it does not fail too.
func TestAnInputErrorStillWritesTheReports(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "plan.json")
	os.WriteFile(bad, []byte(`{"format_version": "1.2", "resource_changes": [`), 0o644)
	out := func(n string) string { return filepath.Join(dir, n) }
	r := driftgate("check", "--plan", bad, "--sarif", out("r.sarif"), "--json", out("r.json"), "--markdown", out("r.md"))
	if r.code != 2 {
		t.Fatalf("exit %d", r.code)
	}
	sarif, _ := os.ReadFile(out("r.sarif"))
	jsonReport, _ := os.ReadFile(out("r.json"))
	md, _ := os.ReadFile(out("r.md"))
	if !strings.Contains(string(sarif), `"executionSuccessful": false`) || !strings.Contains(string(sarif), "input error: ") {
		t.Errorf("SARIF must carry the error:\n%s", sarif)
	}
	if !strings.Contains(string(jsonReport), `"result": "error"`) || !strings.Contains(string(jsonReport), `"exit_code": 2`) || !strings.Contains(string(jsonReport), "plan.json") {
		t.Errorf("JSON must carry the error:\n%s", jsonReport)
	}
	if !strings.Contains(string(md), "checked nothing") {
		t.Errorf("markdown must say so:\n%s", md)
	}
}

// SLO specs on their own are checked as specs: what cannot fire, what does
// not fall as windows lengthen, what collides; the implicit tenant, which
// no alarm names, is not held to coverage.
func TestSLOSpecsOnTheirOwn(t *testing.T) {
	dir := t.TempDir()
	spec := func(objective string, twice bool) string {
		s := `version: "prometheus/v1"
service: "checkout"
slos:
  - name: "availability"
    objective: ` + objective + `
    sli:
      events:
        error_query: sum(rate(x{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(x[{{.window}}]))
    alerting:
      name: CheckoutErrors
      page_alert: {}
      ticket_alert: {}
`
		if twice {
			s += strings.SplitN(s, "slos:\n", 2)[1]
		}
		f := filepath.Join(dir, objective+fmt.Sprint(twice)+".yaml")
		os.WriteFile(f, []byte(s), 0o644)
		return f
	}
	r := driftgate("check", "--slo", spec("99.9", false))
	if r.code != 0 || strings.Contains(r.stdout, "tenant-coverage  ") {
		t.Errorf("a sound spec alone: exit %d\n%s", r.code, r.stdout)
	}
	if !notJudgedLine(r.stdout, "nor any other alarms to judge", "burn-factor-mismatch", "tenant-coverage") {
		t.Errorf("checks that judge alarms must say there were none:\n%s", r.stdout)
	}
	r = driftgate("check", "--slo", spec("90", false), "--fail-on", "warning")
	if r.code != 1 || !strings.Contains(r.stdout, "tier page-fast cannot consume 2% of the budget within 1h: b·B = 14.4 × 10% = 1.44 > 1") {
		t.Errorf("a 14.4x tier on a 90%% SLO can never fire: exit %d\n%s", r.code, r.stdout)
	}
	if r := driftgate("check", "--slo", spec("99", true)); r.code != 2 || !strings.Contains(r.stderr, `SLO availability is defined twice in service "checkout"`) {
		t.Errorf("a duplicate SLO: exit %d %s", r.code, r.stderr)
	}
}

// Adopting driftgate on a noisy estate: accept what is there today, and the
// next run blocks only on what the rules do not cover and on locked checks.
func TestAcceptCurrentFindings(t *testing.T) {
	repoRoot(t)
	r := driftgate("ignore", "--accept-current", "--config", "fixtures/demo/.driftgate.yml", "--reason", "adopted on day one", "--days", "30")
	if r.code != 0 || !strings.Contains(r.stdout, "\nignore:\n  - address: ") || !strings.Contains(r.stdout, `reason: "adopted on day one"`) {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	_, rules, _ := strings.Cut(r.stdout, "\nignore:\n")
	cfg := demoConfig(t, func(s string) string { return strings.Replace(s, "\nignore:\n", "\nignore:\n"+rules, 1) })
	out := filepath.Join(t.TempDir(), "r.json")
	driftgate("check", "--config", cfg, "--json", out)
	var doc faultReport
	data, _ := os.ReadFile(out)
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, f := range doc.Findings {
		switch f.Check {
		case "page-routing", "tenant-route": // locked: never ignored
		case "expired-ignore", "incomplete-input": // about the run: never accepted
		default:
			t.Errorf("not accepted: %s: %s", f.Check, f.Message)
		}
	}
	if len(doc.Findings) == 0 {
		t.Error("the locked checks' findings must stay")
	}
}

// The check sizes the collector's floor from the files it decodes: the
// plans and a snapshot file, told once before any is read; read from AWS,
// the live state is no file and counts nothing.
func TestTheCheckIsToldTheSizeOfTheFilesItDecodes(t *testing.T) {
	repoRoot(t)
	size := func(f string) int64 {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	plan, live := size("fixtures/demo/plan.json"), size("fixtures/demo/live.json")
	for _, c := range []struct {
		live string
		want int64
	}{{"", plan + live}, {"aws", plan}} {
		var told []int64
		o := run.Options{Config: "fixtures/demo/.driftgate.yml", Live: c.live, NoEvidence: true, Quiet: true,
			InputBytes: func(n int64) { told = append(told, n) }}
		if c.live == "aws" {
			startDemoSandbox(t)
		}
		if _, err := run.Check(o); err != nil {
			t.Fatalf("live %q: %v", c.live, err)
		}
		if len(told) != 1 || told[0] != c.want {
			t.Errorf("live %q: told %v, want once %d (plan %d, snapshot %d)", c.live, told, c.want, plan, live)
		}
	}
}
