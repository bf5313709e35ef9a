package remedy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/model"
)

const mainTF = `# Alarms of the shared checkout service.
resource "aws_cloudwatch_metric_alarm" "fast" {
  alarm_name = "checkout-fast" # paged by the on-call
  threshold  = 4.5             # keep in step with the SLO
  period     = 300
}

resource "aws_cloudwatch_metric_alarm" "slow" {
  alarm_name = "checkout-slow"
  threshold  = var.slow_threshold
}

resource "aws_cloudwatch_metric_alarm" "tenant" {
  for_each   = var.tenants
  alarm_name = "checkout-${each.key}"
  threshold  = each.value.threshold
}
`

const templateYAML = `Resources:
  Fast:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: checkout-fast   # paged
      Threshold: '4.5'
      EvaluationPeriods: 1
  Plain:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Threshold: 4.5
  FromParameter:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Threshold: !Ref PageThreshold
`

const templateJSON = `{
  "Resources": {
    "Fast": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Threshold": 4.5, "EvaluationPeriods": 1}}
  }
}
`

func fix(source model.Source, file, resource string, v float64) checks.Finding {
	return checks.Finding{Check: "burn-factor-mismatch", Fix: &checks.Fix{Source: source, File: file, Resource: resource, Attribute: "threshold", Value: v}}
}

func files(t *testing.T, contents map[string]string) (string, func(string) ([]byte, error)) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range contents {
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	return dir, func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, p)) }
}

// gitApply applies a patch in dir as a reviewer would and returns the files.
func gitApply(t *testing.T, dir string, patch []byte) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fixes.patch")
	os.WriteFile(p, patch, 0o644)
	cmd := exec.Command("git", "apply", "--unsafe-paths", p)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply refuses the patch: %v\n%s\n%s", err, out, patch)
	}
}

func read(t *testing.T, dir, name string) string {
	data, _ := os.ReadFile(filepath.Join(dir, name))
	return string(data)
}

func TestTerraformLiteralsAreEditedInPlace(t *testing.T) {
	dir, reader := files(t, map[string]string{"main.tf": mainTF})
	fs := []checks.Finding{
		fix(model.SourceTerraform, "main.tf", "aws_cloudwatch_metric_alarm.fast", 4.8),
		fix(model.SourceTerraform, "main.tf", "aws_cloudwatch_metric_alarm.fast", 4.8), // another check, same fix
		fix(model.SourceTerraform, "main.tf", "aws_cloudwatch_metric_alarm.slow", 1.2),
		fix(model.SourceTerraform, "main.tf", `aws_cloudwatch_metric_alarm.tenant["7c3f2e"]`, 4.8),
		fix(model.SourceTerraform, "main.tf", `module.t["a"].aws_cloudwatch_metric_alarm.fast`, 4.8),
	}
	patch := Apply(fs, reader)
	gitApply(t, dir, patch)
	want := strings.Replace(mainTF, "threshold  = 4.5             # keep in step with the SLO", "threshold  = 4.8             # keep in step with the SLO", 1)
	if got := read(t, dir, "main.tf"); got != want {
		t.Errorf("the edit must change the literal only, comments and alignment kept:\n%s", got)
	}
	if r := fs[0].Remedy; r == nil || r.Patch == "" || len(r.Replacements) != 1 || r.Replacements[0].Line != 4 ||
		r.Replacements[0].Text != "  threshold  = 4.8             # keep in step with the SLO" || r.Replacements[0].EndColumn != len("  threshold  = 4.5             # keep in step with the SLO")+1 {
		t.Errorf("remedy %+v", fs[0].Remedy)
	}
	if fs[1].Remedy == nil || fs[1].Remedy.Patch != fs[0].Remedy.Patch || strings.Count(string(patch), "+  threshold") != 1 {
		t.Error("two findings with one fix share one edit")
	}
	for i, want := range map[int]string{
		2: "threshold is `var.slow_threshold` at main.tf:10; the value comes from var.slow_threshold",
		3: "threshold is `each.value.threshold` at main.tf:16, in a block repeated by for_each (main.tf:14): set it where this instance's value is chosen; the value comes from each.value",
		4: "shared by every instance of module.t",
	} {
		if r := fs[i].Remedy; r == nil || r.Patch != "" || !strings.Contains(r.Manual, want) || !strings.HasPrefix(r.Manual, "manual: set threshold of ") {
			t.Errorf("finding %d: %+v, want manual %q", i, r, want)
		}
	}
}

func TestCloudFormationValuesKeepTheirStyle(t *testing.T) {
	dir, reader := files(t, map[string]string{"alarms.yaml": templateYAML, "alarms.json": templateJSON})
	fs := []checks.Finding{
		fix(model.SourceCloudFormation, "alarms.yaml", "Fast", 4.8),
		fix(model.SourceCloudFormation, "alarms.yaml", "Plain", 4.8),
		fix(model.SourceCloudFormation, "alarms.yaml", "FromParameter", 4.8),
		fix(model.SourceCloudFormation, "alarms.json", "Fast", 4.8),
		fix(model.SourceCloudFormation, "alarms.yaml", "Missing", 4.8),
	}
	gitApply(t, dir, Apply(fs, reader))
	want := strings.Replace(strings.Replace(templateYAML, "Threshold: '4.5'", "Threshold: '4.8'", 1), "Threshold: 4.5\n", "Threshold: 4.8\n", 1)
	if got := read(t, dir, "alarms.yaml"); got != want {
		t.Errorf("YAML:\n%s", got)
	}
	if got := read(t, dir, "alarms.json"); got != strings.Replace(templateJSON, `"Threshold": 4.5,`, `"Threshold": 4.8,`, 1) {
		t.Errorf("JSON:\n%s", got)
	}
	if r := fs[2].Remedy; r == nil || !strings.Contains(r.Manual, "Threshold is `!Ref PageThreshold` at alarms.yaml:15: set it where that value comes from") {
		t.Errorf("a parameter: %+v", r)
	}
	if r := fs[4].Remedy; r == nil || !strings.Contains(r.Manual, "no resource Missing in alarms.yaml") {
		t.Errorf("a missing resource: %+v", r)
	}
}

func TestDisagreeingFixesAreLeftToAPerson(t *testing.T) {
	_, reader := files(t, map[string]string{"alarms.yaml": templateYAML})
	fs := []checks.Finding{
		fix(model.SourceCloudFormation, "alarms.yaml", "Fast", 4.8),
		fix(model.SourceCloudFormation, "alarms.yaml", "Fast", 5.2),
	}
	if patch := Apply(fs, reader); len(patch) != 0 {
		t.Errorf("no patch for a disputed value:\n%s", patch)
	}
	for _, f := range fs {
		if f.Remedy == nil || !strings.Contains(f.Remedy.Manual, "findings disagree on the value of threshold of Fast") {
			t.Errorf("%+v", f.Remedy)
		}
	}
}

func TestUnreadableSourcesAreManual(t *testing.T) {
	_, reader := files(t, nil)
	fs := []checks.Finding{fix(model.SourceTerraform, "gone.tf", "aws_cloudwatch_metric_alarm.fast", 4.8), {Check: "no-fix"}}
	if patch := Apply(fs, reader); len(patch) != 0 || fs[0].Remedy == nil || !strings.Contains(fs[0].Remedy.Manual, "gone.tf could not be read") || fs[1].Remedy != nil {
		t.Errorf("%s %+v %+v", patch, fs[0].Remedy, fs[1].Remedy)
	}
}

// Thousands of findings on one module file read it once (a run of the
// 500-tenant org went from 1.24 s to 0.71 s when the file stopped being
// parsed once a finding); findings on one value share one remedy.
func TestEachFileIsReadOnce(t *testing.T) {
	reads := map[string]int{}
	read := func(p string) ([]byte, error) {
		reads[p]++
		return []byte(mainTF), nil
	}
	var findings []checks.Finding
	for range 50 {
		findings = append(findings, fix(model.SourceTerraform, "main.tf", "aws_cloudwatch_metric_alarm.fast", 4.8))
		d := &model.Alarm{Name: "checkout-fast", Source: model.SourceTerraform, Address: "aws_cloudwatch_metric_alarm.fast",
			Location: model.Location{File: "main.tf", Line: 2}, Threshold: model.Known(4.5)}
		l := *d
		l.Source, l.Region, l.Threshold = model.SourceLive, "us-east-1", model.Known(5.2)
		findings = append(findings, checks.Finding{Check: "alarm-drift", Attribute: "threshold", Revert: &checks.Revert{Declared: d, Live: &l, LiveValue: "5.2"}})
	}
	patch := Apply(findings, read)
	if reads["main.tf"] != 1 || !strings.Contains(string(patch), "+  threshold  = 4.8") {
		t.Errorf("read %v times; patch:\n%s", reads, patch)
	}
	if f := findings[98]; f.Remedy == nil || f.Remedy.Patch == "" || findings[1].Remedy.Adopt != "adopt: set threshold of aws_cloudwatch_metric_alarm.fast to 5.2 (main.tf:4)" {
		t.Errorf("%+v %+v", f.Remedy, findings[1].Remedy)
	}
}
