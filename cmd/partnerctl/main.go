// Command partnerctl is the partner admin console. All of it lives in
// internal/cli and pkg/; main only hands over the process.
package main

import (
	"os"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/root"
	"github.com/partnerctl/partnerctl/internal/runtimetune"
)

func main() {
	stop := runtimetune.Start()
	code := root.Main(cmdutil.New(), os.Args[1:])
	stop()
	os.Exit(code)
}
