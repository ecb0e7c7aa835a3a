package console

import (
	"iter"
	"unsafe"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// OrgImportRows are an orgs CSV's parsed rows, in the file's order, packed
// without a pointer: each row's ten texts side by side in a slab of bytes,
// the row itself their line, slab, offset and ends. As OrgImportRow values
// (a dozen strings each) a million rows were 170 MB that every collection
// of the import scanned again, a sixth of its CPU; packed, the collector
// skips them. The rows stay in the chunks the parse filled: joining them
// into one slice copied every row (half the parse, when they held
// strings).
type OrgImportRows struct {
	rows  chunked[packedRow]
	slabs [][]byte // each filled to at most its capacity, never grown
}

// packedRow is a row of OrgImportRows: its texts are
// slabs[slab][off:off+ends[0]], [off+ends[0]:off+ends[1]], … in
// rowTexts' order.
type packedRow struct {
	line      int
	slab, off uint32
	ends      [rowTexts]uint32
}

// rowTexts is how many texts a row has: name, ref, owner email and the
// tenant's seven details.
const rowTexts = 3 + 7

// slabSize is a slab's capacity: a row of up to MaxOrgCSVRecord bytes fits
// in one.
const slabSize = 1 << 20

// Len is the number of rows.
func (r *OrgImportRows) Len() int { return r.rows.n }

// At is the i-th row. Its strings share the rows' memory: they are valid
// as long as the rows are, and never change.
func (r *OrgImportRows) At(i int) OrgImportRow {
	p := r.rows.at(i)
	slab := r.slabs[p.slab]
	var texts [rowTexts]string
	start := p.off
	for k, end := range p.ends {
		if n := p.off + end - start; n > 0 {
			texts[k] = unsafe.String(&slab[start], n)
		}
		start = p.off + end
	}
	return OrgImportRow{Line: p.line, Name: texts[0], RefID: texts[1], OwnerEmail: texts[2], Tenant: domain.Tenant{
		EnterpriseName: texts[3], CustomerName: texts[4], ContactEmail: texts[5], Shortcode: texts[6],
		Address: texts[7], Language: texts[8], LogoURL: texts[9]}}
}

// All yields every row with its index, in order.
func (r *OrgImportRows) All() iter.Seq2[int, OrgImportRow] {
	return func(yield func(int, OrgImportRow) bool) {
		for i := range r.rows.n {
			if !yield(i, r.At(i)) {
				return
			}
		}
	}
}

// add packs row at the end.
func (r *OrgImportRows) add(row *OrgImportRow) {
	t := &row.Tenant
	texts := [rowTexts]string{row.Name, row.RefID, row.OwnerEmail, t.EnterpriseName, t.CustomerName, t.ContactEmail,
		t.Shortcode, t.Address, t.Language, t.LogoURL}
	size := 0
	for _, s := range texts {
		size += len(s)
	}
	if len(r.slabs) == 0 || len(r.slabs[len(r.slabs)-1])+size > slabSize {
		r.slabs = append(r.slabs, make([]byte, 0, max(slabSize, size)))
	}
	last := len(r.slabs) - 1
	slab := r.slabs[last]
	p := packedRow{line: row.Line, slab: uint32(last), off: uint32(len(slab))}
	for k, s := range texts {
		slab = append(slab, s...)
		p.ends[k] = uint32(len(slab)) - p.off
	}
	r.slabs[last] = slab
	r.rows.add(p)
}
