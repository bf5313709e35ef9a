package attest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/model"
)

// KeyPair returns PEM ed25519 private and public keys.
func keyPair(t *testing.T) (private, public []byte) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p8, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pkix, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix})
}

func sampleStatement(t *testing.T, dir string) ([]byte, []File) {
	t.Helper()
	files := []File{
		{Name: "plan.json", Path: filepath.Join(dir, "plan.json"), Role: "plan"},
		{Name: "report.json", Path: filepath.Join(dir, "report.json"), Role: "json-report"},
	}
	os.WriteFile(files[0].Path, []byte(`{"format_version":"1.2"}`), 0o644)
	os.WriteFile(files[1].Path, []byte(`{"summary":{"result":"pass"},"trace":[{"name":"plans","start":"2026-11-23T19:00:00Z"}]}`), 0o644)
	r := &checks.Result{Version: "v1.0.0", FailOn: checks.SeverityError, Checks: checks.All[:2]}
	w := &model.World{Live: &model.Live{Alarms: []*model.Alarm{{Name: "a", Source: model.SourceLive, Account: "123456789012", Region: "us-east-1",
		Threshold: model.Known(5.2), AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:page"}}}}}
	alerts, err := AlertDigests(w)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Build(r, alerts, files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st, files
}

// The statement is an in-toto Statement v1: _type, subjects with digests,
// predicateType and predicate, as canonical JSON.
func TestStatementShape(t *testing.T) {
	st, _ := sampleStatement(t, t.TempDir())
	var raw map[string]any
	if err := json.Unmarshal(st, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"_type", "subject", "predicateType", "predicate"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("statement lacks %s", k)
		}
	}
	parsed, err := Parse(st)
	if err != nil {
		t.Fatal(err)
	}
	if len(parsed.Subject) != 2 || parsed.Subject[0].Name != "plan.json" || parsed.Predicate.Alerts["live/123456789012/us-east-1/a"] == "" {
		t.Errorf("statement: %s", st)
	}
	again, err := Canonical(parsed)
	if err != nil || string(again) != string(st) {
		t.Errorf("statement is not canonical JSON")
	}
}

func TestParseListsEveryShapeProblem(t *testing.T) {
	_, err := Parse([]byte(`{"_type":"x","subject":[{"name":"","digest":{"sha256":"zz"}}],"predicateType":"y"}`))
	for _, want := range []string{`_type is "x"`, `predicateType is "y"`, "predicate is missing", "subject[0] has no name", "no valid sha256", "no valid blake3"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestTheReportDigestIgnoresItsTrace(t *testing.T) {
	a, err := Subject("r.json", "json-report", []byte(`{"b":1,"a":2,"trace":[{"start":"x"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Subject("r.json", "json-report", []byte(`{"a":2,"b":1,"trace":[{"start":"y"}]}`))
	c, _ := Subject("r.json", "json-report", []byte(`{"a":3,"b":1,"trace":[]}`))
	if a.Digest[AlgBLAKE3] != b.Digest[AlgBLAKE3] || a.Digest[AlgBLAKE3] == c.Digest[AlgBLAKE3] {
		t.Error("report digests must ignore the trace and key order, and nothing else")
	}
}

func TestVerifyFilesNamesTheMismatch(t *testing.T) {
	dir := t.TempDir()
	st, files := sampleStatement(t, dir)
	parsed, _ := Parse(st)
	t.Chdir(dir)
	if err := VerifyFiles(parsed, []string{"plan.json", "report.json"}); err != nil {
		t.Fatalf("untouched files: %v", err)
	}
	os.WriteFile(files[0].Path, []byte(`{"format_version":"1.3"}`), 0o644)
	err := VerifyFiles(parsed, []string{"plan.json", "other.json"})
	var mm *MismatchError
	var ns *NotSubjectError
	if !errors.As(err, &mm) || mm.File != "plan.json" || mm.Algorithm != AlgBLAKE3 || !errors.As(err, &ns) {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "plan.json: blake3 digest") || !strings.Contains(err.Error(), "plan.json: sha256 digest") {
		t.Errorf("both digests must be named: %v", err)
	}
}

func TestSignAndOpen(t *testing.T) {
	ctx := context.Background()
	st, _ := sampleStatement(t, t.TempDir())
	priv, pub := keyPair(t)
	env, err := Sign(ctx, st, priv)
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Signatures []struct{ KeyID string }
	}
	if json.Unmarshal(env, &e) != nil || len(e.Signatures) != 1 || e.Signatures[0].KeyID == "" {
		t.Errorf("envelope carries no key ID: %s", env)
	}
	got, signed, err := Open(ctx, env, pub)
	if err != nil || !signed || string(got) != string(st) {
		t.Fatalf("open: %v", err)
	}
	_, otherPub := keyPair(t)
	var sigErr *SignatureError
	if _, _, err := Open(ctx, env, otherPub); !errors.As(err, &sigErr) {
		t.Errorf("a wrong key must fail: %v", err)
	}
	tampered := strings.Replace(string(env), `"payload":"`, `"payload":"A`, 1)
	if _, _, err := Open(ctx, []byte(tampered), pub); err == nil {
		t.Error("a tampered payload must fail")
	}
	if _, _, err := Open(ctx, st, pub); !errors.Is(err, ErrUnsigned) {
		t.Errorf("a bare statement with a key must be unsigned: %v", err)
	}
	again, _ := Sign(ctx, st, priv)
	if string(again) != string(env) {
		t.Error("ed25519 signing is deterministic: the envelope must be byte-identical")
	}
}

func TestRedact(t *testing.T) {
	if _, err := NewRedactor([]byte("short")); err == nil {
		t.Error("a short key must be refused")
	}
	red, _ := NewRedactor([]byte("0123456789abcdef-key-one"))
	other, _ := NewRedactor([]byte("0123456789abcdef-key-two"))
	Redact := red.Redact
	in := "live/123456789012/us-east-1/slo-a arn:aws:sns:us-east-1:123456789012:page PXYZ123"
	out := Redact(in)
	if other.Redact(in) == out {
		t.Error("another key must give other hashes: the hash is keyed")
	}
	unkeyed := sha256.Sum256([]byte("123456789012"))
	if strings.Contains(out, hex.EncodeToString(unkeyed[:6])) {
		t.Error("the account's unkeyed hash appears: it can be brute-forced")
	}
	for _, secret := range []string{"123456789012", "arn:aws", "PXYZ123"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q survives redaction: %s", secret, out)
		}
	}
	if Redact(in) != out || !strings.Contains(out, "us-east-1/slo-a") {
		t.Errorf("redaction must be stable and keep the rest: %s", out)
	}
}

func TestAlertDigestsFollowTheConfiguration(t *testing.T) {
	a := &model.Alarm{Name: "x", Source: model.SourceLive, Threshold: model.Known(1), AlarmActions: []string{"b", "a"}}
	b := &model.Alarm{Name: "x", Source: model.SourceLive, Threshold: model.Known(1), AlarmActions: []string{"a", "b"}, Location: model.Location{File: "f"}}
	c := &model.Alarm{Name: "x", Source: model.SourceLive, Threshold: model.Known(2), AlarmActions: []string{"a", "b"}}
	d := func(x *model.Alarm) string {
		m, err := AlertDigests(&model.World{Live: &model.Live{Alarms: []*model.Alarm{x}}})
		if err != nil {
			t.Fatal(err)
		}
		return m[x.Identity()]
	}
	if d(a) != d(b) || d(a) == d(c) || !strings.HasPrefix(d(a), "blake3:") {
		t.Error("checksums must ignore action order and location, and follow the threshold")
	}
}

// A declared alarm written like its live alarm takes the live checksum; that
// must be the checksum it has on its own. Every alert's checksum is compared
// with one taken alone: declared alarms written like their live copy, written
// differently but meaning the same (actions in another order), and drifted.
func TestAlertDigestsSharedAreEachAlarmsOwn(t *testing.T) {
	live := func(name string, threshold float64, actions ...string) *model.Alarm {
		return &model.Alarm{Name: name, Source: model.SourceLive, Account: "1", Region: "r", Kind: model.KindMetric,
			Threshold: model.Known(threshold), AlarmActions: actions, Statistic: "Sum", Namespace: "N", MetricName: "M"}
	}
	declared := func(l *model.Alarm) *model.Alarm {
		d := *l
		d.Source, d.Address, d.Account, d.Region = model.SourceTerraform, "aws_cloudwatch_metric_alarm."+l.Name, "", ""
		d.AlarmActions = slices.Clone(l.AlarmActions)
		return &d
	}
	alike, reordered, drifted := live("alike", 1, "a"), live("reordered", 1, "a", "b"), live("drifted", 1, "a")
	w := &model.World{Live: &model.Live{Alarms: []*model.Alarm{alike, reordered, drifted, live("live-only", 3)}}}
	r, d := declared(reordered), declared(drifted)
	r.AlarmActions = []string{"b", "a"}
	d.Threshold = model.Known(2)
	w.Declared = []*model.Alarm{declared(alike), r, d, {Name: "declared-only", Source: model.SourceTerraform, Address: "x.y", Threshold: model.Known(5)}}
	sums, err := AlertDigests(w)
	if err != nil {
		t.Fatal(err)
	}
	alone := func(a *model.Alarm) string {
		c := a.Canonical()
		b, err := appendAlarm(nil, &c)
		if err != nil {
			t.Fatal(err)
		}
		return "blake3:" + BLAKE3(b)
	}
	for _, a := range append(slices.Clone(w.Declared), w.Live.Alarms...) {
		if got, want := sums[a.Identity()], alone(a); got != want {
			t.Errorf("%s: %s, alone %s", a.Identity(), got, want)
		}
	}
	if len(sums) != 8 || sums[w.Declared[0].Identity()] != sums[alike.Identity()] || sums[d.Identity()] == sums[drifted.Identity()] {
		t.Errorf("checksums %v", sums)
	}
}

// The one-pass writer gives the bytes the general path gives (marshal, then
// RFC 8785), for every shape an alarm takes and for hostile strings.
func TestTheOnePassCanonicalFormIsRFC8785(t *testing.T) {
	alarms := []*model.Alarm{
		{Name: "m", Kind: model.KindMetric, Threshold: model.Known(4.8), Operator: "GreaterThanThreshold", Period: 300, EvaluationPeriods: 3,
			DatapointsToAlarm: 2, Statistic: "Sum", Namespace: "Acme/Checkout", MetricName: "Errors",
			Dimensions: []model.Dimension{{Name: "TenantId", Value: "7c3f2e"}, {Name: "A", Value: "b"}}, ActionsEnabled: true,
			AlarmActions: []string{"arn:b", "arn:a"}, OKActions: []string{}},
		{Name: "math \"quoted\" <tag> & \u2028 \x01 ünï \xff", Kind: model.KindMetricMath, Threshold: model.Known(1e21),
			Metrics: []model.MetricQuery{{ID: "r", Expression: "100*e/q", ReturnData: true}, {ID: "e", Namespace: "N", MetricName: "E", Stat: "p99.9", Period: 60,
				Dimensions: []model.Dimension{{Name: "k", Value: "v\n"}}}}},
		{Name: "c", Kind: model.KindComposite, AlarmRule: `alarm(a) and ok("b")`, InsufficientData: []string{"x"}, Threshold: model.Known(0.000001)},
		{Name: "", Kind: model.KindMetric, Threshold: model.Known(-0.5)},
	}
	for _, a := range alarms {
		want, err := Canonical(a.Canonical())
		if err != nil {
			t.Fatal(err)
		}
		c := a.Canonical()
		got, err := appendAlarm(nil, &c)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("alarm %q:\n one pass %s\n general  %s", a.Name, got, want)
		}
	}
}

// The statement with its alert checksums written in one pass is the bytes
// the general path gives, whatever the alerts' names: sorted by UTF-16 code
// units (a non-BMP name sorts before U+FFFD-range ones, unlike byte order),
// escaped as RFC 8785 escapes.
func TestTheStatementIsRFC8785(t *testing.T) {
	alerts := map[string]string{"live/1/us-east-1/b": "blake3:01", "live/1/us-east-1/a": "blake3:02", "declared/x/\U0001F600": "blake3:03",
		"declared/x/\uFB01": "blake3:04", "declared/x/\"q\"\n\u2028": "blake3:05", "declared/x/é": "blake3:06", "": "blake3:07",
		"\"lead\x7f<&>\ttrail\\": "blake3:09"}
	// Names only of the Basic Multilingual Plane sort by their bytes; a
	// name beyond it, or not UTF-8, sends the whole set through UTF-16.
	bmp := maps.Clone(alerts)
	delete(bmp, "declared/x/\U0001F600")
	invalid := maps.Clone(bmp)
	invalid["declared/x/\x80"] = "blake3:08" // read as U+FFFD: after é in UTF-16, before it in bytes
	for _, a := range []map[string]string{alerts, bmp, invalid, {}, nil} {
		st := Statement{Type: StatementType, PredicateType: PredicateType, Subject: []ResourceDescriptor{{Name: "plan.json", Digest: map[string]string{"sha256": "ab"}}},
			Predicate: Predicate{Tool: Tool{Name: "driftgate"}, Result: "fail", Alerts: a, ByTenant: map[string]map[string]int{`x"predicate`: {"error": 1}}}}
		want, err := Canonical(st)
		if err != nil {
			t.Fatal(err)
		}
		got, err := canonicalStatement(st)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("one pass:\n%s\ngeneral:\n%s", got, want)
		}
	}
}

// quotedLen is the length appendString writes, escapes and replaced bytes
// included: the statement's buffer is sized with it, once.
func TestQuotedLenIsTheLengthAppendStringWrites(t *testing.T) {
	for _, s := range []string{"", "plain", `module.tenant["7c3f2e"].aws_cloudwatch_metric_alarm.x`, "back\\slash", "\b\f\n\r\t",
		"\x00\x01\x1f", "ünï \u2028 \U0001F600", "\xff\x80 bad", "\xe2\x82"} {
		if got, want := quotedLen(s), len(appendString(nil, s)); got != want {
			t.Errorf("quotedLen(%q) = %d, appendString writes %d", s, got, want)
		}
	}
	alerts := map[string]string{}
	for i := range 100 {
		alerts[fmt.Sprintf(`declared/module.tenant["%06d"].a`, i)] = "blake3:00"
	}
	st := Statement{Type: StatementType, PredicateType: PredicateType, Predicate: Predicate{Alerts: alerts}}
	out, err := canonicalStatement(st)
	if err != nil {
		t.Fatal(err)
	}
	if cap(out) > len(out)+16 { // a comma, and the "null" the alerts replace
		t.Errorf("the statement's buffer was %d bytes for %d written: its size was not computed", cap(out), len(out))
	}
}

// A file's digests, each read a buffer at a time into its hash, are the
// digests of its whole content, at every size around the buffers' edges.
func TestAFileIsDigestedAsItsWholeContent(t *testing.T) {
	dir := t.TempDir()
	data := make([]byte, 3*readBuffer+7)
	for i := range data {
		data[i] = byte(i*7 + i>>11)
	}
	for _, n := range []int{0, 1, readBuffer - 1, readBuffer, readBuffer + 1, 2 * readBuffer, 3*readBuffer + 7} {
		path := filepath.Join(dir, fmt.Sprintf("f%d", n))
		if err := os.WriteFile(path, data[:n], 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := subjectOfFile("f", "plan", path)
		if err != nil {
			t.Fatal(err)
		}
		if want := Digests(data[:n]); !maps.Equal(got.Digest, want) {
			t.Errorf("%d bytes: digests %v, want %v", n, got.Digest, want)
		}
	}
}
