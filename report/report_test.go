package report

import (
	"unicode/utf8"

	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	gmhtml "github.com/yuin/goldmark/renderer/html"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/internal/corpus"
	"github.com/driftgate/driftgate/model"
)

// hostile is user-controlled text as it may arrive in an alarm name or tag.
const hostile = "slo-<script>alert(1)</script>-@octocat-**bold**-[x](http://evil)|pipe`tick`"

func sampleResult() *checks.Result {
	return &checks.Result{
		Version: "v0.0.0-test", FailOn: checks.SeverityError, Checks: checks.All,
		Findings: []checks.Finding{
			{Check: "alarm-drift", Severity: checks.SeverityError, Tenant: "7c3f2e", Subject: "module.t.aws_cloudwatch_metric_alarm.fast",
				Message:  "alarm slo-7c3f2e-availability-page-fast-5m: live threshold 5.2 differs from declared 4.8 (drift 8.33%, tolerance 0.00%)",
				Location: model.Location{File: "terraform/modules/t/main.tf", Line: 72}, Fingerprint: "aa11", Evidence: map[string]string{"drift": "8.33%"}},
			{Check: "unmanaged-alarm", Severity: checks.SeverityWarning, Tenant: "9f8e7d", Subject: hostile,
				Message: "alarm " + hostile + " is live in managed namespace Acme/Checkout but declared nowhere", Location: model.Location{File: ".driftgate.yml"}, Fingerprint: "bb22"},
			{Check: "incomplete-input", Severity: checks.SeverityWarning, Subject: "cloudwatch 1/us-east-1", Message: "live cloudwatch could not be read", Fingerprint: "cc33"},
		},
		Inconclusive: []string{"live cloudwatch 1/us-east-1 could not be read completely: AccessDenied"},
		Skipped:      []string{"pagerduty: no token"},
	}
}

func render(t *testing.T, f Format, r *checks.Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.Write(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	schemaFile := filepath.Join(corpus.Dir(t), "sarif", "sarif-schema-2.1.0.json")
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*checks.Result{"findings": sampleResult(), "clean": {Version: "v1", FailOn: checks.SeverityError, Checks: checks.All}} {
		out := render(t, SARIF{}, r)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%s: SARIF does not validate: %v", name, err)
		}
	}
}

func TestSARIFMeetsCodeScanningRules(t *testing.T) {
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string         `json:"id"`
						Help       map[string]any `json:"help"`
						HelpURI    string         `json:"helpUri"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			AutomationDetails struct{ ID string } `json:"automationDetails"`
			Invocations       []struct {
				ExecutionSuccessful bool  `json:"executionSuccessful"`
				Notifications       []any `json:"toolExecutionNotifications"`
			} `json:"invocations"`
			Results []struct {
				RuleID              string            `json:"ruleId"`
				RuleIndex           *int              `json:"ruleIndex"`
				Locations           []json.RawMessage `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, SARIF{}, sampleResult()), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	run := doc.Runs[0]
	if run.AutomationDetails.ID != "driftgate/" {
		t.Errorf("automationDetails.id = %q", run.AutomationDetails.ID)
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.Help["markdown"] == "" || rule.HelpURI == "" {
			t.Errorf("rule %s lacks help or helpUri", rule.ID)
		}
		// Drift is not a security vulnerability: a security-severity would
		// file every finding as a High security alert in code scanning.
		if rule.Properties["security-severity"] != nil {
			t.Errorf("rule %s has a security-severity", rule.ID)
		}
	}
	for _, res := range run.Results {
		if len(res.Locations) != 1 || res.PartialFingerprints[FingerprintKey] == "" || res.RuleIndex == nil {
			t.Errorf("result %s lacks a location, fingerprint or rule index", res.RuleID)
		}
		if !strings.Contains(string(res.Locations[0]), `"startLine"`) {
			t.Errorf("result %s has no start line: %s", res.RuleID, res.Locations[0])
		}
		if run.Tool.Driver.Rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("ruleIndex of %s points at %s", res.RuleID, run.Tool.Driver.Rules[*res.RuleIndex].ID)
		}
	}
	if inv := run.Invocations; len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].Notifications) != 2 {
		t.Errorf("an inconclusive run must say so in its invocation: %+v", inv)
	}
}

func TestMarkdownEscapesUserText(t *testing.T) {
	out := string(render(t, Markdown{Marker: "driftgate:sticky"}, sampleResult()))
	for _, bad := range []string{"<script>", "@octocat", "**bold**", "[x](http://evil)", "`tick`"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains unescaped %q", bad)
		}
	}
	for _, want := range []string{"<!-- driftgate:sticky -->", "could not be read completely", "❌ fail", "7c3f2e 1E 0W 0N", "<details>", "8.33%",
		"### What blocks the merge", "1. **alarm-drift** · tenant 7c3f2e · `terraform/modules/t/main.tf:72`"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

func TestMarkdownForACleanRun(t *testing.T) {
	out := string(render(t, Markdown{}, &checks.Result{Version: "v1", FailOn: checks.SeverityError}))
	if !strings.Contains(out, "✅ pass") || !strings.Contains(out, "No findings.") {
		t.Errorf("clean run: %s", out)
	}
}

func TestJSONReportShape(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(render(t, JSON{}, sampleResult()), &doc); err != nil {
		t.Fatal(err)
	}
	summary := doc["summary"].(map[string]any)
	if summary["result"] != "fail" || summary["exit_code"].(float64) != 1 {
		t.Errorf("summary: %v", summary)
	}
	counts := summary["counts"].(map[string]any)
	if counts["error"].(float64) != 1 || counts["warning"].(float64) != 2 || counts["note"].(float64) != 0 {
		t.Errorf("counts: %v", counts)
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"check", "severity", "tenant", "subject", "message", "location", "fingerprint"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
}

func TestTextGroupsByTenant(t *testing.T) {
	out := string(render(t, Text{}, sampleResult()))
	for _, want := range []string{"FAIL", "tenant 7c3f2e (1 error, 0 warning, 0 note)", "tenant (no tenant)", "inconclusive: live cloudwatch"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

func TestTextStripsControlCharacters(t *testing.T) {
	r := sampleResult()
	r.Findings[0].Message = "alarm \x1b[31mred\x1b[0m\rover"
	out := string(render(t, Text{}, r))
	if strings.ContainsAny(out, "\x1b\r") {
		t.Errorf("terminal output carries control characters: %q", out)
	}
}

func TestMarkdownStaysUnderItsCapCuttingTheLeastSevereFirst(t *testing.T) {
	r := &checks.Result{Version: "v1", FailOn: checks.SeverityError}
	for i := range 400 {
		sev := []checks.Severity{checks.SeverityError, checks.SeverityWarning, checks.SeverityNote}[i%3]
		r.Findings = append(r.Findings, checks.Finding{Check: "alarm-drift", Severity: sev, Tenant: "t",
			Subject: strings.Repeat("s", 20), Message: fmt.Sprintf("finding %03d %s", i, strings.Repeat("m", 200))})
	}
	checks.SortFindings(r.Findings)
	out := string(render(t, Markdown{Marker: "m", MaxBytes: 65536, FullReport: "the driftgate-report artifact"}, r))
	if len(out) > 65536 {
		t.Fatalf("%d bytes, over the cap", len(out))
	}
	if !strings.Contains(out, "less severe finding(s) left out") || !strings.Contains(out, "the driftgate-report artifact") {
		t.Error("the cut must be said, with where the full report is")
	}
	// Every error keeps its line; the cut takes every note, then warnings.
	errs, warns := strings.Count(out, "- **error** "), strings.Count(out, "- **warning** ")
	if errs != 134 || warns == 0 || warns == 133 || strings.Contains(out, "- **note** ") {
		t.Errorf("errors kept %d of 134, warnings %d of 133, notes present %v", errs, warns, strings.Contains(out, "- **note** "))
	}
	if full := string(render(t, Markdown{}, r)); len(full) <= 65536 || strings.Contains(full, "left out") {
		t.Error("without a cap nothing is left out")
	}
}

// The comment as GitHub renders it (CommonMark, as goldmark implements it,
// with raw HTML allowed as GitHub allows <details>): no stray backslash from
// an escape inside an HTML block, no tag that user text opened or broke, and
// the user's text shown as text.
func TestMarkdownRendersCleanlyAsCommonMark(t *testing.T) {
	r := sampleResult()
	r.Findings[0].Subject = "pagerduty_escalation_policy.checkout_slow[\"a*b\"]"
	r.Findings[0].Message = "pagerduty_escalation_policy.checkout_slow: <b>delays</b> **15m** `x` @octocat"
	src := render(t, Markdown{Marker: "driftgate:sticky", LinkBase: "https://github.com/o/r/blob/abc/"}, r)
	var out bytes.Buffer
	md := goldmark.New(goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	if err := md.Convert(src, &out); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	if strings.Contains(page, `\_`) || strings.Contains(page, `\*`) || strings.Contains(page, "\\`") {
		t.Errorf("a backslash escape shows through:\n%s", page)
	}
	if strings.Contains(page, "<b>delays</b>") || strings.Contains(page, "<strong>15m</strong>") || strings.Contains(page, "<code>x</code>") {
		t.Error("user text became markup")
	}
	if !strings.Contains(page, "pagerduty_escalation_policy.checkout_slow") {
		t.Error("the escaped name must read as itself once rendered")
	}
	if strings.Count(page, "<details>") != strings.Count(page, "</details>") || strings.Count(page, "<summary>") != strings.Count(page, "</summary>") {
		t.Error("unbalanced <details> or <summary>")
	}
	if !strings.Contains(page, `href="https://github.com/o/r/blob/abc/terraform/modules/t/main.tf#L72"`) {
		t.Errorf("the blocker must link to its line at the head commit:\n%s", page)
	}
}

// 9,000 findings still make a comment under GitHub's limit, most severe first.
func TestMarkdownAtNineThousandFindings(t *testing.T) {
	r := &checks.Result{Version: "v1", FailOn: checks.SeverityError}
	for i := range 9000 {
		sev := []checks.Severity{checks.SeverityError, checks.SeverityWarning, checks.SeverityNote}[i%3]
		r.Findings = append(r.Findings, checks.Finding{Check: []string{"alarm-drift", "threshold-parity", "dead-alarm"}[i%3], Severity: sev,
			Tenant: fmt.Sprintf("t%04d", i/18), Subject: fmt.Sprintf("alarm-%d", i), Message: fmt.Sprintf("alarm %d: live threshold 5.2 differs from declared 4.8", i),
			Location: model.Location{File: "main.tf", Line: 10 + i}})
	}
	checks.SortFindings(r.Findings)
	out := string(render(t, Markdown{Marker: "m", MaxBytes: 65536, FullReport: "the artifact"}, r))
	if utf8.RuneCountInString(out) > 65536 {
		t.Fatalf("%d characters", utf8.RuneCountInString(out))
	}
	if !strings.Contains(out, "### What blocks the merge") || strings.Count(out, "- **error** ") == 0 || strings.Contains(out, "- **note** ") {
		t.Error("the most severe must come first and survive the cut")
	}
}
