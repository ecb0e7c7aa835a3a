// Package clipboard is where partnerctl copies a login link's URL: `link
// create` and the interactive console share it, and tests hand both a fake.
package clipboard

import (
	"errors"
	"fmt"

	"github.com/atotto/clipboard"
)

// Clipboard is a place to copy text to.
type Clipboard interface {
	// Supported is false on a machine with no clipboard utility (a server,
	// a container, CI).
	Supported() bool
	WriteAll(text string) error
}

// System is the machine's clipboard, through xclip, xsel or wl-copy on
// Linux, pbcopy on macOS and the Windows API on Windows (atotto/clipboard).
type System struct{}

func (System) Supported() bool            { return !clipboard.Unsupported }
func (System) WriteAll(text string) error { return clipboard.WriteAll(text) }

// ErrUnsupported is Copy's answer on a machine without a clipboard.
var ErrUnsupported = errors.New("no clipboard on this machine (install xclip, xsel or wl-clipboard)")

// Copy copies text to c. It returns ErrUnsupported when c has no clipboard
// to write to, or the clipboard's own failure, worded for a person.
func Copy(c Clipboard, text string) error {
	if !c.Supported() {
		return ErrUnsupported
	}
	if err := c.WriteAll(text); err != nil {
		return fmt.Errorf("the clipboard failed (%w)", err)
	}
	return nil
}
