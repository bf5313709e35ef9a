package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Three shards of the demo, merged, give exactly the unsharded findings; a
// missing shard makes the merge inconclusive.
func TestShardsMergeBackToTheWhole(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.json")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--json", whole)

	var reports []string
	sizes := 0
	for i := 1; i <= 3; i++ {
		rep := filepath.Join(dir, fmt.Sprintf("shard%d.json", i))
		r := driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--shard", fmt.Sprintf("%d/3", i), "--json", rep)
		if r.code == 2 {
			t.Fatal(r.stderr)
		}
		reports = append(reports, rep)
		sizes += len(findingMessages(t, rep))
	}
	merged, sarif := filepath.Join(dir, "merged.json"), filepath.Join(dir, "merged.sarif")
	r := driftgate(append([]string{"merge", "--json", merged, "--sarif", sarif, "--markdown", filepath.Join(dir, "m.md")}, reports...)...)
	if r.code != 1 {
		t.Fatalf("merge exit %d: %s", r.code, r.stderr)
	}
	want, got := findingMessages(t, whole), findingMessages(t, merged)
	if !slices.Equal(want, got) {
		t.Errorf("merged findings differ from the whole run: %d vs %d", len(got), len(want))
	}
	if sizes <= len(want) {
		t.Errorf("shards should overlap only in tenant-less findings, which merge deduplicates; shard total %d, whole %d", sizes, len(want))
	}
	data, _ := os.ReadFile(sarif)
	var doc struct{ Runs []struct{ Results []any } }
	json.Unmarshal(data, &doc)
	if len(doc.Runs) != 1 || len(doc.Runs[0].Results) != len(want) {
		t.Errorf("SARIF: %d runs, results %v", len(doc.Runs), len(doc.Runs))
	}

	// Without shard 2 the merge cannot vouch for its tenants.
	r = driftgate("merge", "--json", filepath.Join(dir, "partial.json"), "--fail-on-never-is-not-a-flag", reports[0])
	if r.code != 2 {
		t.Errorf("unknown flag: exit %d", r.code)
	}
	r = driftgate("merge", "--json", filepath.Join(dir, "partial.json"), reports[0], reports[2])
	data, _ = os.ReadFile(filepath.Join(dir, "partial.json"))
	if !strings.Contains(string(data), "shard 2/3 is missing from the merge") {
		t.Errorf("a missing shard must be named:\n%s", r.stdout)
	}
}

func TestShardFlagIsValidated(t *testing.T) {
	repoRoot(t)
	for _, bad := range []string{"0/3", "4/3", "x", "1/0"} {
		if r := driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--shard", bad); r.code != 2 || !strings.Contains(r.stderr, "want I/N") {
			t.Errorf("--shard %s: exit %d %s", bad, r.code, r.stderr)
		}
	}
}

func TestMergeRejectsMismatchedShards(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--shard", "1/2", "--json", a)
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--shard", "1/3", "--json", b)
	if r := driftgate("merge", "--json", filepath.Join(dir, "m.json"), a, b); r.code != 2 || !strings.Contains(r.stderr, "does not belong with the others") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	if r := driftgate("merge", "--json", filepath.Join(dir, "m.json"), "README.md"); r.code != 2 {
		t.Errorf("a file that is no report: exit %d", r.code)
	}
}

func TestMergedAttestationCoversEveryAlert(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	alerts := func(path string) map[string]any {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var st struct {
			Predicate struct{ Alerts map[string]any }
		}
		json.Unmarshal(data, &st)
		return st.Predicate.Alerts
	}
	whole := filepath.Join(dir, "whole-att.json")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--json", filepath.Join(dir, "w.json"), "--attestation", whole)
	var inputs []string
	for i := 1; i <= 2; i++ {
		rep, att := filepath.Join(dir, fmt.Sprintf("s%d.json", i)), filepath.Join(dir, fmt.Sprintf("s%d-att.json", i))
		driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--shard", fmt.Sprintf("%d/2", i), "--json", rep, "--attestation", att)
		inputs = append(inputs, rep, att)
	}
	merged := filepath.Join(dir, "merged-att.json")
	r := driftgate(append([]string{"merge", "--json", filepath.Join(dir, "m.json"), "--attestation", merged}, inputs...)...)
	if r.code == 2 {
		t.Fatal(r.stderr)
	}
	if w, m := alerts(whole), alerts(merged); len(w) == 0 || len(w) != len(m) {
		t.Errorf("merged attestation has %d alerts, the whole run %d", len(m), len(w))
	}
	if v := driftgate("verify", merged, filepath.Join(dir, "m.json")); v.code != 0 {
		t.Errorf("merged attestation does not verify: %s", v.stderr)
	}
}

// Shards recorded in a history each carry their findings' lifecycle; the
// merged report has every one of them and the shards' resolved findings.
func TestMergeCarriesTheShardsHistory(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "h.db")
	shardRun := func(i int, extra ...string) string {
		rep := filepath.Join(dir, fmt.Sprintf("shard%d.json", i))
		args := append([]string{"check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--shard", fmt.Sprintf("%d/2", i),
			"--history", db, "--history-scope", "nightly", "--json", rep}, extra...)
		if r := driftgate(args...); r.code == 2 {
			t.Fatal(r.stderr)
		}
		return rep
	}
	shardRun(1)
	shardRun(2)
	// The second night: every finding persists, in each shard's own scope.
	reports := []string{shardRun(1), shardRun(2)}
	merged := filepath.Join(dir, "merged.json")
	if r := driftgate(append([]string{"merge", "--json", merged, "--markdown", filepath.Join(dir, "m.md")}, reports...)...); r.code == 2 {
		t.Fatal(r.stderr)
	}
	var doc struct {
		Summary struct {
			History *struct {
				Scope, Error string
				Previous     string
			}
		}
		Findings []struct {
			Lifecycle *struct {
				State string
				Runs  int
			}
		}
	}
	data, _ := os.ReadFile(merged)
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	h := doc.Summary.History
	if h == nil || h.Scope != "nightly" || h.Error != "" || h.Previous == "" {
		t.Fatalf("merged history: %+v", h)
	}
	for _, f := range doc.Findings {
		if f.Lifecycle == nil || f.Lifecycle.State != "persisting" || f.Lifecycle.Runs != 2 {
			t.Fatalf("a merged finding without the shards' lifecycle: %+v", f.Lifecycle)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, "m.md"))
	if !strings.Contains(string(md), "**History**: 0 new, ") {
		t.Errorf("the merged comment's history line:\n%s", md)
	}

	// A shard run without the history: the merge says which.
	plain := filepath.Join(dir, "plain.json")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--shard", "2/2", "--json", plain)
	if r := driftgate("merge", "--json", merged, reports[0], plain); r.code == 2 {
		t.Fatal(r.stderr)
	}
	data, _ = os.ReadFile(merged)
	if !strings.Contains(string(data), "shard 2/2: recorded no history") {
		t.Errorf("a shard without history must be named:\n%.600s", data)
	}
}
