package runtimetune

import "testing"

// orgs import gets importPolicy's limit, but never less than 128 MB above
// the live heap.
func TestOrgImportPolicyKeepsRoomAboveTheLiveHeap(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct{ live, ceiling, want uint64 }{
		{0, 16 << 30, 180 * mb},          // the import floor
		{40 * mb, 16 << 30, 180 * mb},    // 100k rows: below the floor, as before
		{240 * mb, 16 << 30, 368 * mb},   // 1M rows: live + 128 MB, not × 1.25 (300 MB)
		{1000 * mb, 16 << 30, 1250 * mb}, // a large live heap: × 1.25 again
		{240 * mb, 300 * mb, 300 * mb},   // the machine's share still caps it
	} {
		if got := orgImportPolicy.limit(c.live, 0, c.ceiling); got != c.want {
			t.Errorf("limit(live %d MB, ceiling %d MB) = %d MB, want %d MB", c.live/mb, c.ceiling/mb, got/mb, c.want/mb)
		}
	}
}
