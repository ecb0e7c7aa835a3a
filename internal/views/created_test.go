package views_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// An import's rows make their views as they are printed; printed on
// several cores (output formats long lists in chunks side by side) they
// must come out as on one, and share nothing (run with -race).
func TestImportedOrgsPrintTheSameOnEveryCore(t *testing.T) {
	ctx := context.Background()
	st, err := boltstore.Open(boltstore.Options{Path: filepath.Join(t.TempDir(), "p.db"), Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := console.New(st, console.Options{Clock: clock.Fixed(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))})
	if _, err := c.Init(ctx, console.InitParams{PartnerName: "Acme Partners", SupportEmail: "help@acme.example", AdminOrgName: "Acme HQ", AdminEmail: "admin@acme.example"}); err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("name,ref_id\n")
	const n = 20000
	for i := range n {
		fmt.Fprintf(&csv, "Org %05d,REF-%05d\n", i, i)
	}
	res, err := c.ImportOrgs(ctx, strings.NewReader(csv.String()))
	if err != nil || res.Len() != n {
		t.Fatalf("import: %d orgs, %v", res.Len(), err)
	}
	print := func(cores int, f output.Format) string {
		prev := runtime.GOMAXPROCS(cores)
		defer runtime.GOMAXPROCS(prev)
		var buf bytes.Buffer
		if err := output.PrintList(&buf, views.Created, views.ImportedOrgs(&res), output.Options{Format: f}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	for _, f := range []output.Format{output.FormatTable, output.FormatJSON, output.FormatCSV} {
		one, four := print(1, f), print(4, f)
		if one != four {
			t.Errorf("%s: %d bytes on one core, %d on four", f, len(one), len(four))
		}
		if want := "org_020001"; !strings.Contains(one, want) {
			t.Errorf("%s: no %s in the list", f, want)
		}
	}
}
