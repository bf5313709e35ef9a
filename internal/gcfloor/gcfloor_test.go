package gcfloor

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// settings reads the collector's GOGC and memory limit without changing them.
func settings() (gogc uint64, limit uint64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

// noEnv clears GOGC and GOMEMLIMIT from the environment for the test (the
// runtime read them at start; Set looks at them to leave a user's setting).
func noEnv(t *testing.T) {
	if gogc, limit := settings(); gogc != startGOGC || limit != startLimit {
		t.Fatalf("a test before left GOGC %d and limit %d", gogc, limit)
	}
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	t.Cleanup(func() { cgroupLimit = "/sys/fs/cgroup/memory.max" })
	cgroupLimit = filepath.Join(t.TempDir(), "none")
}

// startGOGC and startLimit are the settings the test process started with.
var startGOGC, startLimit = settings()

var sink []byte

// collections counts the collections run while allocating n bytes of
// garbage in 1 KiB pieces.
func collections(n int) uint32 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n / 1024 {
		sink = make([]byte, 1024)
	}
	runtime.ReadMemStats(&after)
	return after.NumGC - before.NumGC
}

func TestTheHeapGrowsToTheFloorBeforeACollection(t *testing.T) {
	noEnv(t)
	without := collections(64 << 20)
	restore := Set(256 << 20)
	with := collections(64 << 20)
	restore()
	if without < 3 {
		t.Fatalf("without a floor 64 MiB of garbage ran %d collections; the comparison needs a few", without)
	}
	if with > 1 {
		t.Errorf("with a 256 MiB floor 64 MiB of garbage ran %d collections (without: %d), want none", with, without)
	}
	if gogc, limit := settings(); gogc != startGOGC || limit != startLimit {
		t.Errorf("after restore GOGC %d and limit %d, want the settings the test started with", gogc, limit)
	}
}

func TestALiveHeapPastHalfTheFloorHandsPacingBackToGOGC(t *testing.T) {
	noEnv(t)
	restore := Set(16 << 20)
	defer restore()
	if gogc, limit := settings(); limit != 16<<20 || gogc == startGOGC {
		t.Fatalf("with a 16 MiB floor GOGC %d and limit %d, want GOGC off and a 16 MiB limit", gogc, limit)
	}
	live := make([][]byte, 0, 12<<10)
	for range cap(live) {
		live = append(live, make([]byte, 1024)) // 12 MiB kept: past half the floor
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC() // the cleanup that looks at the live heap runs after a collection
		gogc, limit := settings()
		if gogc == startGOGC && limit == startLimit {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("12 MiB live under a 16 MiB floor: GOGC %d and limit %d after 10 s, want the settings the test started with", gogc, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(live)
	restore() // a second restore changes nothing
	if gogc, _ := settings(); gogc != startGOGC {
		t.Errorf("GOGC %d after the second restore, want %d", gogc, startGOGC)
	}
}

func TestASmallLiveHeapKeepsTheFloor(t *testing.T) {
	noEnv(t)
	restore := Set(64 << 20)
	defer restore()
	for range 3 {
		runtime.GC()
	}
	time.Sleep(50 * time.Millisecond) // cleanups run on their own goroutine
	if gogc, limit := settings(); limit != 64<<20 || gogc == startGOGC {
		t.Errorf("a small live heap under a 64 MiB floor: GOGC %d and limit %d, want the floor kept", gogc, limit)
	}
}

func TestTheUsersSettingStands(t *testing.T) {
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		noEnv(t)
		t.Setenv(env, "200")
		restore := Set(64 << 20)
		if gogc, limit := settings(); gogc != startGOGC || limit != startLimit {
			t.Errorf("with %s set: GOGC %d and limit %d, want them untouched", env, gogc, limit)
		}
		restore()
	}
}

func TestOneFloorAtATime(t *testing.T) {
	noEnv(t)
	first := Set(64 << 20)
	second := Set(32 << 20)
	if _, limit := settings(); limit != 64<<20 {
		t.Errorf("a second floor moved the limit to %d, want the first's 64 MiB", limit)
	}
	second()
	if _, limit := settings(); limit != 64<<20 {
		t.Errorf("the second floor's restore moved the limit to %d, want the first's kept", limit)
	}
	first()
	if gogc, limit := settings(); gogc != startGOGC || limit != startLimit {
		t.Errorf("after restore GOGC %d and limit %d, want the settings the test started with", gogc, limit)
	}
}

func TestTheFloorIsKeptToAQuarterOfTheCgroupLimit(t *testing.T) {
	noEnv(t)
	for _, c := range []struct {
		file string
		want uint64
	}{
		{"268435456\n", 64 << 20}, // a 256 MiB cgroup: a 1 GiB floor becomes 64 MiB
		{"max\n", 1 << 30},        // no limit
	} {
		cgroupLimit = filepath.Join(t.TempDir(), "memory.max")
		if err := os.WriteFile(cgroupLimit, []byte(c.file), 0o644); err != nil {
			t.Fatal(err)
		}
		restore := Set(1 << 30)
		_, limit := settings()
		restore()
		if limit != c.want {
			t.Errorf("memory.max %q: limit %d, want %d", c.file, limit, c.want)
		}
	}
	restore := Set(minFloor - 1)
	if _, limit := settings(); limit != startLimit {
		t.Errorf("a floor under Go's own 4 MB least goal set the limit to %d", limit)
	}
	restore()
}
