package archtest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rhysd/actionlint"
)

// The project's workflows, the examples, and action.yml (read by actionlint
// through ci.yml's `uses: ./`) are valid GitHub Actions.
func TestWorkflowsPassActionlint(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, pattern := range []string{".github/workflows/*.yml", "examples/*.yml"} {
		m, _ := filepath.Glob(filepath.Join(root, pattern))
		files = append(files, m...)
	}
	if len(files) < 5 {
		t.Fatalf("found only %v", files)
	}
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{Shellcheck: "", Pyflakes: ""})
	if err != nil {
		t.Fatal(err)
	}
	proj, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFiles(files, proj)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("%s:%d:%d: %s [%s]", e.Filepath, e.Line, e.Column, e.Message, e.Kind)
	}
	if _, err := os.Stat(filepath.Join(root, "action.yml")); err != nil {
		t.Fatal(err)
	}
}

// A broken action.yml is caught: actionlint reports an input the action does not declare.
func TestActionlintCatchesAnUndeclaredInput(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir := t.TempDir()
	wf := filepath.Join(dir, "bad.yml")
	os.WriteFile(wf, []byte("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./\n        with:\n          no-such-input: x\n"), 0o644)
	var out bytes.Buffer
	l, _ := actionlint.NewLinter(&out, &actionlint.LinterOptions{})
	proj, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFiles([]string{wf}, proj)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range errs {
		found = found || bytes.Contains([]byte(e.Message), []byte("no-such-input"))
	}
	if !found {
		t.Errorf("actionlint did not check the inputs against action.yml: %v", errs)
	}
}
