// Package archtest enforces that dependencies point inward to the model:
// loaders, live readers and reports never import each other; only cmd/ wires.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/driftgate/driftgate/"

// allowed lists, for each package, the driftgate packages it may import.
var allowed = map[string][]string{
	"model":                     {},
	"input":                     {},
	"checks":                    {"model", "replay"},
	"replay":                    {"model"},
	"config":                    {"checks", "input", "model"},
	"sources/terraform":         {"input", "model"},
	"sources/slo":               {"input", "model"},
	"sources/cloudformation":    {"input", "model"},
	"live/snapshot":             {"input", "model"},
	"attest":                    {"checks", "input", "model"},
	"report":                    {"checks", "model"},
	"publish":                   {},
	"internal/corpus":           {},
	"internal/orggen":           {"live/snapshot"},
	"internal/cmd/orggen":       {"internal/orggen"},
	"internal/cmd/bench":        {"internal/orggen", "internal/sandbox", "live/aws", "live/pagerduty", "live/snapshot", "model"},
	"internal/cmd/tfjsondecode": {},
	"live/aws":                  {"live/snapshot"},
	"live/pagerduty":            {"live/snapshot"},
	"internal/sandbox":          {"live/snapshot"},
	"internal/cmd/sandbox":      {"internal/sandbox", "live/snapshot"},
	"internal/archtest":         {},
	"run": {"attest", "checks", "config", "input", "live/aws", "live/pagerduty", "live/snapshot", "model", "report",
		"sources/cloudformation", "sources/slo", "sources/terraform"},
	"cmd/driftgate": {"attest", "checks", "model", "publish", "report", "run"},
}

func TestDependenciesPointInward(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		allow, known := allowed[pkg]
		if !known {
			t.Errorf("package %s has no entry in the dependency rules", pkg)
			continue
		}
		if len(allow) == 1 && allow[0] == "*" {
			continue
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			ok := false
			for _, a := range allow {
				ok = ok || a == dep
			}
			if !ok {
				t.Errorf("%s must not import %s", pkg, dep)
			}
		}
	}
}
