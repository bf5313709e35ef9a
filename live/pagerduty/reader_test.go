package pagerduty

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/internal/sandbox"
	"github.com/driftgate/driftgate/live/snapshot"
)

// demoState is the demo fixture's PagerDuty state: 15 services, two
// escalation policies and an orchestration with a 15-rule router.
func demoState(t *testing.T) *snapshot.PagerDutyState {
	t.Helper()
	s, err := snapshot.Load(filepath.Join("..", "..", "fixtures", "demo", "live.json"), "live.json")
	if err != nil {
		t.Fatal(err)
	}
	return s.PagerDuty
}

func TestReadFollowsEveryPageAndEveryPath(t *testing.T) {
	want := demoState(t)
	srv := sandbox.StartPagerDuty(want)
	defer srv.Close()
	srv.PageSize = 4
	got := Read(context.Background(), Options{Token: srv.Token, URL: srv.URL})
	if !got.Complete {
		t.Fatalf("incomplete: %s", got.Error)
	}
	if len(got.Services) != len(want.Services) || len(got.EscalationPolicies) != 2 || len(got.EventOrchestrations) != 1 {
		t.Fatalf("read %d services, %d policies, %d orchestrations", len(got.Services), len(got.EscalationPolicies), len(got.EventOrchestrations))
	}
	// The read state is the served state, field for field.
	a, _ := json.Marshal(want.Services)
	b, _ := json.Marshal(got.Services)
	if string(a) != string(b) {
		t.Errorf("services differ:\n%s\n%s", a, b)
	}
	r := got.EventOrchestrations[0].Router
	if r == nil || len(r.Sets[0].Rules) != len(want.EventOrchestrations[0].Router.Sets[0].Rules) ||
		r.Sets[0].Rules[0].Conditions[0].Expression != want.EventOrchestrations[0].Router.Sets[0].Rules[0].Conditions[0].Expression {
		t.Errorf("router: %+v", r)
	}
	if got.EventOrchestrations[0].Integrations[0].Parameters.RoutingKey != "R0CHECKOUT" {
		t.Errorf("routing key lost: %+v", got.EventOrchestrations[0].Integrations)
	}
	if calls := srv.Calls()["/services"]; calls != (len(want.Services)+3)/4 {
		t.Errorf("%d service pages, want %d", calls, (len(want.Services)+3)/4)
	}
	if srv.Calls()["/event_orchestrations/PORCH1/global"] != 1 {
		t.Error("the global path (which go-pagerduty lacks) was not read")
	}
}

func TestThrottlingIsRetried(t *testing.T) {
	srv := sandbox.StartPagerDuty(demoState(t))
	defer srv.Close()
	srv.Throttle = 2
	got := Read(context.Background(), Options{Token: srv.Token, URL: srv.URL})
	if !got.Complete || len(got.Services) == 0 {
		t.Fatalf("a 429 followed by success must complete: %s", got.Error)
	}
	if srv.Calls()["/services"] < 3 {
		t.Errorf("calls %v: want two throttled attempts and a success", srv.Calls())
	}
}

func TestFailuresMakeTheReadIncomplete(t *testing.T) {
	srv := sandbox.StartPagerDuty(demoState(t))
	defer srv.Close()
	srv.Fail = true
	got := Read(context.Background(), Options{Token: srv.Token, URL: srv.URL, MaxAttempts: 2})
	if got.Complete || !strings.Contains(got.Error, "listing services") || len(got.Services) != 0 {
		t.Errorf("complete=%v %q", got.Complete, got.Error)
	}
	bad := Read(context.Background(), Options{Token: "wrong", URL: srv.URL})
	if bad.Complete || bad.Error == "" {
		t.Error("a rejected token must be incomplete")
	}
	if strings.Contains(bad.Error, "wrong") {
		t.Error("the token must not appear in the error")
	}
	slow := Read(context.Background(), Options{Token: srv.Token, URL: srv.URL, Timeout: time.Nanosecond})
	if slow.Complete {
		t.Error("a read cut by its deadline must be incomplete")
	}
}

func TestUnroutedPath(t *testing.T) {
	state := demoState(t)
	if got := Read(context.Background(), readOpts(t, state)); !got.Complete || got.EventOrchestrations[0].Unrouted != nil {
		t.Fatalf("an orchestration without unrouted rules must read as none: complete=%v %q", got.Complete, got.Error)
	}
	var unrouted snapshot.PDOrchestrationPath
	if err := json.Unmarshal([]byte(`{"sets":[{"id":"start","rules":[{"id":"u1","label":"warn",
		"conditions":[{"expression":"event.summary matches part \"ALARM\""}],"actions":{"severity":"warning"}}]}],
		"catch_all":{"actions":{"severity":"info"}}}`), &unrouted); err != nil {
		t.Fatal(err)
	}
	state.EventOrchestrations[0].Unrouted = &unrouted
	got := Read(context.Background(), readOpts(t, state))
	u := got.EventOrchestrations[0].Unrouted
	if !got.Complete || u == nil || len(u.Sets) != 1 || u.Sets[0].Rules[0].Actions.Severity != "warning" {
		t.Fatalf("unrouted path: complete=%v %q %+v", got.Complete, got.Error, u)
	}
	if u.CatchAll.Actions.Severity != "info" {
		t.Errorf("catch-all: %+v", u.CatchAll)
	}
}

// readOpts serves state from a sandbox that closes with the test.
func readOpts(t *testing.T, state *snapshot.PagerDutyState) Options {
	srv := sandbox.StartPagerDuty(state)
	t.Cleanup(srv.Close)
	return Options{Token: srv.Token, URL: srv.URL}
}

// The default deadline grows with the number of services, whose
// orchestrations take a request each; a fixed one does not.
func TestDefaultDeadlineGrowsWithTheServices(t *testing.T) {
	defer func(d time.Duration) { baseTimeout = d }(baseTimeout)
	baseTimeout = 1500 * time.Millisecond
	// The demo takes about 21 requests: 2 s at 10 a second.
	opts := readOpts(t, demoState(t))
	opts.RequestsPerMinute = 600
	fixed := opts
	fixed.Timeout = time.Second
	if got := Read(context.Background(), fixed); got.Complete || !strings.Contains(got.Error, "ran past its 1s deadline") {
		t.Errorf("a fixed 1 s deadline must cut the read: complete=%v %q", got.Complete, got.Error)
	}
	if got := Read(context.Background(), opts); !got.Complete {
		t.Errorf("the default deadline must grow to fit 15 services: %q", got.Error)
	}
}

func TestAnEmptyPageThatSaysMoreIsIncompleteNotTheEnd(t *testing.T) {
	srv := sandbox.StartPagerDuty(demoState(t))
	defer srv.Close()
	srv.PageSize, srv.EmptyMore = 4, true
	got := Read(context.Background(), Options{Token: srv.Token, URL: srv.URL})
	if got.Complete || !strings.Contains(got.Error, "says there is more but holds nothing") {
		t.Errorf("complete=%v %q: a page with more: true and no items must not end the list", got.Complete, got.Error)
	}
}
