package runtimetune

// importPolicy's floor was set for the feed that measured it: 1M events
// (104 MB) in one pass into 100k orgs hold ~150 MB live. A short feed holds
// far less: a day's 100k events (10 MB) into a million orgs keep 24–38 MB
// live, so with that floor the heap grew to ~160 MB between collections,
// every megabyte of it fresh memory, which costs ~2 ms of page faults on
// this project's VMs, where collecting a heap of 30 MB costs 2–5 ms. The
// floor therefore follows the feed: feedFloorPerByte for each byte of it,
// at least minImportFloor, at most importPolicy's. At 7 bytes a byte the
// floor reaches importPolicy's by a quarter of those 1M events, so a
// one-pass import's RSS stays as flat over its feed as before (issue 6:
// the whole feed ≤ 1.25× its first quarter's; at 2 bytes a byte the
// quarter took 144 MB and the whole 214 MB).
//
// Measured, the day's feed into the 1M store (paired, bench/README.md
// section 13): 1.65–1.69 s and 217 MB with the 180 MB floor, 1.43–1.52 s
// and 130 MB with 64 MB; a 48 MB floor collected too often (1.58–1.73 s),
// 96 MB faulted more (1.46–1.59 s).
const (
	feedFloorPerByte = 7
	minImportFloor   = 64 << 20
)

// importFloor is the floor of an import of inputBytes (negative when
// unknown: importPolicy's).
func importFloor(inputBytes int64) uint64 {
	if inputBytes < 0 {
		return importPolicy.floor
	}
	return min(importPolicy.floor, max(minImportFloor, uint64(inputBytes)*feedFloorPerByte))
}

// feedImportPolicy is importPolicy with the floor of a feed of inputBytes.
func feedImportPolicy(inputBytes int64) policy {
	pol := importPolicy
	pol.floor = importFloor(inputBytes)
	return pol
}
