package aws

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/internal/sandbox"
	"github.com/driftgate/driftgate/live/snapshot"
)

func s(v string) *string { return &v }

// registry is a table of n tenants' SLOs in us-east-1.
func registry(n int) *snapshot.Snapshot {
	t := snapshot.RegistryTable{Table: "SloRegistry", Region: "us-east-1", Complete: true}
	for i := range n {
		t.Items = append(t.Items, map[string]snapshot.AttributeValue{
			"tenant_id": {S: s(fmt.Sprintf("t%03d", i))}, "service": {S: s("checkout")}, "objective": {N: s("99.9")},
			"tiers": {L: []snapshot.AttributeValue{{M: map[string]snapshot.AttributeValue{
				"name": {S: s("fast")}, "long_window": {S: s("1h")}, "short_window": {S: s("5m")}, "burn_factor": {N: s("14.4")}}}}},
			"paused": {BOOL: b(false)}, "labels": {SS: []string{"gold"}},
		})
	}
	return &snapshot.Snapshot{Version: 1, SLORegistry: []snapshot.RegistryTable{t}}
}

func TestTheRegistryIsScannedEveryPage(t *testing.T) {
	sb := sandbox.Start(registry(40))
	defer sb.Close()
	sb.ScanPageBytes = 2000 // a few items a page, as 1 MB pages are for a large table
	sb.Faults.Throttle = 1
	sandboxEnv(t, sb.URL)
	got := ReadRegistry(context.Background(), RegistryTarget{Table: "SloRegistry", Region: "us-east-1", Rate: 1000})
	if !got.Complete {
		t.Fatalf("incomplete: %s", got.Error)
	}
	if len(got.Items) != 40 {
		t.Fatalf("read %d items, want 40", len(got.Items))
	}
	seen := map[string]bool{}
	for _, item := range got.Items {
		seen[*item["tenant_id"].S] = true
	}
	if len(seen) != 40 {
		t.Errorf("%d distinct tenants: pages overlap or skip", len(seen))
	}
	first := got.Items[0]
	if tier := first["tiers"].L[0].M; *tier["burn_factor"].N != "14.4" || *tier["long_window"].S != "1h" || *first["paused"].BOOL || first["labels"].SS[0] != "gold" {
		t.Errorf("typed values lost: %+v", first)
	}
	if calls := sb.Calls()["Scan"]; calls < 6 {
		t.Errorf("%d Scan calls: the table should take several pages plus a throttled retry", calls)
	}
}

func TestAMissingOrFailingRegistryIsIncomplete(t *testing.T) {
	for name, setup := range map[string]func(*sandbox.Server) string{
		"missing table": func(*sandbox.Server) string { return "ResourceNotFoundException" },
		"failing pages": func(sb *sandbox.Server) string {
			sb.ScanPageBytes = 2000
			sb.Faults.DropAfter = map[string]int{"Scan": 2}
			return "Scan"
		},
		"throttled past retries": func(sb *sandbox.Server) string {
			sb.Faults.ThrottleOps = map[string]bool{"Scan": true}
			return "Throttling"
		},
		"wrong account": func(sb *sandbox.Server) string {
			sb.Faults.CallerAccount = "999999999999"
			return "credentials are for account 999999999999, not 123456789012"
		},
	} {
		t.Run(name, func(t *testing.T) {
			sb := sandbox.Start(registry(40))
			defer sb.Close()
			sb.Faults.CallerAccount = "123456789012"
			want := setup(sb)
			sandboxEnv(t, sb.URL)
			table := "SloRegistry"
			if name == "missing table" {
				table = "SloRegistryy"
			}
			got := ReadRegistry(context.Background(), RegistryTarget{Table: table, Region: "us-east-1", Account: "123456789012", MaxAttempts: 2, Rate: 1000})
			if got.Complete || got.Items != nil || !strings.Contains(got.Error, want) {
				t.Errorf("complete=%v items=%d error %q, want incomplete with no items naming %q", got.Complete, len(got.Items), got.Error, want)
			}
		})
	}
}
