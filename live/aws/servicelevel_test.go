package aws

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/internal/sandbox"
	"github.com/driftgate/driftgate/live/snapshot"
)

// withServiceSLOs adds n Application Signals SLOs to us-east-1, the first
// with a 90% goal and 5m and 1h burn rates, and a name that needs escaping.
func withServiceSLOs(n int) *snapshot.Snapshot {
	s := world()
	r := snapshot.ServiceSLORegion{Account: "123456789012", Region: "us-east-1", Complete: true}
	for i := range n {
		name := fmt.Sprintf("slo-%03d", i)
		if i == 0 {
			name = "checkout availability.v2"
		}
		o := snapshot.ServiceLevelObj{Arn: "arn:aws:application-signals:us-east-1:123456789012:slo/" + name, Name: name,
			Goal: snapshot.SLOGoal{AttainmentGoal: 99.9, Interval: &snapshot.SLOInterval{RollingInterval: &snapshot.SLOIntervalLength{Duration: 28, DurationUnit: "DAY"}}}}
		if i == 0 {
			o.Goal = snapshot.SLOGoal{AttainmentGoal: 90, Interval: &snapshot.SLOInterval{CalendarInterval: &snapshot.SLOIntervalLength{Duration: 1, DurationUnit: "MONTH"}}}
			o.BurnRateConfigurations = []snapshot.BurnRateConfig{{LookBackWindowMinutes: 5}, {LookBackWindowMinutes: 60}}
		}
		r.SLOs = append(r.SLOs, o)
	}
	s.ApplicationSignals = []snapshot.ServiceSLORegion{r}
	return s
}

func TestServiceSLOsAreListedEveryPageAndGotEach(t *testing.T) {
	sb := sandbox.Start(withServiceSLOs(120))
	defer sb.Close()
	sb.Faults.Throttle = 1 // the first call of each operation is throttled, then retried
	sandboxEnv(t, sb.URL)
	opts := Options{Targets: target("us-east-1", "eu-west-1"), Sweep: true, ServiceSLOs: true,
		Rates: map[string]float64{"GetServiceLevelObjective": 1000}}
	snap, err := Read(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.ApplicationSignals) != 2 {
		t.Fatalf("%+v", snap.ApplicationSignals)
	}
	west, east := snap.ApplicationSignals[0], snap.ApplicationSignals[1]
	if !east.Complete || len(east.SLOs) != 120 || !west.Complete || len(west.SLOs) != 0 {
		t.Fatalf("east complete=%v %d SLOs %s; west complete=%v %d", east.Complete, len(east.SLOs), east.Error, west.Complete, len(west.SLOs))
	}
	c := east.SLOs[0]
	if c.Name != "checkout availability.v2" || c.Goal.AttainmentGoal != 90 || c.Goal.Interval.CalendarInterval == nil ||
		c.Goal.Interval.CalendarInterval.DurationUnit != "MONTH" || len(c.BurnRateConfigurations) != 2 || c.BurnRateConfigurations[1].LookBackWindowMinutes != 60 {
		t.Errorf("%+v", c)
	}
	calls := sb.Calls()
	// 120 SLOs at 50 a page: 3 pages in us-east-1, 1 in eu-west-1, and one
	// throttled attempt in each region; one Get per SLO plus one throttled.
	if calls["ListServiceLevelObjectives"] != 6 || calls["GetServiceLevelObjective"] != 121 {
		t.Errorf("calls %v", calls)
	}
	m := snap.Model("live")
	if len(m.ServiceSLOs) != 120 || m.ServiceSLOs[0].Goal != 0.9 || m.ServiceSLOs[0].Interval != 30*24*time.Hour || !m.ServiceSLOs[0].HasWindow(time.Hour) ||
		m.ServiceSLOs[0].Region != "us-east-1" {
		t.Errorf("model %+v", m.ServiceSLOs[0])
	}
}

func TestAFailedServiceSLOReadIsIncompleteNeverEmpty(t *testing.T) {
	for _, op := range []string{"ListServiceLevelObjectives", "GetServiceLevelObjective"} {
		t.Run(op, func(t *testing.T) {
			sb := sandbox.Start(withServiceSLOs(3))
			defer sb.Close()
			sb.Faults.FailOps = map[string]bool{op: true}
			sandboxEnv(t, sb.URL)
			snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Sweep: true, ServiceSLOs: true, MaxAttempts: 2})
			if err != nil {
				t.Fatal(err)
			}
			r := snap.ApplicationSignals[0]
			if r.Complete || len(r.SLOs) != 0 || !strings.Contains(r.Error, op) {
				t.Errorf("complete=%v %d SLOs %q", r.Complete, len(r.SLOs), r.Error)
			}
			if !snap.CloudWatch[0].Complete {
				t.Error("the alarms are read whatever Application Signals does")
			}
			if snap.Model("live").Complete() {
				t.Error("the live state must not be complete")
			}
		})
	}
}

func TestServiceSLOsAreNotReadUnlessAsked(t *testing.T) {
	sb := sandbox.Start(withServiceSLOs(3))
	defer sb.Close()
	sandboxEnv(t, sb.URL)
	snap, err := Read(context.Background(), Options{Targets: target("us-east-1"), Sweep: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.ApplicationSignals) != 0 || sb.Calls()["ListServiceLevelObjectives"] != 0 {
		t.Errorf("%+v %v", snap.ApplicationSignals, sb.Calls())
	}
}
