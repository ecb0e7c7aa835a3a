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
	// free holds chunks w has taken, for Write to fill again: a list of
	// hundreds of megabytes copied into fresh memory cost more in page
	// faults than the copying (~0.15 s for 75 MB).
	free [][]byte
	file *os.File // once mem overflowed: everything written since
	// fileW, fileR: how far the file is written and taken.
	fileW, fileR int64
	closed       bool
	err          error // w's first error; Write returns it from then on
	done         chan struct{}
}

// spoolChunk is the size of the memory chunks a spool fills and hands to
// w: large enough that a pipe takes few writes.
const spoolChunk = 64 << 10

// NewSpool starts a spool onto w holding up to limit bytes in memory, its
// overflow in a file in dir ("" for the system's temporary folder).
func NewSpool(w io.Writer, limit int, dir string) *Spool {
	s := &Spool{w: w, limit: limit, dir: dir, done: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	go s.drain()
	return s
}

// NeedsSpool says whether writes to w can wait on a consumer that may
// stop reading (a pipe or a socket), or whatever w is when it is not a
// file: only those are worth a Spool. A regular file or a device (a
// terminal, /dev/null) takes writes at the disk's or the screen's pace.
func NeedsSpool(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return true
	}
	fi, err := f.Stat()
	return err != nil || fi.Mode()&(os.ModeNamedPipe|os.ModeSocket) != 0 || fi.Mode().Type() == os.ModeIrregular
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
	s.held += len(p)
	for rest := p; len(rest) > 0; {
		last := len(s.mem) - 1
		if last < 0 || len(s.mem[last]) == cap(s.mem[last]) {
			s.mem = append(s.mem, s.chunk())
			last++
		}
		n := min(len(rest), cap(s.mem[last])-len(s.mem[last]))
		s.mem[last] = append(s.mem[last], rest[:n]...)
		rest = rest[n:]
	}
	s.cond.Signal()
	return len(p), nil
}

// chunk is an empty chunk to fill, one w has taken when there is one.
func (s *Spool) chunk() []byte {
	if n := len(s.free); n > 0 {
		c := s.free[n-1]
		s.free = s.free[:n-1]
		return c[:0]
	}
	return make([]byte, 0, spoolChunk)
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
		fromMem := false
		switch {
		case len(s.mem) > 0:
			chunk = s.mem[0]
			s.mem[0] = nil
			s.mem = s.mem[1:]
			s.held -= len(chunk)
			fromMem = true
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
		_, err := s.w.Write(chunk)
		s.mu.Lock()
		if err != nil {
			s.err = err
			s.mem, s.held, s.free = nil, 0, nil
			s.mu.Unlock()
			return
		}
		if fromMem && len(s.free)*spoolChunk < s.limit {
			s.free = append(s.free, chunk)
		}
		s.mu.Unlock()
	}
}
