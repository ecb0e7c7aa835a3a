package runtimetune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// policy is how much heap the collector lets a command use: none of its
// collections before the heap reaches floor, and after each collection
// room for the live heap times factor, so the number of collections
// follows the allocation rate, not the size of the data (a store ten
// times larger has a live heap ten times larger, and a fixed limit below
// it is a collector that never stops).
type policy struct {
	floor  uint64
	factor float64
	// room, when set, is the least room above the live heap: see
	// orgImportPolicy.
	room uint64
	// overhead adds what the runtime holds beyond the live heap to the
	// limit (see limit): the room is then all for new allocations.
	overhead bool
}

var (
	// readPolicy: a read command's heap is mostly what it prints, held to
	// the end; below 384 MB (every read of 100k orgs) it never collects.
	readPolicy = policy{floor: 384 << 20, factor: 2}
	// importPolicy: an import's peak is when the commit lays out every page
	// it changed beside the orgs it holds; at 100k orgs that live set is
	// ~150 MB and this floor keeps the process under 256 MB, as the fixed
	// limit did. Above the floor 15% of the live heap (besides the
	// runtime's own overhead, see limit) is room enough: the import
	// allocates steadily, and its RSS is what its budget counts. A quarter
	// was 15% faster at a million orgs but put 100k at 250 of its 256 MB.
	importPolicy = policy{floor: 180 << 20, factor: 1.15, overhead: true}
	// streamPolicy: a sorted list, which holds every match until it is
	// sorted: on bbolt packed (~200 bytes an org with its key, no pointers,
	// so a collection costs a millisecond or two), elsewhere up to 128k
	// matches decoded. Room of 32 MB above the live heap (or a tenth of
	// it) keeps a million orgs at ~210 MB RSS, and a 32 MB floor reuses
	// memory instead of faulting in fresh pages (at 100k orgs a 128 MB
	// floor cost 0.2 s of a 0.7 s sort; bench/README.md, section 7).
	streamPolicy = policy{floor: 32 << 20, factor: 1.1, room: 32 << 20}
	// scanPolicy: a read that holds nothing but a window of records while
	// it counts or prints (`orgs stats`, `orgs list` in name order). Its
	// live heap stays small, so a small heap collected often is cheaper
	// than fresh memory: on this project's VMs each new megabyte costs
	// ~2 ms of page faults, more than collecting a heap of a few
	// megabytes. A floor of 24 MB and room for twice the live heap above
	// it (factor 3; the window of a full list is ~20 MB) measured best at
	// 100k orgs: `orgs stats` 0.31 → 0.17 s, `orgs list -o json`
	// 0.93 → 0.64 s (bench/README.md, section 7). Below that floor the
	// limit sits under the window and the runtime hands freed pages back
	// to the system only to fault them in again.
	scanPolicy = policy{floor: 24 << 20, factor: 3}
)

// limit is the memory limit after a collection that left live bytes:
// live × factor (or live + room), at least the floor, at most ceiling (a
// share of the machine's memory; ceiling 0 means unknown), plus, when the
// policy says so, overhead: what the runtime holds beyond the live heap
// (free spans, metadata), which the memory limit counts too. Without it an
// import's room was eaten by that overhead: an events import of 2M lines
// into a million orgs collected 57 times with 2% of room (a 332 MB goal
// over 326 MB live), a third of its CPU. The reads and `orgs import` were
// tuned without it (`orgs import` of 1M rows: 490 MB with it off, 672 MB
// on). Near the ceiling the collector works hard rather than let the
// machine swap or kill us.
func (p policy) limit(live, overhead, ceiling uint64) uint64 {
	if !p.overhead {
		overhead = 0
	}
	overhead = min(overhead, live) // a heap that just shrank: don't count its old size twice
	l := max(p.floor, uint64(float64(live)*p.factor)+overhead, live+p.room+overhead)
	if ceiling > 0 && l > ceiling {
		l = max(ceiling, p.floor)
	}
	return l
}

// pacer re-derives the memory limit after every collection from the live
// heap the collection left (GOGC is off: the limit alone paces).
type pacer struct {
	mu      sync.Mutex
	pol     policy
	ceiling uint64
	sample  []metrics.Sample
}

var current atomic.Pointer[pacer]

// startPacer turns GOGC off, sets the floor as the limit and re-arms a
// finalizer that runs after each collection.
func startPacer(p policy, machine uint64) {
	pc := &pacer{pol: p, ceiling: machine / 4 * 3,
		sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"},
			{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}}
	current.Store(pc)
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(int64(p.limit(0, 0, pc.ceiling)))
	pc.arm()
}

// setPolicy paces by p from now on, with reserve bytes of heap grown at
// once on huge pages where the kernel gives them on advice (see
// hugeheap_linux.go): the room a command will fill (an import, a read of
// every org), 0 for one that would pay for the growth and gain nothing.
func (pc *pacer) setPolicy(p policy, reserve uint64) {
	if reserve > 0 {
		// Outside the lock: the collection it runs calls apply.
		growHeapOnHugePages(reserve)
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.pol = p
	pc.apply()
}

// filled is the reserve of a command that fills p's room: all of it, or
// none.
func (p policy) filled(fills bool) uint64 {
	if !fills {
		return 0
	}
	return p.floor + p.room
}

// gcSentinel is garbage from birth: its finalizer runs once per collection
// (it holds a pointer, so it is never in the tiny allocator, whose objects
// may never be finalized).
type gcSentinel struct{ _ *byte }

func (pc *pacer) arm() {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		pc.mu.Lock()
		pc.apply()
		pc.mu.Unlock()
		pc.arm()
	})
}

func (pc *pacer) apply() {
	metrics.Read(pc.sample)
	var v [3]uint64
	for i, s := range pc.sample {
		if s.Value.Kind() == metrics.KindUint64 {
			v[i] = s.Value.Uint64()
		}
	}
	live, counted := v[0], v[1]-min(v[2], v[1]) // what the memory limit counts
	debug.SetMemoryLimit(int64(pc.pol.limit(live, counted-min(live, counted), pc.ceiling)))
}
