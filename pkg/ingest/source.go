package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/tempfile"
)

// source is an import's input, readable again from any line start, so a
// transaction that is run again reads the same lines: a regular file as it
// is, anything else (a pipe, a terminal) read to its end first — before the
// store is touched, so a slow producer holds no lock — into memory, or past
// MemoryInput into a temporary spool file of at most MaxSpool bytes.
type source struct {
	at    io.ReaderAt
	start int64 // where the input starts in at
	spool *tempfile.File
}

// Defaults of Options.MemoryInput and Options.MaxSpool.
const (
	DefaultMemoryInput = 32 << 20
	DefaultMaxSpool    = 4 << 30
)

// ErrSpoolFull is returned when a stream is longer than Options.MaxSpool.
var ErrSpoolFull = errors.New("the input is too long to hold")

func openSource(r io.Reader, opts Options) (*source, error) {
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			if pos, err := f.Seek(0, io.SeekCurrent); err == nil {
				return &source{at: f, start: pos}, nil
			}
		}
	}
	memory, limit := opts.MemoryInput, opts.MaxSpool
	if memory <= 0 {
		memory = DefaultMemoryInput
	}
	if limit <= 0 {
		limit = DefaultMaxSpool
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, memory+1))
	if err != nil {
		return nil, fail.Wrap(fail.Internal, err, "cannot read the events")
	}
	if n <= memory {
		return &source{at: bytes.NewReader(buf.Bytes())}, nil
	}
	dir := opts.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	spool, err := tempfile.Create(dir, opts.TempDir, tempfile.KindSpool)
	if err != nil {
		return nil, fail.Wrap(fail.Internal, err, "cannot spool the events")
	}
	s := &source{at: spool, spool: spool}
	written, err := io.Copy(spool, io.MultiReader(&buf, io.LimitReader(r, limit+1-n)))
	if err == nil && written > limit {
		err = fmt.Errorf("%w: more than %d bytes", ErrSpoolFull, limit)
	}
	if err != nil {
		s.close()
		if errors.Is(err, ErrSpoolFull) {
			return nil, fail.Usagef("the input stream is longer than %d MiB, more than an import holds on the side", limit>>20).
				WithCode(fail.CodeInputTooLong)
		}
		return nil, fail.Wrap(fail.Internal, err, "cannot spool the events")
	}
	return s, nil
}

// from reads the input from offset off on.
func (s *source) from(off int64) io.Reader {
	return io.NewSectionReader(s.at, s.start+off, math.MaxInt64-s.start-off)
}

func (s *source) close() {
	if s.spool != nil {
		s.spool.Remove()
		s.spool = nil
	}
}
