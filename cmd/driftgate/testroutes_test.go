package main

import (
	"strings"
	"testing"
)

func TestTestRoutes(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	write := func(name, body string) string { return writeFile(t, dir, name, body) }
	holds := write("holds.yaml", `version: 1
cases:
  - name: 7c3f2e pages its own service
    alarm: slo-7c3f2e-availability-page-fast
    expect: {service: checkout-7c3f2e, urgency: high}
`)
	demo := []string{"--config", "fixtures/demo/.driftgate.yml"}

	r := driftgate(append([]string{"test-routes", holds}, demo...)...)
	if r.code != 0 {
		t.Errorf("a case that holds: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The demo's own tests: 5e6f70's slow page lands on 1a2b3c's service.
	r = driftgate(append([]string{"test-routes", "fixtures/demo/routing-tests.yaml"}, demo...)...)
	if r.code != 1 || !strings.Contains(r.stdout, "fixtures/demo/routing-tests.yaml:7") ||
		!strings.Contains(r.stdout, "expected service checkout-5e6f70, but the page lands on checkout-1a2b3c") {
		t.Errorf("a failing case: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Only routing tests run: the demo's other findings are not reported.
	if strings.Contains(r.stdout, "alarm-drift") {
		t.Errorf("test-routes ran other checks:\n%s", r.stdout)
	}
	bad := write("bad.yaml", `version: 1
cases:
  - name: both
    alarm: a
    event: {alarm_name: b, topic: t}
    expect: {service: s}
  - name: nothing expected
    alarm: a
    expect: {paged_within: soon}
`)
	r = driftgate(append([]string{"test-routes", bad}, demo...)...)
	if r.code != 2 || !strings.Contains(r.stderr, "bad.yaml:3") || !strings.Contains(r.stderr, "needs an alarm or an event, not both") ||
		!strings.Contains(r.stderr, "bad.yaml:9") {
		t.Errorf("bad routing tests: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Without live PagerDuty nothing can be tested: inconclusive, never a pass.
	r = driftgate("test-routes", holds, "--plan", "fixtures/demo/plan.json")
	if r.code != 3 || !strings.Contains(r.stdout+r.stderr, "routing-assertion") {
		t.Errorf("no PagerDuty: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := driftgate("test-routes", "--config", "fixtures/demo/.driftgate.yml"); r.code != 2 {
		t.Errorf("no file: exit %d", r.code)
	}
}
