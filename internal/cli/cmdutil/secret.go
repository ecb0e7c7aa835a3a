package cmdutil

import (
	"bufio"
	"io"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// ReadSecretArg returns arg, or for "-" the first line of standard input, so
// a token need not appear in the process list or shell history.
func ReadSecretArg(f *Factory, arg string) (string, error) {
	if arg != "-" {
		return arg, nil
	}
	line, err := bufio.NewReader(io.LimitReader(f.IO.In, 64<<10)).ReadString('\n')
	if err != nil && line == "" {
		return "", fail.Usagef("no token or URL on standard input")
	}
	return line, nil
}
