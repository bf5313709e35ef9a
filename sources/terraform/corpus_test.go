package terraform

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/driftgate/driftgate/internal/corpus"
)

// Every real plan in the corpus loads, agrees with terraform-json's full
// decoder on every resource change, and carries no drift.
func TestCorpusPlansLoadLikeTerraformJSON(t *testing.T) {
	for _, file := range corpus.Files(t, "terraform") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			got, err := Load(file, Options{})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want tfjson.Plan
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatalf("terraform-json: %v", err)
			}
			var wantAddrs []string
			for _, rc := range want.ResourceChanges {
				if rc.Mode != tfjson.DataResourceMode {
					wantAddrs = append(wantAddrs, rc.Address)
				}
			}
			var gotAddrs []string
			for a := range got.Locations {
				gotAddrs = append(gotAddrs, a)
			}
			slices.Sort(wantAddrs)
			slices.Sort(gotAddrs)
			if !slices.Equal(gotAddrs, wantAddrs) {
				t.Errorf("addresses:\n got %v\nwant %v", gotAddrs, wantAddrs)
			}
			if got.Plan.FormatVersion != want.FormatVersion {
				t.Errorf("format version %q, want %q", got.Plan.FormatVersion, want.FormatVersion)
			}
			if len(got.Drifts) != 0 || got.Plan.HasDrift {
				t.Errorf("no-drift plan gave %d drifts", len(got.Drifts))
			}
			if !got.Plan.Complete {
				t.Errorf("complete plan recorded as partial")
			}
		})
	}
}

func TestCorpusAlarmPlanMapsAlarms(t *testing.T) {
	got, err := Load(filepath.Join(corpus.Dir(t), "terraform", "tfc-cloudwatch-alarm-foreach.plan.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Alarms) == 0 {
		t.Fatal("no alarms mapped")
	}
	for _, a := range got.Alarms {
		if a.Name == "" || a.Action != "create" || !a.Threshold.Known || a.EvaluationPeriods == 0 {
			t.Errorf("alarm %s mapped badly: %+v", a.Address, a)
		}
	}
}
