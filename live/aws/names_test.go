package aws

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/internal/sandbox"
	"github.com/driftgate/driftgate/live/snapshot"
)

// The list hands out full batches while it is open, then the rest once it
// closes, each name once.
func TestNameListBatches(t *testing.T) {
	l := NewNameList()
	got := make(chan []string, 10)
	done := make(chan error, 1)
	go func() {
		done <- l.each(context.Background(), func(names []string) error {
			got <- slices.Clone(names)
			return nil
		})
	}()
	for i := range 150 {
		l.Add(fmt.Sprintf("n%03d", i), "n000") // n000 again: added once
	}
	select {
	case b := <-got:
		if len(b) != 100 || b[0] != "n000" || b[99] != "n099" {
			t.Fatalf("first batch %d names %v..", len(b), b[:min(3, len(b))])
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a full batch was not handed out while the list was open")
	}
	select {
	case b := <-got:
		t.Fatalf("a part batch of %d was handed out before the list closed", len(b))
	case <-time.After(50 * time.Millisecond):
	}
	l.Close([]string{"n001", "final"})
	l.Add("late") // after Close: ignored
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if b := <-got; len(b) != 51 || b[49] != "n149" || b[50] != "final" {
		t.Errorf("last batch %d names, ending %v", len(b), b[max(0, len(b)-2):])
	}
	if !l.dropped("n002") || l.dropped("n001") || l.dropped("final") || l.dropped("never-added") {
		t.Error("dropped must be exactly the names added but not in the final set")
	}

	waiting := NewNameList()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := waiting.each(ctx, func([]string) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting on an open list must end with the context: %v", err)
	}
}

// A PR-mode read given its names as they are learnt sends DescribeAlarms
// before the list is closed, and keeps only the alarms of the final set.
func TestPRModeReadsNamesAsTheyArrive(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sandboxEnv(t, sb.URL)
	names := NewNameList()
	type result struct {
		s   *snapshot.Snapshot
		err error
	}
	res := make(chan result, 1)
	go func() {
		s, err := Read(context.Background(), Options{Targets: target("us-east-1"), Pending: names, Tags: true})
		res <- result{s, err}
	}()
	first := []string{"a00", "c1"}
	for i := range 98 {
		first = append(first, fmt.Sprintf("x%03d", i))
	}
	names.Add(first...)
	for deadline := time.Now().Add(10 * time.Second); sb.Calls()["DescribeAlarms"] < 1 || sb.Calls()["GetResources"] < 1; {
		if time.Now().After(deadline) {
			t.Fatalf("no DescribeAlarms and GetResources for a full batch while the list was open: %v", sb.Calls())
		}
		time.Sleep(5 * time.Millisecond)
	}
	names.Add("a01", "a02")
	// a02 was learnt early, but the final set leaves it out (as a name a
	// later sensitivity mark hides would be).
	names.Close(append(slices.DeleteFunc(slices.Clone(first), func(n string) bool { return n == "c1" }), "a01", "c1"))
	r := <-res
	if r.err != nil {
		t.Fatal(r.err)
	}
	east := r.s.CloudWatch[0]
	var got []string
	for _, a := range east.MetricAlarms {
		got = append(got, a.AlarmName)
	}
	for _, a := range east.CompositeAlarms {
		got = append(got, a.AlarmName)
	}
	if !east.Complete || !slices.Equal(got, []string{"a00", "a01", "c1"}) {
		t.Errorf("complete=%v %s: read %v, want a00 a01 c1 (a02 is not in the final set)", east.Complete, east.Error, got)
	}
	if c := sb.Calls(); c["DescribeAlarms"] != 2 || c["GetResources"] != 2 {
		t.Errorf("calls %v: 102 names are two batches", c)
	}
	for arn := range east.Tags {
		if strings.HasSuffix(arn, ":a02") {
			t.Error("the tags of an alarm left out were kept")
		}
	}
}

// The read's timeout counts from when every name is known: a read that
// waits on the plans longer than its timeout is still complete, and one
// slower than its timeout once the names are known is cut.
func TestTheTimeoutCountsFromWhenTheNamesAreKnown(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sandboxEnv(t, sb.URL)
	read := func(wait time.Duration) snapshot.CloudWatchRegion {
		names := NewNameList()
		time.AfterFunc(wait, func() { names.Close([]string{"a00"}) })
		s, err := Read(context.Background(), Options{Targets: target("us-east-1"), Pending: names, Timeout: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return s.CloudWatch[0]
	}
	if r := read(600 * time.Millisecond); !r.Complete || len(r.MetricAlarms) != 1 {
		t.Errorf("waiting for the names must not spend the timeout: complete=%v %s", r.Complete, r.Error)
	}
	sb.Faults.Latency = 400 * time.Millisecond
	if r := read(0); r.Complete || !strings.Contains(r.Error, "deadline exceeded") {
		t.Errorf("a read slower than its timeout must be cut, saying so: complete=%v %q", r.Complete, r.Error)
	}
}

// A read waiting on names that never come ends with its context.
func TestAReadWaitingForNamesEndsWithItsContext(t *testing.T) {
	sb := sandbox.Start(world())
	defer sb.Close()
	sandboxEnv(t, sb.URL)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	s, err := Read(ctx, Options{Targets: target("us-east-1"), Pending: NewNameList()})
	if err != nil {
		t.Fatal(err)
	}
	if r := s.CloudWatch[0]; r.Complete || !strings.Contains(r.Error, "context canceled") {
		t.Errorf("complete=%v %q", r.Complete, r.Error)
	}
}

// The read's context ends like one of context.WithTimeout: its error and
// cause, and those of contexts made from it, are DeadlineExceeded once the
// timeout passes (net/http returns the cause), and its parent's end ends it.
func TestTimeoutAfterEndsLikeATimeout(t *testing.T) {
	type key struct{}
	parent, cancelParent := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	defer cancelParent()
	ready := make(chan struct{})
	ctx, cancel := withTimeoutAfter(parent, ready, 20*time.Millisecond)
	defer cancel()
	child, cancelChild := context.WithCancel(ctx)
	defer cancelChild()
	select {
	case <-ctx.Done():
		t.Fatal("the timeout ran before the names were known")
	case <-time.After(60 * time.Millisecond):
	}
	if _, ok := ctx.Deadline(); ok {
		t.Error("a deadline before the names are known")
	}
	close(ready)
	<-child.Done()
	for what, err := range map[string]error{"Err": ctx.Err(), "Cause": context.Cause(ctx), "child's Err": child.Err(), "child's Cause": context.Cause(child)} {
		if err != context.DeadlineExceeded {
			t.Errorf("%s: %v, want context.DeadlineExceeded", what, err)
		}
	}
	if ctx.Value(key{}) != "v" {
		t.Error("the parent's values are lost")
	}

	ctx2, cancel2 := withTimeoutAfter(parent, make(chan struct{}), time.Hour)
	defer cancel2()
	cancelParent()
	<-ctx2.Done()
	if ctx2.Err() != context.Canceled {
		t.Errorf("the parent's end: %v", ctx2.Err())
	}
}
