// Package progress draws progress bars for long work on stderr, only when
// stderr is a terminal; otherwise every method does nothing, so scripts and
// logs stay clean.
package progress

import (
	"io"

	"github.com/schollz/progressbar/v3"

	"github.com/partnerctl/partnerctl/internal/iostreams"
	"github.com/partnerctl/partnerctl/internal/output"
)

// Bar is a progress bar, or a silent stand-in off a terminal.
type Bar struct{ pb *progressbar.ProgressBar }

// New starts a bar over total bytes; total -1
// draws a spinner for work of unknown size.
func New(io *iostreams.IOStreams, total int64, description string) *Bar {
	if !io.IsStderrTTY() {
		return &Bar{}
	}
	return &Bar{pb: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(output.RawWriter(io.ErrOut)),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)}
}

// NewCount starts a bar over a count of items.
func NewCount(io *iostreams.IOStreams, total int, description string) *Bar {
	if !io.IsStderrTTY() {
		return &Bar{}
	}
	return &Bar{pb: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(output.RawWriter(io.ErrOut)),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)}
}

// Set moves the bar to n.
func (b *Bar) Set(n int64) {
	if b.pb != nil {
		_ = b.pb.Set64(n)
	}
}

// SetInt moves the bar to n.
func (b *Bar) SetInt(n int) { b.Set(int64(n)) }

// Finish completes and clears the bar.
func (b *Bar) Finish() {
	if b.pb != nil {
		_ = b.pb.Finish()
	}
}

// Reader reports the bytes read from r on the bar.
func (b *Bar) Reader(r io.Reader) io.Reader {
	if b.pb == nil {
		return r
	}
	return &countingReader{r: r, bar: b}
}

type countingReader struct {
	r   io.Reader
	n   int64
	bar *Bar
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.bar.Set(c.n)
	return n, err
}
