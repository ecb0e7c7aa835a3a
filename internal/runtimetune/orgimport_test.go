package runtimetune

import "testing"

// orgs import gets importPolicy's limit, but never less than its room above
// the live heap: 128 MB, more for a long CSV, at most 256 MB.
func TestOrgImportPolicyKeepsRoomAboveTheLiveHeap(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		input               int64
		live, ceiling, want uint64
	}{
		{4 * mb, 0, 16 << 30, 180 * mb},          // the import floor
		{4 * mb, 40 * mb, 16 << 30, 180 * mb},    // 100k rows: below the floor, as before
		{4 * mb, 240 * mb, 16 << 30, 368 * mb},   // live + 128 MB, not × 1.25 (300 MB)
		{-1, 240 * mb, 16 << 30, 368 * mb},       // a CSV of unknown size: 128 MB
		{30 * mb, 110 * mb, 16 << 30, 290 * mb},  // 30 MB of CSV: 180 MB of room
		{39 * mb, 110 * mb, 16 << 30, 344 * mb},  // 1M rows (39 MB): 234 MB of room
		{100 * mb, 110 * mb, 16 << 30, 366 * mb}, // never more than 256 MB
		{4 * mb, 1000 * mb, 16 << 30, 1250 * mb}, // a large live heap: × 1.25 again
		{39 * mb, 240 * mb, 300 * mb, 300 * mb},  // the machine's share still caps it
	} {
		if got := orgImportPolicy(c.input).limit(c.live, 0, c.ceiling); got != c.want {
			t.Errorf("input %d MB: limit(live %d MB, ceiling %d MB) = %d MB, want %d MB", c.input/mb, c.live/mb, c.ceiling/mb, got/mb, c.want/mb)
		}
	}
}
