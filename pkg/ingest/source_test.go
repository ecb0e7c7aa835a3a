package ingest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// stream hides what a reader is, as a pipe would: not a regular file.
type stream struct{ io.Reader }

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// A stream past MaxSpool is refused with the documented usage error (exit
// 2, input_too_long), and the spool it had begun is gone.
func TestStreamPastTheSpoolCapIsRefusedAndLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	opts := Options{MemoryInput: 10, MaxSpool: 100, TempDir: dir}
	for _, n := range []int{101, 5000} {
		_, err := Prepare(stream{strings.NewReader(strings.Repeat("x", n))}, opts)
		if err == nil {
			t.Fatalf("%d bytes past a cap of 100: no error", n)
		}
		if want := "the input stream is longer than 100 bytes, more than an import holds on the side"; err.Error() != want {
			t.Fatalf("error %q, want %q", err, want)
		}
		if code, _ := fail.CodeOf(err); code != fail.CodeInputTooLong || fail.ExitCode(err) != 2 {
			t.Fatalf("code %q, exit %d; want %q, exit 2", code, fail.ExitCode(err), fail.CodeInputTooLong)
		}
		if left := dirEntries(t, dir); len(left) != 0 {
			t.Fatalf("left behind: %v", left)
		}
	}
	// Run refuses it the same way before touching the store (there is none).
	_, err := Run(t.Context(), nil, stream{strings.NewReader(strings.Repeat("x", 101))}, nil, opts)
	if code, _ := fail.CodeOf(err); code != fail.CodeInputTooLong {
		t.Fatalf("Run: %v", err)
	}
	if left := dirEntries(t, dir); len(left) != 0 {
		t.Fatalf("Run left behind: %v", left)
	}
	// The default cap is named in MiB.
	if got := sizeText(DefaultMaxSpool); got != "4096 MiB" {
		t.Fatalf("sizeText(DefaultMaxSpool) = %q", got)
	}
}

// Exactly MaxSpool bytes fit.
func TestStreamAtTheSpoolCapIsHeld(t *testing.T) {
	dir := t.TempDir()
	in, err := Prepare(stream{strings.NewReader(strings.Repeat("y", 100))}, Options{MemoryInput: 10, MaxSpool: 100, TempDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	got, err := io.ReadAll(in)
	if err != nil || string(got) != strings.Repeat("y", 100) {
		t.Fatalf("read back %d bytes: %v", len(got), err)
	}
}

// Prepare reads a stream to its end at once (the producer is done before
// any store is opened), into memory when it is small, else into a spool in
// TempDir that Close removes; the input reads the same from any offset, as
// often as a transaction run again needs.
func TestPrepareReadsAStreamToItsEnd(t *testing.T) {
	for _, tc := range []struct {
		name   string
		memory int64
		spool  bool
	}{{"memory", 1 << 10, false}, {"spool", 16, true}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			text := "line one\nline two\nline three\n"
			src := strings.NewReader(text)
			in, err := Prepare(stream{src}, Options{MemoryInput: tc.memory, TempDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if src.Len() != 0 {
				t.Fatalf("%d bytes of the stream left unread", src.Len())
			}
			if got := in.Size(); got != int64(len(text)) {
				t.Fatalf("Size() = %d, want %d", got, len(text))
			}
			left := dirEntries(t, dir)
			if spooled := len(left) == 1 && strings.HasPrefix(left[0], ".partnerctl-spool-"); spooled != tc.spool || len(left) > 1 {
				t.Fatalf("temporary files %v, want a spool: %v", left, tc.spool)
			}
			for range 2 {
				got, _ := io.ReadAll(in.src.from(9))
				if string(got) != text[9:] {
					t.Fatalf("from offset 9: %q", got)
				}
			}
			if got, _ := io.ReadAll(in); string(got) != text {
				t.Fatalf("Read: %q", got)
			}
			// Run takes the prepared source as it is and leaves it open.
			src2, owned, err := sourceOf(in, Options{})
			if err != nil || owned || src2 != in.src {
				t.Fatalf("sourceOf(Input) = %p, owned %v, %v", src2, owned, err)
			}
			in.Close()
			if left := dirEntries(t, dir); len(left) != 0 {
				t.Fatalf("Close left %v", left)
			}
		})
	}
}

// A regular file is not copied: it is read in place, from where it stood.
func TestPrepareLeavesARegularFileInPlace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feed.jsonl")
	if err := os.WriteFile(path, []byte("skip\nkeep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(5, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	in, err := Prepare(f, Options{MemoryInput: 1, MaxSpool: 1, TempDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if in.src.at != io.ReaderAt(f) || in.src.spool != nil {
		t.Fatalf("the file was copied: %T", in.src.at)
	}
	if got := in.Size(); got != 5 {
		t.Fatalf("Size() = %d, want 5 (from where the file stood)", got)
	}
	if got, _ := io.ReadAll(in); !bytes.Equal(got, []byte("keep\n")) {
		t.Fatalf("read %q", got)
	}
	if left := dirEntries(t, dir); len(left) != 1 {
		t.Fatalf("temporary files: %v", left)
	}
}

// A failing producer is an internal error, with nothing left behind.
func TestPrepareReportsAReadError(t *testing.T) {
	dir := t.TempDir()
	boom := errors.New("boom")
	_, err := Prepare(stream{io.MultiReader(strings.NewReader(strings.Repeat("z", 50)), iotest.ErrReader(boom))}, Options{MemoryInput: 10, TempDir: dir})
	if !errors.Is(err, boom) || fail.ExitCode(err) != 1 {
		t.Fatalf("err %v, exit %d", err, fail.ExitCode(err))
	}
	if left := dirEntries(t, dir); len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
}

// An empty feed has no size to pace the import by.
func TestPreparedEmptyStreamHasNoSize(t *testing.T) {
	in, err := Prepare(stream{strings.NewReader("")}, Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if got := in.Size(); got != -1 {
		t.Fatalf("Size() = %d, want -1", got)
	}
}
