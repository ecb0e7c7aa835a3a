package console

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// A stream prepared by PrepareEvents is read to its end at once (the
// caller has not opened any store yet), then imported from its spool
// without reading the stream again; the spool is the caller's, removed by
// Close.
func TestPreparedEventsImportFromTheirSpool(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Acme Bakery", "ACME")
	dir := t.TempDir()
	var text strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&text, `{"id":"e%d","org":"ACME","type":"session.started","at":"2026-11-20T10:00:00Z"}`+"\n", i)
	}
	stream := strings.NewReader(text.String())
	opts := EventImportOptions{BatchSize: 5, TxLines: 10, TempDir: dir, MemoryInput: 100}
	feed, err := PrepareEvents(struct{ io.Reader }{stream}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if stream.Len() != 0 {
		t.Fatalf("%d bytes left in the stream after PrepareEvents", stream.Len())
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 || !strings.HasPrefix(es[0].Name(), ".partnerctl-spool-") {
		t.Fatalf("spool: %v", es)
	}
	res, err := c.ImportEvents(ctx, feed, opts)
	if err != nil || res.Imported != 50 || res.Lines != 50 {
		t.Fatalf("imported %+v: %v", res, err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Fatalf("the import removed its caller's spool: %v", es)
	}
	feed.Close()
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Fatalf("Close left %v", es)
	}
}
