package events

import (
	"bufio"
	"errors"
	"io"
)

// MaxLineBytes bounds one line. Longer lines are read through and reported,
// never held in memory, so a hostile 20 MB line costs nothing.
const MaxLineBytes = 1 << 20

// Lines reads a stream line by line with bounded memory.
type Lines struct {
	r    *bufio.Reader
	num  int
	off  int64
	line []byte
	long bool
	err  error
}

// NewLines reads from r.
func NewLines(r io.Reader) *Lines { return &Lines{r: bufio.NewReaderSize(r, 64<<10)} }

// Next advances to the next line; false at the end or on a read error (see Err).
func (l *Lines) Next() bool {
	l.line, l.long = l.line[:0], false
	for {
		chunk, err := l.r.ReadSlice('\n')
		l.off += int64(len(chunk))
		if len(l.line)+len(chunk) > MaxLineBytes {
			l.long = true
			l.line = l.line[:0]
		} else if !l.long {
			l.line = append(l.line, chunk...)
		}
		switch {
		case err == nil:
			l.num++
			l.trim()
			return true
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(chunk) == 0 && len(l.line) == 0 && !l.long {
				return false
			}
			l.num++
			l.trim()
			return true
		default:
			l.err = err
			return false
		}
	}
}

func (l *Lines) trim() {
	n := len(l.line)
	if n > 0 && l.line[n-1] == '\n' {
		n--
	}
	if n > 0 && l.line[n-1] == '\r' {
		n--
	}
	l.line = l.line[:n]
}

// Bytes is the current line without its line ending; valid until Next.
func (l *Lines) Bytes() []byte { return l.line }

// Number is the current line's 1-based number.
func (l *Lines) Number() int { return l.num }

// Offset is how many bytes of the stream the lines so far took, line
// endings included: where the next line starts.
func (l *Lines) Offset() int64 { return l.off }

// TooLong reports that the current line exceeded MaxLineBytes and was dropped.
func (l *Lines) TooLong() bool { return l.long }

// Err is the first read error, if any.
func (l *Lines) Err() error { return l.err }
