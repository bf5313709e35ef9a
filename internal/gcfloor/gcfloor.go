// Package gcfloor gives the garbage collector a floor under its heap goal:
// the heap grows to the floor before the first collection, and once the
// live heap passes half the floor GOGC paces collections as usual.
//
// With GOGC's default the goal is twice the live heap, so a run whose heap
// grows from nothing to a hundred megabytes collects a dozen times on the
// way, marking its growing model again each time. Go has no setting for a
// least goal; the memory limit with GOGC off is one, until the live heap
// reaches half of it, when GOGC takes over again (a limit at or below the
// live heap would have the collector run without end).
package gcfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
)

// minFloor is the least heap goal Go keeps on its own (4 MB): a floor below
// it changes nothing.
const minFloor = 4 << 20

// cgroupLimit is the memory limit of the process's cgroup (v2).
var cgroupLimit = "/sys/fs/cgroup/memory.max"

var (
	mu     sync.Mutex // guards active and every state's restored
	active bool       // one floor at a time: a second Set is a no-op
)

// Set makes floor bytes the least heap goal of the process, unless GOGC or
// GOMEMLIMIT is set in the environment (the user's setting stands), or a
// floor is set already. A floor is kept to a quarter of the cgroup's memory
// limit. The returned func puts the collector's settings back.
func Set(floor int64) (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	if limit := readLimit(cgroupLimit); limit > 0 && floor > limit/4 {
		floor = limit / 4
	}
	if floor < minFloor {
		return func() {}
	}
	mu.Lock()
	defer mu.Unlock()
	if active {
		return func() {}
	}
	active = true
	s := &state{floor: floor}
	s.percent = debug.SetGCPercent(-1)
	s.limit = debug.SetMemoryLimit(floor)
	s.arm()
	return s.restore
}

// readLimit reads a cgroup v2 memory limit: bytes, or 0 for "max" or none.
func readLimit(file string) int64 {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

type state struct {
	floor, limit int64
	percent      int
	restored     bool
}

// arm has after called once the next collection has run: a cleanup runs
// when the object it is attached to is found unreachable.
func (s *state) arm() {
	sentinel := new([16]byte) // 16 bytes: the tiny allocator would share a smaller block
	runtime.AddCleanup(sentinel, (*state).after, s)
}

// after looks at the live heap a collection left: below half the floor the
// floor still sets the goal; past it, GOGC's goal is above the floor, and
// GOGC takes over for good.
func (s *state) after() {
	mu.Lock()
	done := s.restored
	mu.Unlock()
	if done {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() < uint64(s.floor)/2 {
		s.arm()
		return
	}
	s.restore()
}

// restore puts GOGC and the memory limit back, once.
func (s *state) restore() {
	mu.Lock()
	defer mu.Unlock()
	if s.restored {
		return
	}
	s.restored = true
	active = false
	debug.SetGCPercent(s.percent)
	debug.SetMemoryLimit(s.limit)
}
