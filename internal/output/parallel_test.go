package output

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// manyRows are enough rows for PrintList to format them in chunks on
// several cores: five chunks and a part.
func manyRows() []row {
	out := make([]row, 5*parallelChunk+7)
	for i := range out {
		out[i] = row{Name: fmt.Sprintf("org %d", i), N: i, OK: i%2 == 0}
	}
	return out
}

// onCores runs f with GOMAXPROCS at least n, so that the chunked path is
// taken on a one-core machine too.
func onCores(t *testing.T, n int, f func()) {
	t.Helper()
	prev := runtime.GOMAXPROCS(max(n, runtime.GOMAXPROCS(0)))
	defer runtime.GOMAXPROCS(prev)
	f()
}

func TestPrintListInChunksKeepsEveryRowInOrder(t *testing.T) {
	list := manyRows()
	var plain, csv, json strings.Builder
	plain.WriteString("NAME\tN\tOK\tAT\n")
	csv.WriteString("name,n,ok,at\n")
	json.WriteString("[")
	for i, r := range list {
		fmt.Fprintf(&plain, "%s\t%d\t%t\t\n", r.Name, r.N, r.OK)
		fmt.Fprintf(&csv, "%s,%d,%t,\n", r.Name, r.N, r.OK)
		if i > 0 {
			json.WriteString(",")
		}
		fmt.Fprintf(&json, `{"name":%q,"n":%d,"ok":%t,"at":null}`, r.Name, r.N, r.OK)
	}
	json.WriteString("]\n")
	cases := []struct {
		o    Options
		want string
	}{
		{Options{Format: FormatTable}, plain.String()},
		{Options{Format: FormatCSV}, csv.String()},
		{Options{Format: FormatJSON}, json.String()},
	}
	onCores(t, 4, func() {
		for _, c := range cases {
			var buf bytes.Buffer
			if err := PrintList(&buf, rows, list, c.o); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != c.want {
				t.Errorf("%s: %d bytes, want %d; first difference at byte %d", c.o.Format, len(got), len(c.want), firstDifference(got, c.want))
			}
		}
	})
}

func firstDifference(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// shortWriter takes the first n bytes written, then fails.
type shortWriter struct{ n int }

var errWriteFailed = errors.New("write failed")

func (w *shortWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errWriteFailed
	}
	w.n -= len(p)
	return len(p), nil
}

func TestPrintListInChunksStopsAtAFailedWrite(t *testing.T) {
	onCores(t, 4, func() {
		for _, f := range []Format{FormatTable, FormatCSV, FormatJSON} {
			err := PrintList(&shortWriter{n: 100 << 10}, rows, manyRows(), Options{Format: f})
			if !errors.Is(err, errWriteFailed) {
				t.Errorf("%s: got %v, want %v", f, err, errWriteFailed)
			}
		}
	})
}
