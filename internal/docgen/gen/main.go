// Command gen regenerates the CLI reference, man pages and completions:
// go generate ./... (or go run ./internal/docgen/gen -out .).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/partnerctl/partnerctl/internal/docgen"
)

func main() {
	out := flag.String("out", ".", "repository root to write into")
	flag.Parse()
	if err := docgen.Generate(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
