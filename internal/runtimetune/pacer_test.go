package runtimetune

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPolicyLimitFollowsTheLiveHeap(t *testing.T) {
	const mb = 1 << 20
	p := policy{floor: 384 * mb, factor: 2, overhead: true}
	for _, c := range []struct{ live, overhead, ceiling, want uint64 }{
		{0, 0, 0, 384 * mb},                      // before any collection: the floor
		{100 * mb, 10 * mb, 16 << 30, 384 * mb},  // small heaps never collect below the floor
		{900 * mb, 0, 16 << 30, 1800 * mb},       // a million orgs: room for the live heap again
		{900 * mb, 60 * mb, 16 << 30, 1860 * mb}, // beside what the runtime holds besides
		{300 * mb, 900 * mb, 16 << 30, 900 * mb}, // overhead past the live heap counts as much as it
		{900 * mb, 0, 1000 * mb, 1000 * mb},      // the machine's share caps it
		{900 * mb, 0, 100 * mb, 384 * mb},        // but never below the floor
		{10 << 30, 0, 0, 20 << 30},               // unknown machine: no cap
	} {
		if got := p.limit(c.live, c.overhead, c.ceiling); got != c.want {
			t.Errorf("limit(live %d MB, overhead %d MB, ceiling %d MB) = %d MB, want %d MB",
				c.live/mb, c.overhead/mb, c.ceiling/mb, got/mb, c.want/mb)
		}
	}
}

func TestMachineMemoryFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if got := memTotal(write("meminfo", "MemFree: 1 kB\nMemTotal:       24683620 kB\n")); got != 24683620<<10 {
		t.Errorf("memTotal = %d", got)
	}
	if got := memTotal(write("bad", "MemTotal: lots\n")); got != 0 {
		t.Errorf("memTotal of a bad line = %d, want 0", got)
	}
	if got := memTotal(filepath.Join(dir, "missing")); got != 0 {
		t.Errorf("memTotal of no file = %d, want 0", got)
	}
	if got := cgroupLimit(write("max", "max\n")); got != 0 {
		t.Errorf("cgroupLimit(max) = %d, want 0", got)
	}
	if got := cgroupLimit(write("n", "1073741824\n")); got != 1<<30 {
		t.Errorf("cgroupLimit = %d", got)
	}
}

// After a collection the limit is the live heap times the factor: a heap
// that outgrew the floor is not collected again and again.
func TestPacerFollowsTheLiveHeapAfterACollection(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	defer current.Store(nil)
	const mb = 1 << 20
	startPacer(policy{floor: 8 * mb, factor: 2}, 0)
	if got := debug.SetMemoryLimit(-1); got != 8*mb {
		t.Fatalf("limit before any collection = %d MB, want the floor, 8", got/mb)
	}
	live := make([][]byte, 64)
	for i := range live {
		live[i] = make([]byte, mb)
	}
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < 2*64*mb && time.Now().Before(deadline) {
		runtime.GC() // the finalizer runs after a collection, on its own goroutine
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got < 2*64*mb {
		t.Fatalf("limit after a collection with 64 MB live = %d MB, want at least 128", got/mb)
	}
	runtime.KeepAlive(live)
}

// A policy that does not count the runtime's overhead ignores it.
func TestPolicyLimitWithoutOverhead(t *testing.T) {
	const mb = 1 << 20
	p := policy{floor: 32 * mb, factor: 1.1, room: 32 * mb}
	if got := p.limit(200*mb, 50*mb, 16<<30); got != 232*mb {
		t.Fatalf("limit = %d MB, want 232 (live + room, overhead ignored)", got/mb)
	}
}

func TestRangedImportFloorFollowsTheStoreAndTheFeed(t *testing.T) {
	const mb = 1 << 20
	const gb = 1 << 30
	for _, c := range []struct {
		orgs          int
		feed          int64
		ceiling, want uint64
	}{
		{100_000, gb, 16 << 30, importPolicy.floor},       // 35 MB: the feed's floor, importPolicy's
		{1_000_000, 3 * gb, 16 << 30, 352_000_000},        // a million orgs: 352 bytes each
		{1_000_000, 3 * gb, 0, 352_000_000},               // unknown machine
		{1_000_000, 900 * mb, 16 << 30, 300 * mb},         // a third of the feed, when less
		{1_000_000, 10 * mb, 16 << 30, 70 * mb},           // a day's feed: a short feed's floor
		{10_000_000, 30 * gb, 1 << 30, 1 << 30},           // never past the machine's share
		{1_000_000, 3 * gb, 100 * mb, importPolicy.floor}, // nor below the usual floor
	} {
		pol := rangedImportPolicy(c.orgs, c.feed, c.ceiling)
		if pol.floor != c.want || pol.factor != importPolicy.factor || pol.overhead != importPolicy.overhead {
			t.Errorf("rangedImportPolicy(%d orgs, %d MB feed, ceiling %d MB) = %+v, want importPolicy with floor %d",
				c.orgs, c.feed/mb, c.ceiling/mb, pol, c.want)
		}
	}
}

func TestImportFloorFollowsTheFeed(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		feed int64
		want uint64
	}{
		{-1, importPolicy.floor}, // unknown: the floor measured for 1M events
		{0, minImportFloor},      // nothing to hold
		{9 * mb, minImportFloor}, // 63 MB
		{10 * mb, 70 * mb},       // a day's 100k events: 7 bytes a byte
		{25 * mb, 175 * mb},
		{26 * mb, importPolicy.floor}, // a quarter of 1M events: importPolicy's
		{104 * mb, importPolicy.floor},
		{1 << 30, importPolicy.floor},
	} {
		if got := importFloor(c.feed); got != c.want {
			t.Errorf("importFloor(%d MB) = %d MB, want %d MB", c.feed/mb, got/mb, c.want/mb)
		}
		if pol := feedImportPolicy(c.feed); pol.floor != c.want || pol.factor != importPolicy.factor || pol.overhead != importPolicy.overhead {
			t.Errorf("feedImportPolicy(%d MB) = %+v, want importPolicy with floor %d MB", c.feed/mb, pol, c.want/mb)
		}
	}
}

// An events import reserves, when it starts, the largest floor its ranges
// could take: growing later reused memory the runtime then zeroed.
func TestImportReserveCoversItsRanges(t *testing.T) {
	const mb = 1 << 20
	const gb = 1 << 30
	for _, c := range []struct {
		feed          int64
		ceiling, want uint64
	}{
		{-1, 16 << 30, importPolicy.floor},       // unknown size: importPolicy's floor
		{10 * mb, 16 << 30, 70 * mb},             // a day's feed: its own floor
		{104 * mb, 16 << 30, importPolicy.floor}, // 1M events: a third is 35 MB
		{900 * mb, 16 << 30, 300 * mb},           // 10M events: a third of the feed
		{900 * mb, 0, 300 * mb},                  // unknown machine
		{3 * gb, 512 * mb, 512 * mb},             // never past the machine's share
		{3 * gb, 100 * mb, importPolicy.floor},   // nor below the floor
	} {
		if got := importReserve(c.feed, c.ceiling); got != c.want {
			t.Errorf("importReserve(%d MB, ceiling %d MB) = %d MB, want %d MB", c.feed/mb, c.ceiling/mb, got/mb, c.want/mb)
		}
		// The ranges' floor never exceeds it, whatever the store: their
		// pacing grows nothing more.
		for _, orgs := range []int{0, 100_000, 1_000_000, 100_000_000} {
			if pol := rangedImportPolicy(orgs, c.feed, c.ceiling); pol.filled(true) > importReserve(c.feed, c.ceiling) {
				t.Errorf("%d orgs, %d MB: the ranges' floor %d MB is past the reserve", orgs, c.feed/mb, pol.floor/mb)
			}
		}
	}
}
