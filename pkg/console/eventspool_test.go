package console

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// A stream longer than what an import holds in memory is spooled in
// TempDir under pkg/tempfile's name (so doctor finds a killed import's
// spool), and removed when the import ends.
func TestEventSpoolIsATemporaryFileOfTheStoreFolder(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Acme Bakery", "ACME")
	dir := t.TempDir()
	var in strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&in, `{"id":"e%d","org":"ACME","type":"session.started","at":"2026-11-20T10:00:00Z"}`+"\n", i)
	}
	var seen []string
	res, err := c.ImportEvents(ctx, strings.NewReader(in.String()), EventImportOptions{BatchSize: 5, TxLines: 10, TempDir: dir, MemoryInput: 100,
		Progress: func(int64) {
			es, _ := os.ReadDir(dir)
			for _, e := range es {
				seen = append(seen, e.Name())
			}
		}})
	if err != nil || res.Imported != 50 {
		t.Fatalf("imported %+v: %v", res, err)
	}
	if len(seen) == 0 || !strings.HasPrefix(seen[0], ".partnerctl-spool-") || !strings.HasSuffix(seen[0], ".tmp") {
		t.Fatalf("spool files seen during the import: %v", seen)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Fatalf("the spool stayed: %v", es)
	}
}
