// Command partnerctl is the partner admin console. All of it lives in
// internal/cli and pkg/; main only hands over the process.
package main

import (
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/root"
)

// envCPUProfile names a file to write a CPU profile of the whole run to: a
// hidden hook for performance work (see bench/README.md), not a feature.
const envCPUProfile = "PARTNERCTL_CPUPROFILE"

func main() {
	os.Exit(run())
}

// gcMemoryLimit is the heap size below which partnerctl does not collect
// garbage (unless GOGC or GOMEMLIMIT say otherwise). Its commands are short
// and most allocate far less, so collections were pure cost: a third of
// `orgs list --search` over 100k orgs. Above it the collector keeps the heap
// near the limit; `events import` sets a lower one of its own.
const gcMemoryLimit = 384 << 20

func run() int {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(gcMemoryLimit)
	}
	if path := os.Getenv(envCPUProfile); path != "" {
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	return root.Main(cmdutil.New(), os.Args[1:])
}
