package link

import "github.com/atotto/clipboard"

// Clipboard is where `link create` copies a URL. The system one is
// atotto/clipboard; tests hand NewCmdLink a fake.
type Clipboard interface {
	// Supported is false on a machine with no clipboard utility (a server,
	// a container, CI).
	Supported() bool
	WriteAll(text string) error
}

// SystemClipboard is the machine's clipboard, through xclip, xsel or
// wl-copy on Linux, pbcopy on macOS and the Windows API on Windows.
type SystemClipboard struct{}

func (SystemClipboard) Supported() bool            { return !clipboard.Unsupported }
func (SystemClipboard) WriteAll(text string) error { return clipboard.WriteAll(text) }
