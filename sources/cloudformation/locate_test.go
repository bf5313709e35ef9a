package cloudformation

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/internal/corpus"
)

// Every template in the corpus parses, and every resource gets a line.
func TestCorpusTemplatesLocateEveryResource(t *testing.T) {
	want := map[string]string{ // a resource each template must have
		"widdix-vpc-nat-gateway.yaml":       "EIP",
		"localstack-composite-alarm.yaml":   "HighResourceUsage",
		"cdk-composite-alarm.template.json": "Alarm1F9009D71",
	}
	for _, f := range corpus.Files(t, "cloudformation") {
		base := filepath.Base(f)
		t.Run(base, func(t *testing.T) {
			lines, err := Lines(f, base)
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) == 0 {
				t.Fatal("no resources found")
			}
			for id, line := range lines {
				if line <= 0 {
					t.Errorf("%s has no line", id)
				}
			}
			if id, ok := want[base]; ok {
				if _, found := lines[id]; !found {
					t.Errorf("%s not found in %v", id, lines)
				}
			}
		})
	}
}

func TestLinesInYAMLAndJSON(t *testing.T) {
	dir := t.TempDir()
	yml := "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  PageFast5m:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Threshold: !Ref Threshold\n  Topic:\n    Type: AWS::SNS::Topic\n"
	js := "{\n  \"Resources\": {\n    \"PageFast5m\": {\n      \"Type\": \"AWS::CloudWatch::Alarm\"\n    }\n  }\n}\n"
	os.WriteFile(filepath.Join(dir, "t.yaml"), []byte(yml), 0o644)
	os.WriteFile(filepath.Join(dir, "t.json"), []byte(js), 0o644)
	y, err := Lines(filepath.Join(dir, "t.yaml"), "t.yaml")
	if err != nil || y["PageFast5m"] != 3 || y["Topic"] != 7 {
		t.Errorf("yaml: %v %v", y, err)
	}
	j, err := Lines(filepath.Join(dir, "t.json"), "t.json")
	if err != nil || j["PageFast5m"] != 3 {
		t.Errorf("json: %v %v", j, err)
	}
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("Resources: [1, 2]\n"), 0o644)
	if _, err := Lines(filepath.Join(dir, "bad.yaml"), "bad.yaml"); !input.IsInputError(err) {
		t.Errorf("a bad template must be an input error: %v", err)
	}
}
