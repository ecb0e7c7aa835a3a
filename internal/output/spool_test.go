package output

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

// Chunks the reader took are filled again; what it gets is every byte in
// order, written in pieces that straddle chunks.
func TestSpoolRecyclesItsChunks(t *testing.T) {
	var got bytes.Buffer
	s := NewSpool(&got, 4*spoolChunk, t.TempDir())
	var want bytes.Buffer
	for i := range 40000 { // ~10 chunks, 4 held at most
		line := bytes.Repeat([]byte{byte('a' + i%26)}, 1+i%37)
		want.Write(line)
		if _, err := s.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("got %d bytes, want %d (or out of order)", got.Len(), want.Len())
	}
}

func TestNeedsSpoolOnlyForPipesAndUnknownWriters(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	for _, c := range []struct {
		name string
		w    any
		want bool
	}{{"pipe", w, true}, {"buffer", &bytes.Buffer{}, true}, {"regular file", file, false}, {"/dev/null", null, false}} {
		if got := NeedsSpool(c.w.(interface{ Write([]byte) (int, error) })); got != c.want {
			t.Errorf("%s: NeedsSpool = %v, want %v", c.name, got, c.want)
		}
	}
}
