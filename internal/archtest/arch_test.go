// Package archtest enforces that dependencies point inward to the model:
// loaders, live readers and reports never import each other; only cmd/ wires.
package archtest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/driftgate/driftgate/"

// allowed lists, for each package, the driftgate packages it may import.
var allowed = map[string][]string{
	"model":                     {},
	"input":                     {},
	"checks":                    {"model", "pcl", "replay", "routing"},
	"pcl":                       {},
	"routing":                   {"model", "pcl"},
	"replay":                    {"model"},
	"config":                    {"checks", "input", "model"},
	"sources/terraform":         {"input", "model"},
	"sources/slo":               {"input", "model"},
	"sources/routetests":        {"input", "model"},
	"sources/cloudformation":    {"input", "model"},
	"sources/alertrules":        {"internal/dsn", "live/snapshot", "model"},
	"sources/sloregistry":       {"live/snapshot", "model"},
	"internal/pgtest":           {"internal/serverproc"},
	"internal/mysqltest":        {"internal/serverproc"},
	"internal/serverproc":       {},
	"internal/gcfloor":          {},
	"live/snapshot":             {"input", "model"},
	"attest":                    {"checks", "input", "model"},
	"report":                    {"checks", "model"},
	"publish":                   {},
	"internal/corpus":           {},
	"internal/orggen":           {"live/snapshot"},
	"internal/cmd/orggen":       {"internal/orggen"},
	"internal/cmd/bench":        {"checks", "history", "internal/orggen", "internal/pgtest", "internal/sandbox", "live/aws", "live/pagerduty", "live/snapshot", "model"},
	"internal/cmd/tfjsondecode": {},
	"live/aws":                  {"live/snapshot"},
	"live/pagerduty":            {"live/snapshot"},
	"internal/sandbox":          {"live/snapshot"},
	"internal/cmd/sandbox":      {"internal/pgtest", "internal/sandbox", "live/snapshot"},
	"internal/cmd/keygen":       {},
	"internal/archtest":         {},
	"history":                   {"checks", "internal/dsn"},
	"internal/dsn":              {},
	"remedy":                    {"checks", "input", "model"},
	"run": {"attest", "checks", "config", "history", "input", "live/aws", "live/pagerduty", "live/snapshot", "model", "remedy", "replay", "report",
		"sources/alertrules", "sources/cloudformation", "sources/routetests", "sources/slo", "sources/sloregistry", "sources/terraform"},
	"cmd/driftgate": {"attest", "checks", "internal/gcfloor", "model", "publish", "report", "run"},
}

// testAllowed lists what a package's tests may import beyond what the
// package itself may: the fakes and the corpus finder.
var testAllowed = map[string][]string{
	"cmd/driftgate":          {"internal/corpus", "internal/orggen", "internal/pgtest", "internal/sandbox", "live/snapshot"},
	"live/aws":               {"internal/sandbox"},
	"live/pagerduty":         {"internal/sandbox"},
	"report":                 {"internal/corpus"},
	"sources/cloudformation": {"internal/corpus"},
	"sources/alertrules":     {"internal/mysqltest", "internal/pgtest"},
	"history":                {"internal/pgtest"},
	"sources/slo":            {"internal/corpus"},
	"sources/terraform":      {"internal/corpus"},
}

// pure packages judge and compute; they never do I/O. A check that reads a
// file or calls a network would escape the reads the engine records.
var pure = []string{"model", "checks", "pcl", "replay", "routing"}

var ioPackages = []string{"os", "os/exec", "net", "net/http", "io/ioutil", "syscall"}

func TestDependenciesPointInward(t *testing.T) {
	out, err := exec.Command("go", "list", "-f",
		`{{.ImportPath}}|{{join .Imports " "}}|{{join .TestImports " "}} {{join .XTestImports " "}}`, module+"...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		pkg := strings.TrimPrefix(parts[0], module)
		allow, known := allowed[pkg]
		if !known {
			t.Errorf("package %s has no entry in the dependency rules", pkg)
			continue
		}
		if slices.Contains(pure, pkg) {
			for _, imp := range strings.Fields(parts[1]) {
				if slices.Contains(ioPackages, imp) {
					t.Errorf("%s must do no I/O, but imports %s", pkg, imp)
				}
			}
		}
		if len(allow) == 1 && allow[0] == "*" {
			continue
		}
		check := func(imports string, allow []string, what string) {
			for _, imp := range strings.Fields(imports) {
				if !strings.HasPrefix(imp, module) {
					continue
				}
				dep := strings.TrimPrefix(imp, module)
				if dep != pkg && !slices.Contains(allow, dep) {
					t.Errorf("%s%s must not import %s", pkg, what, dep)
				}
			}
		}
		check(parts[1], allow, "")
		check(parts[2], append(slices.Clone(allow), testAllowed[pkg]...), "'s tests")
	}
}
