package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Round trip: the patch --fixes writes applies with git apply from the
// repository root, and re-running the check on the patched template finds
// the fixed findings gone and nothing new.
func TestFixesRoundTrip(t *testing.T) {
	repoRoot(t)
	dir := filepath.Join("out", "fixes-roundtrip")
	os.RemoveAll(dir)
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.MkdirAll(dir, 0o755)
	template, _ := os.ReadFile("fixtures/demo/cloudformation/tenant-alarms.yaml")
	cfn := filepath.Join(dir, "tenant-alarms.yaml")
	os.WriteFile(cfn, template, 0o644)
	cfg := demoConfigWith(t, "")
	check := func(extra ...string) []string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "r.json")
		r := driftgate(append([]string{"check", "--quiet", "--config", cfg, "--cfn", cfn, "--json", out, "--fail-on", "never"}, extra...)...)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		data, _ := os.ReadFile(out)
		return findingsOf(t, string(data))
	}
	patch := filepath.Join(t.TempDir(), "fixes.patch")
	before := check("--fixes", patch)
	data, _ := os.ReadFile(patch)
	if !strings.Contains(string(data), "-      Threshold: '4.5'\n+      Threshold: '4.8'\n") || strings.Count(string(data), "\n+ ") != 1 {
		t.Fatalf("the patch should set ab34cd's 5m threshold to 4.8 and nothing else:\n%s", data)
	}
	cmd := exec.Command("git", "apply", patch)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	after := check()
	for _, f := range after {
		if !slices.Contains(before, f) {
			t.Errorf("new after the fix: %s", f)
		}
	}
	var fixed []string
	for _, f := range before {
		if !slices.Contains(after, f) {
			fixed = append(fixed, f)
		}
	}
	ended := strings.Join(fixed, "\n")
	if len(fixed) != 2 || !strings.Contains(ended, "alarm slo-ab34cd-availability-page-fast-5m (tenant ab34cd") || !strings.Contains(ended, "tenant ab34cd SLO availability tier page-fast: the long window") {
		t.Errorf("the fix should end ab34cd's burn-factor and window-pairing findings, ended:\n%s", ended)
	}
}
