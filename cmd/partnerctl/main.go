// Command partnerctl is the partner admin console. All of it lives in
// internal/cli and pkg/; main only hands over the process.
package main

import (
	"os"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/root"
)

func main() {
	os.Exit(root.Main(cmdutil.New(), os.Args[1:]))
}
