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
// is, anything else (a pipe, a terminal) read to its end first into memory,
// or past MemoryInput into a temporary spool file of at most MaxSpool bytes.
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

// Input is a feed made ready for Run by Prepare.
type Input struct {
	src  *source
	read io.Reader // Read's position, made on first use
}

// Prepare reads a stream feed (a pipe, a terminal: anything but a regular
// file) to its end, as Run would, and returns it ready to import: the caller
// calls Prepare before it opens the store, so a slow or stalled producer
// holds no lock while it writes. A regular file is only looked at: Run reads
// it in its transactions, as it reads a file passed to it directly. Run
// reads an Input without copying it again; the caller Closes it when done,
// which removes its spool. A stream longer than opts.MaxSpool is refused
// with the error Run gives.
func Prepare(r io.Reader, opts Options) (*Input, error) {
	src, err := openSource(r, opts)
	if err != nil {
		return nil, err
	}
	return &Input{src: src}, nil
}

// Read reads the feed from its start: an Input is an io.Reader, so it
// passes wherever a feed does.
func (in *Input) Read(p []byte) (int, error) {
	if in.read == nil {
		in.read = in.src.from(0)
	}
	return in.read.Read(p)
}

// Size is the feed's length in bytes, negative when it cannot be told (or
// the feed is empty).
func (in *Input) Size() int64 {
	if n := in.src.size(); n > 0 {
		return n
	}
	return -1
}

// Close removes the feed's spool, if it has one.
func (in *Input) Close() { in.src.close() }

// sourceOf is r's source for Run, and whether Run owns it (else r is an
// Input its caller closes).
func sourceOf(r io.Reader, opts Options) (src *source, owned bool, err error) {
	if in, ok := r.(*Input); ok {
		return in.src, false, nil
	}
	src, err = openSource(r, opts)
	return src, err == nil, err
}

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
	spool, err := newSpool(opts)
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
			return nil, fail.Usagef("the input stream is longer than %s, more than an import holds on the side", sizeText(limit)).
				WithCode(fail.CodeInputTooLong)
		}
		return nil, fail.Wrap(fail.Internal, err, "cannot spool the events")
	}
	return s, nil
}

// newSpool makes a spool file in opts.TempDir (the system's temporary
// folder when unset), registered so doctor finds it after a crash.
func newSpool(opts Options) (*tempfile.File, error) {
	dir := opts.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	return tempfile.Create(dir, opts.TempDir, tempfile.KindSpool)
}

// from reads the input from offset off on.
func (s *source) from(off int64) io.Reader {
	return io.NewSectionReader(s.at, s.start+off, math.MaxInt64-s.start-off)
}

// size is the input's length in bytes.
func (s *source) size() int64 {
	switch at := s.at.(type) {
	case interface{ Size() int64 }:
		return at.Size() - s.start
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := at.Stat(); err == nil {
			return fi.Size() - s.start
		}
	}
	return 0
}

func (s *source) close() {
	if s.spool != nil {
		s.spool.Remove()
		s.spool = nil
	}
}

// sizeText is n bytes in MiB when it is a whole number of them.
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
