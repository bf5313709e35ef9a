package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/internal/sandbox"
)

// demoConfig writes the demo's config to a temporary directory with its
// paths made absolute, edited by edit (for aws settings a test needs).
func demoConfig(t *testing.T, edit func(string) string) string {
	t.Helper()
	data, err := os.ReadFile("fixtures/demo/.driftgate.yml")
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("fixtures/demo")
	s := string(data)
	for _, p := range []string{"plan.json", "live.json", "cloudformation/", "routing-tests.yaml", "terraform\n"} {
		s = strings.ReplaceAll(s, " "+p, " "+abs+"/"+p)
		s = strings.ReplaceAll(s, "["+p, "["+abs+"/"+p)
	}
	if edit != nil {
		s = edit(s)
	}
	file := filepath.Join(t.TempDir(), ".driftgate.yml")
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// withAWS adds settings under the config's aws: key.
func withAWS(lines ...string) func(string) string {
	return func(s string) string {
		return strings.Replace(s, "\naws:\n", "\naws:\n  "+strings.Join(lines, "\n  ")+"\n", 1)
	}
}

type faultReport struct {
	Summary struct {
		Result       string
		Inconclusive []string
		NotJudged    []checks.NotJudged `json:"not_judged"`
	}
	Findings []struct{ Check, Message string }
}

// Each way a live read can fail, driven through the real SDK clients against
// the sandbox: nothing is reported from the alarms that were not read, the
// run says inconclusive (exit 3 when nothing else fails it), and the checks
// that needed the alarms are listed as not judged with the reason.
func TestEveryLiveFailureIsInconclusiveAndInventsNothing(t *testing.T) {
	repoRoot(t)
	cases := []struct {
		name   string
		faults sandbox.Faults
		edit   func(string) string
		why    string
	}{
		{"DescribeAlarms fails", sandbox.Faults{FailOps: map[string]bool{"DescribeAlarms": true}}, nil, "InternalFailure"},
		{"STS fails", sandbox.Faults{FailOps: map[string]bool{"GetCallerIdentity": true}}, nil, "GetCallerIdentity"},
		{"throttled past the retries", sandbox.Faults{ThrottleOps: map[string]bool{"DescribeAlarms": true}}, nil, "ThrottlingException"},
		{"the deadline passes", sandbox.Faults{Latency: 300 * time.Millisecond}, withAWS("timeout: 0.5s"), "DescribeAlarms"},
		{"the server goes away mid-read", sandbox.Faults{DropAfter: map[string]int{"DescribeAlarms": 1}}, nil, "DescribeAlarms"},
		{"the caller is in another account", sandbox.Faults{CallerAccount: "222222222222"},
			func(s string) string {
				return strings.Replace(withAWS()(s), "  regions: [us-east-1]\n", "  regions: [us-east-1]\n  accounts:\n    - id: \"123456789012\"\n", 1)
			}, "credentials are for account 222222222222, not 123456789012"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb := startDemoSandbox(t)
			sb.PageSize = 50
			sb.Faults = c.faults
			edit := withAWS("max_attempts: 2")
			if c.edit != nil {
				edit = func(s string) string { return c.edit(withAWS("max_attempts: 2")(s)) }
			}
			cfg := demoConfig(t, edit)
			out := filepath.Join(t.TempDir(), "r.json")
			r := driftgate("check", "--config", cfg, "--live", "aws", "--sweep", "--fail-on", "never", "--json", out)
			if r.code != 3 {
				t.Fatalf("exit %d, want 3 (inconclusive):\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			var doc faultReport
			data, _ := os.ReadFile(out)
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			for _, f := range doc.Findings {
				switch {
				case f.Check == "incomplete-input":
				case f.Check == "missing-alarm", f.Check == "alarm-drift", f.Check == "unmanaged-alarm", f.Check == "tenant-coverage",
					strings.Contains(f.Message, "live CloudWatch"):
					t.Errorf("finding from alarms that were not read: %s: %s", f.Check, f.Message)
				}
			}
			notJudged := map[string]bool{}
			for _, n := range doc.Summary.NotJudged {
				if strings.Contains(n.Why, c.why) {
					notJudged[n.Check] = true
				}
			}
			for _, id := range []string{"alarm-drift", "missing-alarm", "unmanaged-alarm", "threshold-parity"} {
				if !notJudged[id] {
					t.Errorf("%s not listed as not judged for %q: %+v", id, c.why, doc.Summary.NotJudged)
				}
			}
			if !strings.Contains(r.stdout, "INCONCLUSIVE") || !strings.Contains(r.stdout, "not judged: ") {
				t.Errorf("the summary must say inconclusive and what was not judged:\n%s", r.stdout)
			}
		})
	}
}

// withoutDeclared drops the demo config's plan and template inputs.
func withoutDeclared(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "plans:") || strings.HasPrefix(t, "cloudformation:") || strings.HasPrefix(t, "live:") {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// The audit of the running estate needs no IaC: with live state alone the
// SLO, routing and live checks run, and those that compare with a declared
// source say they were not judged.
func TestALiveOnlyAudit(t *testing.T) {
	repoRoot(t)
	cfg := demoConfig(t, withoutDeclared)
	out := filepath.Join(t.TempDir(), "r.json")
	r := driftgate("check", "--config", cfg, "--live", "fixtures/demo/live.json", "--json", out)
	if r.code != 1 {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	var doc faultReport
	data, _ := os.ReadFile(out)
	json.Unmarshal(data, &doc)
	fired := map[string]bool{}
	for _, f := range doc.Findings {
		fired[f.Check] = true
	}
	for _, c := range []string{"threshold-parity", "unreachable-threshold", "page-routing", "tenant-route", "pagerduty-coverage"} {
		if !fired[c] {
			t.Errorf("%s must judge the live alarms on their own", c)
		}
	}
	for _, c := range []string{"alarm-drift", "missing-alarm", "terraform-drift"} {
		if fired[c] {
			t.Errorf("%s fired without a declared source", c)
		}
	}
	if !notJudgedLine(r.stdout, "no declared source (plan, state or template) given", "alarm-drift", "missing-alarm") {
		t.Errorf("the summary must say what needs a declared source:\n%s", r.stdout)
	}
	empty := filepath.Join(t.TempDir(), "c.yml")
	os.WriteFile(empty, []byte("version: 1\n"), 0o644)
	if r := driftgate("check", "--config", empty); r.code != 2 || !strings.Contains(r.stderr, "nothing to check") {
		t.Errorf("no input at all: exit %d %s", r.code, r.stderr)
	}
}

// A Terraform state is a declared source: a nightly sweep compares what
// Terraform manages with live, at the .tf lines, without a plan.
func TestStateAsDeclaredSource(t *testing.T) {
	repoRoot(t)
	data, _ := os.ReadFile("fixtures/demo/plan.json")
	var plan map[string]any
	json.Unmarshal(data, &plan)
	prior := plan["prior_state"].(map[string]any)
	state, _ := json.Marshal(map[string]any{"format_version": prior["format_version"], "terraform_version": "1.9.8", "values": prior["values"]})
	dir := t.TempDir()
	for name, content := range map[string][]byte{"state.json": state, "state-utf16.json": utf16WithBOM(state)} {
		file := filepath.Join(dir, name)
		os.WriteFile(file, content, 0o644)
		out := filepath.Join(dir, name+".report.json")
		r := driftgate("check", "--config", demoConfig(t, withoutDeclared), "--state", file, "--tf-dir", "fixtures/demo/terraform",
			"--live", "fixtures/demo/live.json", "--json", out)
		if r.code != 1 {
			t.Fatalf("%s: exit %d: %s", name, r.code, r.stderr)
		}
		report, _ := os.ReadFile(out)
		if !strings.Contains(string(report), "alarm slo-7c3f2e-availability-page-fast-5m: live threshold 5.2 differs from declared 4.8") ||
			!strings.Contains(string(report), `"file": "fixtures/demo/terraform/modules/tenant-slo/main.tf"`) {
			t.Errorf("%s: the console edit of 7c3f2e must be found against the state, at the module's .tf line", name)
		}
	}
	if r := driftgate("check", "--state", "fixtures/demo/plan.json"); r.code != 2 || !strings.Contains(r.stderr, "this is a Terraform plan, not a state") {
		t.Errorf("a plan given as state: exit %d %s", r.code, r.stderr)
	}
}

func utf16WithBOM(b []byte) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range string(b) {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}
