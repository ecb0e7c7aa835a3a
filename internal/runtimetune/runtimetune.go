// Package runtimetune sets up the Go runtime for partnerctl's short-lived
// commands, and the hidden CPU-profile hook used for performance work.
package runtimetune

import (
	"os"
	"runtime/debug"
	"runtime/pprof"
)

// EnvCPUProfile names a file to write a CPU profile of the whole run to: a
// hidden hook for performance work (see bench/README.md), not a feature.
const EnvCPUProfile = "PARTNERCTL_CPUPROFILE"

// gcMemoryLimit is the heap size below which partnerctl does not collect
// garbage (unless GOGC or GOMEMLIMIT say otherwise). Its commands are short
// and most allocate far less, so collections were pure cost: a third of
// `orgs list --search` over 100k orgs. Above it the collector keeps the heap
// near the limit; `events import` sets a lower one of its own.
const gcMemoryLimit = 384 << 20

// Start applies the settings and starts profiling when asked; the returned
// function stops the profile and must run before the process exits.
func Start() (stop func()) {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(gcMemoryLimit)
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
