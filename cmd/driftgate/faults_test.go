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
	for _, p := range []string{"plan.json", "live.json", "cloudformation/", "terraform\n"} {
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
