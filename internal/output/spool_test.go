package output

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// gatedWriter takes nothing until open is closed: a consumer that does
// not read.
type gatedWriter struct {
	open chan struct{}
	mu   sync.Mutex
	buf  bytes.Buffer
}

func (w *gatedWriter) Write(p []byte) (int, error) {
	<-w.open
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

// Writes never wait for the consumer: past the memory limit they go to a
// file, and the consumer gets every byte in order once it reads.
func TestSpoolDoesNotWaitForItsReader(t *testing.T) {
	w := &gatedWriter{open: make(chan struct{})}
	s := NewSpool(w, 1000, t.TempDir())
	var want bytes.Buffer
	for i := range 5000 { // ~60 KB: memory, then the file
		line := fmt.Sprintf("row %d\n", i)
		want.WriteString(line)
		if _, err := s.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	if s.file == nil {
		t.Fatal("5000 rows past a 1000-byte limit did not spill")
	}
	close(w.open)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.buf.Bytes(), want.Bytes()) {
		t.Fatalf("got %d bytes, want %d (or out of order)", w.buf.Len(), want.Len())
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n += len(p); w.n > 100 {
		return 0, errors.New("broken pipe")
	}
	return len(p), nil
}

// Once the consumer fails, writes fail with its error, so the printer
// stops, and Close returns it.
func TestSpoolReportsItsReadersError(t *testing.T) {
	s := NewSpool(&failingWriter{}, 1<<20, t.TempDir())
	var err error
	for i := 0; i < 1e6 && err == nil; i++ {
		_, err = s.Write([]byte("0123456789"))
	}
	if err == nil || err.Error() != "broken pipe" {
		t.Fatalf("write err = %v", err)
	}
	if err := s.Close(); err == nil || err.Error() != "broken pipe" {
		t.Fatalf("close err = %v", err)
	}
}

func TestSpoolOfNothing(t *testing.T) {
	var b bytes.Buffer
	if err := NewSpool(&b, 10, "").Close(); err != nil || b.Len() != 0 {
		t.Fatal(err, b.Len())
	}
}
