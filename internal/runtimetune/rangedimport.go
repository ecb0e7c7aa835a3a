package runtimetune

// An events import in org ranges holds one range of orgs at a time
// (62,500 on bbolt: a sixteenth of a million), so its live heap sits far
// below what the store's size allows it (issue 17: 512 MB of RSS at a
// million orgs), and importPolicy's room of 15% above that small heap
// collected again and again. Its floor follows the store and the feed:
// rangedImportBytesPerOrg per org of the store, but no more than a
// rangedImportFeedShare of the input, since a short feed makes little
// garbage and what it makes need not be kept (a day's 100k events into a
// million orgs, 10 MB, stays at the usual floor and its RSS under 256 MB;
// at 352 MB it took 398 MB; see importFloor for a short feed's floor).
//
// Measured, 10M events (1 GB) into a million orgs, paired: 52.4 / 40.1 s
// with importPolicy, 45.6 / 35.2 s with this floor (349 MB), RSS 439–454
// MB of which the store's mapped pages are a tenth.
const (
	rangedImportBytesPerOrg = 352
	rangedImportFeedShare   = 3 // the floor ≤ input bytes / 3
)

// ForRangedImport switches the pacing to rangedImportPolicy, for an
// events import that goes in org ranges (ingest.Options.InRanges).
// It does nothing when GOGC or GOMEMLIMIT is set or Start did not pace.
func ForRangedImport(storeOrgs int, inputBytes int64) {
	if p := current.Load(); p != nil {
		pol := rangedImportPolicy(storeOrgs, inputBytes, p.ceiling)
		p.setPolicy(pol, pol.filled(true)) // within what ForImport reserved: no growth
	}
}

// importReserve is the heap an events import of inputBytes reserves when
// it starts (ForImport): its floor, or the largest floor its ranges could
// take (rangedImportPolicy's, at most the input over rangedImportFeedShare
// and the machine's share, ceiling), whichever is larger. It is reserved
// then, while the heap is fresh: grown later, after the planning read had
// held and freed memory, the runtime zeroed the memory it reused, touching
// all of it: a replay of 10M events into a million orgs went from 255 to
// 529 MB of RSS and from 3.0 to 3.8 s. Reserved memory that no
// allocation touches costs no RSS.
func importReserve(inputBytes int64, ceiling uint64) uint64 {
	ranged := uint64(max(inputBytes, 0)) / rangedImportFeedShare
	if ceiling > 0 {
		ranged = min(ranged, ceiling)
	}
	return max(feedImportPolicy(inputBytes).filled(true), ranged)
}

// rangedImportPolicy is importPolicy with a floor of
// rangedImportBytesPerOrg per org of the store, at most the input's size
// over rangedImportFeedShare, within the machine's share (ceiling; 0 when
// unknown) and never below the feed's own floor (importFloor).
func rangedImportPolicy(storeOrgs int, inputBytes int64, ceiling uint64) policy {
	pol := feedImportPolicy(inputBytes)
	floor := min(uint64(max(storeOrgs, 0))*rangedImportBytesPerOrg, uint64(max(inputBytes, 0))/rangedImportFeedShare)
	if ceiling > 0 {
		floor = min(floor, ceiling)
	}
	pol.floor = max(pol.floor, floor)
	return pol
}
