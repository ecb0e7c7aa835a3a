package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// streamOptions are every format and option PrintRows must print as
// PrintList does, streamed or not.
var streamOptions = []Options{
	{Format: FormatTable},
	{Format: FormatTable, NoHeaders: true},
	{Format: FormatTable, Fields: []string{"n", "name"}},
	{Format: FormatTable, TTY: true, Now: at},
	{Format: FormatTable, TTY: true, Now: at, Width: 20, Fields: []string{"name", "at"}},
	{Format: FormatJSON},
	{Format: FormatJSON, Fields: []string{"at", "name"}},
	{Format: FormatJSON, TTY: true},
	{Format: FormatJSON, JQ: ".[].name"},
	{Format: FormatJSON, Template: "{{range .}}{{.name}};{{end}}"},
	{Format: FormatCSV},
	{Format: FormatCSV, NoHeaders: true, Fields: []string{"ok"}},
	{Format: FormatCSV, CSVRaw: true},
}

// streamData has the awkward cells: quotes, tabs, newlines, a formula,
// control bytes, non-ASCII, no time.
func streamData(n int) []row {
	out := []row{{Name: "a\tb, \"c\"\nd", N: 3, OK: true, At: &at}, {Name: "plain"},
		{Name: "=cmd|' /C calc'!A0", N: -1}, {Name: "esc \x1b[31mred\x1b[0m é ü"}}
	for i := len(out); i < n; i++ {
		out = append(out, row{Name: fmt.Sprintf("Org %05d", i), N: i, OK: i%2 == 0, At: &at})
	}
	return out[:n]
}

func TestPrintRowsIsPrintList(t *testing.T) {
	for _, n := range []int{0, 1, 4, 3000} { // 3000 rows: more than one 64 KB block
		data := streamData(n)
		for _, o := range streamOptions {
			var list, stream bytes.Buffer
			errList := PrintList(&list, rows, data, o)
			errStream := PrintRows(&stream, rows, sliceRows(data), o)
			if errList != nil || errStream != nil {
				t.Fatalf("%d rows, %+v: %v / %v", n, o, errList, errStream)
			}
			if !bytes.Equal(list.Bytes(), stream.Bytes()) {
				t.Errorf("%d rows, %+v:\nlist   %q\nstream %q", n, o, clip(list.String()), clip(stream.String()))
			}
		}
	}
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// failingRows yields n rows, then err.
func failingRows(n int, err error) iter.Seq2[row, error] {
	return func(yield func(row, error) bool) {
		for _, r := range streamData(n) {
			if !yield(r, nil) {
				return
			}
		}
		yield(row{}, err)
	}
}

func TestStreamErrorIsReturnedAndNeverClosesTheList(t *testing.T) {
	boom := errors.New("store: boom")
	for _, o := range []Options{{Format: FormatJSON}, {Format: FormatCSV}, {Format: FormatTable}} {
		// Early: nothing reaches stdout.
		var early bytes.Buffer
		if err := PrintRows(&early, rows, failingRows(3, boom), o); !errors.Is(err, boom) {
			t.Fatalf("%s: err = %v", o.Format, err)
		}
		if early.Len() != 0 {
			t.Errorf("%s: an error in the first block wrote %q", o.Format, early.String())
		}
		// Late: what left stays, and JSON is not a closed array.
		var late bytes.Buffer
		if err := PrintRows(&late, rows, failingRows(5000, boom), o); !errors.Is(err, boom) {
			t.Fatalf("%s: err = %v", o.Format, err)
		}
		if late.Len() == 0 {
			t.Errorf("%s: 5000 rows wrote nothing before the error", o.Format)
		}
		if o.Format == FormatJSON && strings.HasSuffix(strings.TrimSpace(late.String()), "]") {
			t.Errorf("json: a failed list ends with its closing bracket")
		}
	}
	// A collecting format writes nothing at all.
	var tty bytes.Buffer
	if err := PrintRows(&tty, rows, failingRows(5000, boom), Options{Format: FormatJSON, TTY: true}); !errors.Is(err, boom) || tty.Len() != 0 {
		t.Fatalf("tty json: err = %v, wrote %d bytes", err, tty.Len())
	}
}

// countingRows yields n rows and records the most it had handed out ahead
// of what the writer had written: a streaming printer asks for rows as it
// writes them.
func TestPrintRowsStreams(t *testing.T) {
	var out countingWriter
	handed := 0
	maxAhead := 0
	data := streamData(20000)
	seq := func(yield func(row, error) bool) {
		for _, r := range data {
			handed++
			maxAhead = max(maxAhead, handed*30-int(out.n.Load())) // ~30 bytes a row
			if !yield(r, nil) {
				return
			}
		}
	}
	if err := PrintRows(&out, rows, seq, Options{Format: FormatCSV}); err != nil {
		t.Fatal(err)
	}
	if out.n.Load() < 20000*20 {
		t.Fatalf("wrote %d bytes", out.n.Load())
	}
	if maxAhead > 256<<10 {
		t.Errorf("rows ran %d bytes ahead of the output: not streamed", maxAhead)
	}
}

// countingWriter counts what it is written; atomically, as rows are read
// in one goroutine and written in another (see readAhead).
type countingWriter struct{ n atomic.Int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n.Add(int64(len(p))); return len(p), nil }

func BenchmarkPrintRows(b *testing.B) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	data := make([]row, 10000)
	for i := range data {
		data[i] = row{Name: "Acme Bakery", N: i, OK: true, At: &at}
	}
	for _, f := range []Format{FormatJSON, FormatCSV, FormatTable} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if err := PrintRows(io.Discard, rows, sliceRows(data), Options{Format: f}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
