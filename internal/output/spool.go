package output

import (
	"io"
	"os"
	"sync"
)

// Spool writes to w from a goroutine of its own, so a list can be read and
// printed at the store's pace while stdout takes it at the consumer's: what
// w has not taken yet waits in memory, up to limit bytes, then in an
// unlinked temporary file. A streamed list thus holds the store no longer
// than reading it takes, even when nobody reads its output (a pipe into a
// paused pager): read commands release the store before they wait on
// stdout, which is what keeps a writer from timing out behind them.
type Spool struct {
	w     io.Writer
	limit int
	dir   string

	mu   sync.Mutex
	cond *sync.Cond
	mem  [][]byte // written, not yet taken by w; before anything in file
	held int      // bytes in mem
	file *os.File // once mem overflowed: everything written since
	// fileW, fileR: how far the file is written and taken.
	fileW, fileR int64
	closed       bool
	err          error // w's first error; Write returns it from then on
	done         chan struct{}
}

// NewSpool starts a spool onto w holding up to limit bytes in memory, its
// overflow in a file in dir ("" for the system's temporary folder).
func NewSpool(w io.Writer, limit int, dir string) *Spool {
	s := &Spool{w: w, limit: limit, dir: dir, done: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	go s.drain()
	return s
}

// Write queues p; it fails only once w has failed (a closed pipe), so the
// printer stops at once.
func (s *Spool) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	if s.file == nil && s.held+len(p) > s.limit {
		f, err := os.CreateTemp(s.dir, "partnerctl-spool-*")
		if err != nil {
			return 0, err
		}
		_ = os.Remove(f.Name()) // the open file keeps its data; nothing to clean up
		s.file = f
	}
	if s.file != nil {
		n, err := s.file.WriteAt(p, s.fileW)
		s.fileW += int64(n)
		s.cond.Signal()
		return n, err
	}
	s.mem = append(s.mem, append([]byte(nil), p...))
	s.held += len(p)
	s.cond.Signal()
	return len(p), nil
}

// Close waits until w has taken everything written, and returns w's error.
func (s *Spool) Close() error {
	s.mu.Lock()
	s.closed = true
	s.cond.Signal()
	s.mu.Unlock()
	<-s.done
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name()) // where an open file can't be removed
	}
	return s.err
}

func (s *Spool) drain() {
	defer close(s.done)
	buf := make([]byte, 64<<10)
	for {
		s.mu.Lock()
		for len(s.mem) == 0 && (s.file == nil || s.fileR == s.fileW) && !s.closed {
			s.cond.Wait()
		}
		var chunk []byte
		switch {
		case len(s.mem) > 0:
			chunk = s.mem[0]
			s.mem[0] = nil
			s.mem = s.mem[1:]
			s.held -= len(chunk)
		case s.file != nil && s.fileR < s.fileW:
			n, err := s.file.ReadAt(buf[:min(int64(len(buf)), s.fileW-s.fileR)], s.fileR)
			if err != nil && n == 0 {
				s.err = err
				s.mu.Unlock()
				return
			}
			s.fileR += int64(n)
			chunk = buf[:n]
		default: // closed, and everything taken
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		if _, err := s.w.Write(chunk); err != nil {
			s.mu.Lock()
			s.err = err
			s.mem, s.held = nil, 0
			s.mu.Unlock()
			return
		}
	}
}
