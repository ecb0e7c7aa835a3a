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
}

var (
	// readPolicy: a read command's heap is mostly what it prints, held to
	// the end; below 384 MB (every read of 100k orgs) it never collects.
	readPolicy = policy{floor: 384 << 20, factor: 2}
	// importPolicy: an import's peak is when the commit lays out every page
	// it changed beside the orgs it holds; at 100k orgs that live set is
	// ~150 MB and this floor keeps the process under 256 MB, as the fixed
	// limit did. Above the floor a quarter of the live heap is room enough:
	// the import allocates steadily, and its RSS is what its budget counts.
	importPolicy = policy{floor: 180 << 20, factor: 1.25}
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
// live × factor, at least the floor, at most ceiling (a share of the
// machine's memory; ceiling 0 means unknown). Near the ceiling the
// collector works hard rather than let the machine swap or kill us.
func (p policy) limit(live, ceiling uint64) uint64 {
	l := max(p.floor, uint64(float64(live)*p.factor), live+p.room)
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
		sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	current.Store(pc)
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(int64(p.limit(0, pc.ceiling)))
	pc.arm()
}

func (pc *pacer) setPolicy(p policy) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.pol = p
	pc.apply()
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
	var live uint64
	if v := pc.sample[0].Value; v.Kind() == metrics.KindUint64 {
		live = v.Uint64()
	}
	debug.SetMemoryLimit(int64(pc.pol.limit(live, pc.ceiling)))
}
