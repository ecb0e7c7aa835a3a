package cmdutil

import (
	"bufio"
	"fmt"
	"io"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// ReadSecretArg returns arg, or for "-" the first line of standard input, so
// a token need not appear in the process list or shell history. A token
// given as an argument works, with a warning on stderr saying why not to.
func ReadSecretArg(f *Factory, arg string) (string, error) {
	if arg != "-" {
		fmt.Fprintln(f.IO.ErrOut, SecretArgWarning)
		return arg, nil
	}
	line, err := bufio.NewReader(io.LimitReader(f.IO.In, 64<<10)).ReadString('\n')
	if err != nil && line == "" {
		return "", fail.Usagef("no token or URL on standard input")
	}
	return line, nil
}

// SecretArgWarning is what a token given as an argument earns.
const SecretArgWarning = "partnerctl: warning: a token on the command line is visible to other users of this machine " +
	"(ps, /proc) and stays in your shell history; pass - and give it on standard input"
