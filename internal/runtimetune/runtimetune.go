// Package runtimetune sets up the Go runtime for partnerctl's short-lived
// commands, and the hidden CPU-profile hook used for performance work.
package runtimetune

import (
	"os"
	"runtime/pprof"
)

// EnvCPUProfile names a file to write a CPU profile of the whole run to: a
// hidden hook for performance work (see bench/README.md), not a feature.
const EnvCPUProfile = "PARTNERCTL_CPUPROFILE"

// Start applies the settings and starts profiling when asked; the returned
// function stops the profile and must run before the process exits.
//
// Unless GOGC or GOMEMLIMIT say otherwise, the heap is left to grow to
// readFloor before the first collection (partnerctl's commands are short
// and most allocate far less, so collections were pure cost: a third of
// `orgs list --search` over 100k orgs), and after each collection its
// limit follows the live heap (see pacer): a fixed limit sized for 100k orgs
// sat far below the live heap of a million, where the collector then ran
// nonstop (50–75% of the CPU).
func Start() (stop func()) {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		startPacer(readPolicy, machineMemory())
	}
	stop = func() {}
	if path := os.Getenv(EnvCPUProfile); path != "" {
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				stop = func() { pprof.StopCPUProfile(); f.Close() }
			}
		}
	}
	return stop
}

// ForImport switches the pacing to importPolicy, for an `events import`
// of inputBytes (negative when unknown): an import's live set is larger and
// lives longer, so the heap gets less room above it (its peak RSS is the
// budget that matters) and the first collection comes earlier, the earlier
// the shorter the feed (see importFloor).
// The heap it reserves covers an import in ranges too (see importReserve).
// It does nothing when GOGC or GOMEMLIMIT is set or Start did not pace.
func ForImport(inputBytes int64) {
	if p := current.Load(); p != nil {
		p.setPolicy(feedImportPolicy(inputBytes), importReserve(inputBytes, p.ceiling))
	}
}

// ForStream switches the pacing to streamPolicy, for a list that holds its
// matches before it prints them (`orgs list --sort …`, a search); whole
// says it reads every match, not a page of them.
// It does nothing when GOGC or GOMEMLIMIT is set or Start did not pace.
func ForStream(whole bool) {
	if p := current.Load(); p != nil {
		p.setPolicy(streamPolicy, streamPolicy.filled(whole))
	}
}

// ForScan switches the pacing to scanPolicy, for a read that counts or
// prints its rows as it reads them and keeps none (`orgs stats`, `orgs
// list` in the store's name order); whole says it reads every match, not
// a page of them.
// It does nothing when GOGC or GOMEMLIMIT is set or Start did not pace.
func ForScan(whole bool) {
	if p := current.Load(); p != nil {
		p.setPolicy(scanPolicy, scanPolicy.filled(whole))
	}
}
