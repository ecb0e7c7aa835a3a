package console

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// Packed rows give back exactly the rows added, empty texts included,
// across slabs, and a row longer than a slab gets one of its own.
func TestOrgImportRowsGiveBackWhatWasAdded(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	text := func() string {
		switch rng.IntN(4) {
		case 0:
			return ""
		case 1:
			return strings.Repeat("é", rng.IntN(40_000))
		}
		return strings.Repeat("x", rng.IntN(300))
	}
	var want []OrgImportRow
	rows := &OrgImportRows{}
	for i := range 3000 {
		row := OrgImportRow{Line: i + 2, Name: text(), RefID: text(), OwnerEmail: text(), Tenant: domain.Tenant{
			EnterpriseName: text(), CustomerName: text(), ContactEmail: text(), Shortcode: text(),
			Address: text(), Language: text(), LogoURL: text()}}
		if i == 1000 {
			row.Tenant.Address = strings.Repeat("a", slabSize+1)
		}
		want = append(want, row)
		rows.add(&row)
	}
	if rows.Len() != len(want) || len(rows.slabs) < 3 {
		t.Fatalf("%d rows in %d slabs, want %d rows in at least 3", rows.Len(), len(rows.slabs), len(want))
	}
	for i, got := range rows.All() {
		if got != want[i] {
			t.Fatalf("row %d: got line %d, name %d bytes, address %d bytes; want line %d, %d, %d",
				i, got.Line, len(got.Name), len(got.Tenant.Address), want[i].Line, len(want[i].Name), len(want[i].Tenant.Address))
		}
	}
}
