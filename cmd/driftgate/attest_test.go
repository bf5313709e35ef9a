package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/run"
)

func writeKeys(t *testing.T, dir string) (privateFile, publicFile string, privatePEM []byte) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p8, _ := x509.MarshalPKCS8PrivateKey(priv)
	pkix, _ := x509.MarshalPKIXPublicKey(pub)
	privatePEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})
	privateFile, publicFile = filepath.Join(dir, "key.pem"), filepath.Join(dir, "pub.pem")
	os.WriteFile(privateFile, privatePEM, 0o600)
	os.WriteFile(publicFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix}), 0o644)
	return privateFile, publicFile, privatePEM
}

// attestDemo runs check on the demo with reports and an attestation under out.
func attestDemo(t *testing.T, out string, extra ...string) cliResult {
	t.Helper()
	args := append([]string{"check", "--quiet", "--config", "fixtures/demo/.driftgate.yml",
		"--json", filepath.Join(out, "report.json"), "--sarif", filepath.Join(out, "report.sarif"),
		"--markdown", filepath.Join(out, "report.md"), "--attestation", filepath.Join(out, "att.json")}, extra...)
	r := driftgate(args...)
	if r.code == 2 {
		t.Fatalf("check failed: %s", r.stderr)
	}
	return r
}

func TestAttestationIsByteIdenticalAcrossRuns(t *testing.T) {
	repoRoot(t)
	key, _, _ := writeKeys(t, t.TempDir())
	out := filepath.Join("out", "identical")
	t.Cleanup(func() { os.RemoveAll(out) })
	for _, extra := range [][]string{nil, {"--signing-key", key}} {
		attestDemo(t, out, extra...)
		first, _ := os.ReadFile(filepath.Join(out, "att.json"))
		attestDemo(t, out, extra...)
		second, _ := os.ReadFile(filepath.Join(out, "att.json"))
		if len(first) == 0 || !bytes.Equal(first, second) {
			t.Errorf("attestations differ between two runs (signed=%v)", extra != nil)
		}
	}
}

func TestVerifyDetectsTamperingAndWrongKeys(t *testing.T) {
	repoRoot(t)
	keys := t.TempDir()
	key, pub, _ := writeKeys(t, keys)
	_, otherPub, _ := writeKeys(t, t.TempDir())
	out := filepath.Join("out", "verify-test")
	t.Cleanup(func() { os.RemoveAll(out) })
	attestDemo(t, out, "--signing-key", key)
	att := filepath.Join(out, "att.json")
	files := []string{filepath.Join(out, "report.json"), filepath.Join(out, "report.sarif"), filepath.Join(out, "report.md"),
		"fixtures/demo/plan.json", "fixtures/demo/live.json", "fixtures/demo/.driftgate.yml"}

	if r := driftgate(append([]string{"verify", att, "--key", pub}, files...)...); r.code != 0 || !strings.Contains(r.stdout, "verified: signature") {
		t.Fatalf("valid attestation: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	if r := driftgate("verify", att, "--key", otherPub); r.code != 1 || !strings.Contains(r.stderr, "signature does not verify") {
		t.Errorf("wrong key: exit %d %s", r.code, r.stderr)
	}
	if r := driftgate("verify", att); r.code != 2 || !strings.Contains(r.stderr, "is signed: give --key") {
		t.Errorf("a signed attestation without --key must not pass: exit %d %s", r.code, r.stderr)
	}
	if r := driftgate("verify", att, "--digest-only"); r.code != 0 || !strings.Contains(r.stdout, "signature NOT checked") {
		t.Errorf("--digest-only checks the digests and says the signature was not: exit %d %s", r.code, r.stdout)
	}
	// Tamper with each output in turn: verify names the file and the digest.
	for _, f := range files[:3] {
		orig, _ := os.ReadFile(f)
		os.WriteFile(f, append(bytes.Clone(orig), []byte("\n ")...), 0o644)
		if f == files[0] { // whitespace does not change the canonical report: change content
			os.WriteFile(f, bytes.Replace(orig, []byte(`"result": "fail"`), []byte(`"result": "pass"`), 1), 0o644)
		}
		r := driftgate("verify", att, "--key", pub, f)
		if r.code != 1 || !strings.Contains(r.stderr, filepath.ToSlash(f)+": blake3 digest") {
			t.Errorf("tampered %s: exit %d %s", f, r.code, r.stderr)
		}
		os.WriteFile(f, orig, 0o644)
	}
	if r := driftgate("verify", att, "README.md"); r.code != 1 || !strings.Contains(r.stderr, "README.md is not a subject") {
		t.Errorf("a file outside the attestation: exit %d %s", r.code, r.stderr)
	}
	if r := driftgate("verify", "README.md"); r.code != 2 {
		t.Errorf("a file that is no attestation is bad input: exit %d", r.code)
	}
}

func TestSigningKeyFromTheEnvironmentIsNeverPrinted(t *testing.T) {
	repoRoot(t)
	_, pub, privatePEM := writeKeys(t, t.TempDir())
	t.Setenv(run.SigningKeyEnv, string(privatePEM))
	out := filepath.Join("out", "env-key")
	t.Cleanup(func() { os.RemoveAll(out) })
	r := attestDemo(t, out)
	keyBody := strings.Split(string(privatePEM), "\n")[1]
	if strings.Contains(r.stdout+r.stderr, keyBody) {
		t.Fatal("the signing key was printed")
	}
	if v := driftgate("verify", filepath.Join(out, "att.json"), "--key", pub); v.code != 0 {
		t.Errorf("env-signed attestation does not verify: %s", v.stderr)
	}
}

func TestRedactedAttestation(t *testing.T) {
	repoRoot(t)
	t.Setenv("DRIFTGATE_REDACT_KEY", "")
	if r := driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--attestation", filepath.Join(t.TempDir(), "a.json"), "--redact"); r.code != 2 ||
		!strings.Contains(r.stderr, "DRIFTGATE_REDACT_KEY") {
		t.Errorf("--redact without a key: exit %d %s", r.code, r.stderr)
	}
	t.Setenv("DRIFTGATE_REDACT_KEY", "test-redaction-key-0123456789")
	out := filepath.Join("out", "redact")
	t.Cleanup(func() { os.RemoveAll(out) })
	attestDemo(t, out, "--redact")
	data, _ := os.ReadFile(filepath.Join(out, "att.json"))
	if bytes.Contains(data, []byte("123456789012")) || !bytes.Contains(data, []byte(`"redacted":true`)) {
		t.Error("a redacted attestation still names the account")
	}
	// A redacted baseline compares like with like: nothing changed.
	r := driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--baseline", filepath.Join(out, "att.json"), "--json", filepath.Join(out, "b.json"))
	if r.code == 2 {
		t.Fatal(r.stderr)
	}
	rep, _ := os.ReadFile(filepath.Join(out, "b.json"))
	if bytes.Contains(rep, []byte(`"check": "baseline-change"`)) {
		t.Error("nothing changed, yet baseline-change fired against a redacted baseline")
	}
}

func TestBaselineReportsChangedAddedAndRemovedAlerts(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	out := filepath.Join("out", "baseline")
	t.Cleanup(func() { os.RemoveAll(out) })
	attestDemo(t, out)
	baseline := filepath.Join(out, "att.json")

	// The same state again: nothing diverged.
	same := filepath.Join(dir, "same.json")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--baseline", baseline, "--json", same)
	if data, _ := os.ReadFile(same); bytes.Contains(data, []byte(`"check": "baseline-change"`)) {
		t.Fatal("unchanged state reported as changed")
	}

	// The repository is unchanged; live CloudWatch moved: one alarm edited, one deleted, one created.
	data, _ := os.ReadFile("fixtures/demo/live.json")
	var snap map[string]any
	json.Unmarshal(data, &snap)
	region := snap["cloudwatch"].([]any)[0].(map[string]any)
	alarms := region["MetricAlarms"].([]any)
	edited := alarms[0].(map[string]any)
	edited["Threshold"] = 99.0
	removed := alarms[1].(map[string]any)["AlarmName"].(string)
	added := map[string]any{"AlarmName": "hand-made-cpu", "Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Threshold": 80.0,
		"ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, "Period": 60, "Statistic": "Average"}
	region["MetricAlarms"] = append([]any{alarms[0], added}, alarms[2:]...)
	data, _ = json.Marshal(snap)
	live := filepath.Join(dir, "live.json")
	os.WriteFile(live, data, 0o644)

	report := filepath.Join(dir, "changed.json")
	driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--live", live, "--baseline", baseline, "--json", report)
	data, _ = os.ReadFile(report)
	var doc struct {
		Findings []struct{ Check, Message string }
	}
	json.Unmarshal(data, &doc)
	var got []string
	for _, f := range doc.Findings {
		if f.Check == "baseline-change" {
			got = append(got, f.Message)
		}
	}
	want := []string{
		"live/123456789012/us-east-1/" + edited["AlarmName"].(string) + " changed since the audit",
		"live/123456789012/us-east-1/hand-made-cpu was added",
		"live/123456789012/us-east-1/" + removed + " was removed",
		"3 alert configuration(s) diverged since the audit recorded in out/baseline/att.json: 1 changed, 1 added, 1 removed",
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("missing %q in:\n%s", w, all)
		}
	}
	if len(got) != 4 {
		t.Errorf("%d baseline findings, want 4:\n%s", len(got), all)
	}
}

// Two subjects with one name leave it open which digest holds: refused.
func TestVerifyRefusesDuplicateSubjects(t *testing.T) {
	repoRoot(t)
	out := t.TempDir()
	attestDemo(t, out)
	data, _ := os.ReadFile(filepath.Join(out, "att.json"))
	var st map[string]any
	json.Unmarshal(data, &st)
	subjects := st["subject"].([]any)
	dup := map[string]any{}
	for k, v := range subjects[0].(map[string]any) {
		dup[k] = v
	}
	dup["digest"] = map[string]any{"sha256": strings.Repeat("0", 64), "blake3": strings.Repeat("0", 64)}
	st["subject"] = append(subjects, dup)
	data, _ = json.Marshal(st)
	forged := filepath.Join(out, "forged.json")
	os.WriteFile(forged, data, 0o644)
	if r := driftgate("verify", forged); r.code != 2 || !strings.Contains(r.stderr, "repeats the name") {
		t.Errorf("duplicate subjects: exit %d %s", r.code, r.stderr)
	}
}

// Every alert's checksum in the demo's attestation stays what it was: the
// canonical form may be computed differently, never to different digests.
func TestDemoAlertDigestsAreStable(t *testing.T) {
	pkg := repoRoot(t)
	out := filepath.Join(t.TempDir(), "att.json")
	if r := driftgate("check", "--quiet", "--config", "fixtures/demo/.driftgate.yml", "--attestation", out); r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	data, _ := os.ReadFile(out)
	var st struct {
		Predicate struct {
			Alerts map[string]string `json:"alerts"`
		} `json:"predicate"`
	}
	if err := json.Unmarshal(data, &st); err != nil || len(st.Predicate.Alerts) == 0 {
		t.Fatalf("no alerts in the attestation: %v", err)
	}
	got, _ := json.MarshalIndent(st.Predicate.Alerts, "", "  ")
	golden := filepath.Join(pkg, "testdata", "demo.alerts.golden.json")
	if *update {
		os.WriteFile(golden, append(got, '\n'), 0o644)
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(append(got, '\n')) != string(want) {
		t.Errorf("the demo's alert digests changed (rerun with -update only if the canonical form meant to change)")
	}
}
