// Package corpus finds ../shared/corpus, the real third-party files the tests
// read in place (they are not copied into the repository).
package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Env names the corpus directory. When it is set the corpus must be there
// (CI sets it, so CI always runs the corpus tests); when it is not, a missing
// ../shared/corpus skips the tests that read it, so a fresh clone with
// nothing beside it still passes.
const Env = "DRIFTGATE_CORPUS"

// Dir returns the corpus directory: $DRIFTGATE_CORPUS, or ../shared/corpus
// beside the module root. It skips the test when neither is there.
func Dir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv(Env); d != "" {
		if _, err := os.Stat(d); err != nil {
			t.Fatalf("%s=%s: %v", Env, d, err)
		}
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			c := filepath.Join(dir, "..", "shared", "corpus")
			if _, err := os.Stat(c); err != nil {
				t.Skipf("corpus not found at %s (set %s to run this test)", c, Env)
			}
			return c
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("module root not found")
		}
	}
}

// Files lists the corpus files of one kind (terraform, cloudformation, slo, sarif).
func Files(t testing.TB, kind string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(Dir(t), kind, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s files in the corpus: %v", kind, err)
	}
	return files
}
