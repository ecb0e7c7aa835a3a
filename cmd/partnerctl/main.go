// Command partnerctl is the partner admin console. All of it lives in
// internal/cli and pkg/; main only hands over the process.
package main

import (
	"os"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/root"
	"github.com/partnerctl/partnerctl/internal/runtimetune"
	"github.com/partnerctl/partnerctl/pkg/tempfile"
)

func main() {
	stop := runtimetune.Start()
	// Ctrl-C or a SIGTERM removes the temporary files of a store being
	// created, an import's spool or a backup being written, then exits.
	stopSignals := tempfile.RemoveOnSignal()
	code := root.Main(cmdutil.New(), os.Args[1:])
	stopSignals()
	stop()
	os.Exit(code)
}
