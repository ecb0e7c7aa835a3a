package events

import (
	"runtime"
	"strings"
	"testing"
)

// endless yields n bytes of 'x' then "\n" then tail, without holding them.
type endless struct {
	n    int
	tail *strings.Reader
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n == 0 {
		return e.tail.Read(p)
	}
	k := min(len(p), e.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	e.n -= k
	return k, nil
}

// A 20 MB line is reported as too long and costs a bounded amount of
// memory: the reader never holds more than MaxLineBytes of it.
func TestLinesTwentyMegabyteLine(t *testing.T) {
	r := &endless{n: 20 << 20, tail: strings.NewReader("\nnext\n")}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	l := NewLines(r)
	if !l.Next() || !l.TooLong() || len(l.Bytes()) != 0 || l.Number() != 1 {
		t.Fatalf("first line: long=%v len=%d num=%d", l.TooLong(), len(l.Bytes()), l.Number())
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8*MaxLineBytes {
		t.Fatalf("reading a 20 MB line allocated %d bytes, want at most %d", grew, 8*MaxLineBytes)
	}
	if !l.Next() || l.TooLong() || string(l.Bytes()) != "next" || l.Number() != 2 {
		t.Fatalf("second line: %q long=%v num=%d", l.Bytes(), l.TooLong(), l.Number())
	}
	if l.Next() || l.Err() != nil {
		t.Fatalf("want the end, err %v", l.Err())
	}
}

func TestParseRefusesInvalidUTF8(t *testing.T) {
	_, err := Parse([]byte("{\"id\":\"e\xff\",\"org\":\"o\",\"type\":\"session.started\",\"at\":\"2026-11-20T10:00:00Z\"}"))
	if err == nil || err.Error() != "invalid UTF-8" {
		t.Fatalf("err = %v, want invalid UTF-8", err)
	}
}
