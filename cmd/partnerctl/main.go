// Command partnerctl is the partner admin console. All of it lives in
// internal/cli and pkg/; main only hands over the process.
package main

import (
	"os"
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

func run() int {
	if path := os.Getenv(envCPUProfile); path != "" {
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	return root.Main(cmdutil.New(), os.Args[1:])
}
