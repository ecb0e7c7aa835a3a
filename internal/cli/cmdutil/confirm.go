package cmdutil

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/partnerctl/partnerctl/internal/iostreams"
)

// Confirm asks a yes/no question on stderr and reads the answer from stdin;
// anything but y or yes is a no.
func Confirm(io *iostreams.IOStreams, question string) (bool, error) {
	fmt.Fprintf(io.ErrOut, "%s [y/N] ", question)
	answer, err := bufio.NewReader(io.In).ReadString('\n')
	if err != nil && answer == "" {
		fmt.Fprintln(io.ErrOut)
		return false, nil
	}
	a := strings.ToLower(strings.TrimSpace(answer))
	return a == "y" || a == "yes", nil
}
