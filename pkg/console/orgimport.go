package console

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// OrgImportRow is one parsed row of an orgs CSV.
type OrgImportRow struct {
	Line       int
	Name       string
	RefID      string
	OwnerEmail string
	Tenant     domain.Tenant
}

// MaxOrgCSVRecord bounds one record of an orgs CSV, in bytes; a valid one
// (a name, a ref ID, an email and the tenant details) is far shorter.
const MaxOrgCSVRecord = 64 << 10

// ParseOrgCSV reads comma-separated `name,ref_id[,owner_email]` rows. A
// first row that names a known column is a header: it may order the
// columns freely and add the tenant details (enterprise_name,
// customer_name, contact_email, shortcode, address, language, logo_url);
// it must name the name column, and a column it doesn't know is an error
// naming it. A file that is not comma-separated (semicolons or tabs, or
// UTF-16) is refused, saying so.
func ParseOrgCSV(r io.Reader) (*OrgImportRows, *fail.InputError) {
	bad := &fail.InputError{}
	br := bufio.NewReader(r)
	if enc := utf16BOM(br); enc != "" {
		bad.Add(1, "the file is "+enc+" text: save it as comma-separated CSV in UTF-8")
		return nil, bad
	}
	bound := &recordBound{r: br, limit: MaxOrgCSVRecord}
	cr := csv.NewReader(bound)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cols := map[string]int{"name": 0, "ref_id": 1, "owner_email": 2}
	width := 3 // cells a row may have: 3, or the header's count
	rows := &OrgImportRows{}
	first := true
	nextLine := 1 // where the record after the last one read starts
	// One row, reused: tenantFields' setters take its address, so it lives
	// on the heap, and a new one per record was a million allocations (a
	// third of the parse of a million rows); add copies it into the slabs.
	row := &OrgImportRow{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line := 0
		if err == nil {
			// FieldPos panics after a failed Read: only ask on success.
			line, _ = cr.FieldPos(0)
			last, _ := cr.FieldPos(len(rec) - 1)
			nextLine = last + strings.Count(rec[len(rec)-1], "\n") + 1
			bound.limit = cr.InputOffset() + MaxOrgCSVRecord
		}
		if err != nil && bound.hit { // whatever the csv reader made of it
			bad.Add(nextLine, fmt.Sprintf("record longer than %d bytes", MaxOrgCSVRecord))
			break // the rest can't be framed without reading the whole record
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
				bad.Add(line, pe.Err.Error())
				if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
					break // the rest of the file can't be framed reliably
				}
				continue
			}
			bad.Add(line, err.Error())
			break
		}
		if first {
			first = false
			if sep := otherSeparator(rec); sep != "" {
				bad.Add(line, "the file is not comma-separated: its first line has no commas but "+sep+"; save it as comma-separated CSV")
				break
			}
			if header, isHeader, problem := parseOrgCSVHeader(rec); problem != "" {
				bad.Add(line, problem)
				break
			} else if isHeader {
				cols, width = header, len(rec)
				continue
			}
		}
		cell := func(col string) string {
			i, ok := cols[col]
			if !ok || i >= len(rec) {
				return ""
			}
			return rec[i]
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) > width {
			bad.Add(line, fmt.Sprintf("%d cells, want at most %d (name,ref_id,owner_email or as the header says)", len(rec), width))
			continue
		}
		*row = OrgImportRow{Line: line}
		var err1 error
		if row.Name, err1 = checkOrgName(cell("name")); err1 != nil {
			bad.Add(line, err1.Error())
			continue
		}
		if row.RefID, err1 = checkRef(cell("ref_id")); err1 != nil {
			bad.Add(line, err1.Error())
			continue
		}
		if owner := strings.TrimSpace(cell("owner_email")); owner != "" {
			if row.OwnerEmail, err1 = domain.ParseEmail(owner); err1 != nil {
				bad.Add(line, err1.Error())
				continue
			}
		}
		for _, f := range tenantFields {
			*f.at(&row.Tenant) = cell(f.name)
		}
		if err1 = checkTenant(&row.Tenant); err1 != nil {
			bad.Add(line, err1.Error())
			continue
		}
		rows.add(row)
	}
	if bad.Count > 0 {
		return nil, bad
	}
	return rows, nil
}

// recordBound lets a CSV reader read at most limit bytes in all: the
// parser moves the limit to MaxOrgCSVRecord past the end of each record it
// gets, so no record, however long its line, takes more memory than that.
type recordBound struct {
	r           io.Reader
	read, limit int64
	hit         bool // a read stopped at the limit
}

var errRecordTooLong = errors.New("record too long")

func (b *recordBound) Read(p []byte) (int, error) {
	rem := b.limit - b.read
	if rem <= 0 {
		b.hit = true
		return 0, errRecordTooLong
	}
	if int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

// orgCSVColumns are the columns an orgs CSV may have; name is required.
func orgCSVColumns() []string {
	return append([]string{"name", "ref_id", "owner_email"}, TenantFieldNames()...)
}

// parseOrgCSVHeader recognises a header row: one that names a known column.
// Its columns come in any order; an unknown or repeated column, or a
// missing name column, is a problem that stops the import.
func parseOrgCSVHeader(rec []string) (cols map[string]int, isHeader bool, problem string) {
	known := orgCSVColumns()
	norm := make([]string, len(rec))
	for i, h := range rec {
		norm[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		isHeader = isHeader || slices.Contains(known, norm[i])
	}
	if !isHeader {
		return nil, false, ""
	}
	cols = map[string]int{}
	for i, h := range norm {
		switch _, dup := cols[h]; {
		case !slices.Contains(known, h):
			return nil, true, fmt.Sprintf("unknown column %.40q in the header; known columns: %s", rec[i], strings.Join(known, ", "))
		case dup:
			return nil, true, fmt.Sprintf("column %q appears twice in the header", h)
		}
		cols[h] = i
	}
	if _, ok := cols["name"]; !ok {
		return nil, true, "missing required column name in the header"
	}
	return cols, true, ""
}

// otherSeparator names the separator a first row of one cell seems to use
// instead of commas ("3 semicolons"), or "".
func otherSeparator(rec []string) string {
	if len(rec) != 1 {
		return ""
	}
	best, one, many := 0, "", ""
	for _, sep := range []struct{ char, one, many string }{
		{";", "a semicolon", "semicolons"}, {"\t", "a tab", "tabs"}, {"|", "a vertical bar", "vertical bars"},
	} {
		if n := strings.Count(rec[0], sep.char); n > best {
			best, one, many = n, sep.one, sep.many
		}
	}
	switch best {
	case 0:
		return ""
	case 1:
		return one
	}
	return fmt.Sprintf("%d %s", best, many)
}

// utf16BOM names the encoding a UTF-16 byte order mark announces (what a
// spreadsheet's "Unicode text" export writes), or "".
func utf16BOM(br *bufio.Reader) string {
	b, _ := br.Peek(2)
	switch {
	case len(b) < 2:
		return ""
	case b[0] == 0xFF && b[1] == 0xFE:
		return "UTF-16 (little-endian)"
	case b[0] == 0xFE && b[1] == 0xFF:
		return "UTF-16 (big-endian)"
	}
	return ""
}

// OrgImportResult summarises an import.
type OrgImportResult struct {
	// Invites are the first owners' invitations, for rows with owner_email.
	Invites []NewInvite
	// The created orgs are kept as their rows and sequence numbers, and
	// their views made when asked for (Created): a million views held
	// until printed were 424 MB of live heap, more than the import's
	// store work, and the collector scanned them again and again.
	rows *OrgImportRows
	seqs []uint64
	now  time.Time
}

// Len is the number of orgs created.
func (r *OrgImportResult) Len() int { return len(r.seqs) }

// Created is the view of the i-th org created (in the CSV's order), as
// stored and as ShowOrg would show it right after the import.
func (r *OrgImportResult) Created(i int) OrgView {
	row := r.rows.At(i)
	o := importedOrg(&row, r.seqs[i], r.now)
	return viewOf(&o, r.now)
}

// CreatedID is the id of the i-th org created.
func (r *OrgImportResult) CreatedID(i int) string { return orgID(r.seqs[i]) }

// importedOrg is the org an import row becomes.
func importedOrg(row *OrgImportRow, seq uint64, now time.Time) domain.Org {
	return domain.Org{ID: orgID(seq), Seq: seq, Name: row.Name, RefID: row.RefID, CreatedAt: now,
		LinkStatus: domain.LinkAccepted, Tenant: row.Tenant}
}

// ImportOrgs creates every org of a CSV, or none (see ImportOrgRows): an
// invalid row is a usage error, a ref ID repeated in the file or already used
// by a live org is a conflict.
func (c *Console) ImportOrgs(ctx context.Context, r io.Reader) (OrgImportResult, error) {
	rows, err := ReadOrgCSV(r)
	if err != nil {
		return OrgImportResult{}, err
	}
	return c.ImportOrgRows(ctx, rows)
}

// ReadOrgCSV parses an org import's CSV (ParseOrgCSV), refusing it, every
// bad line listed, when any line is invalid. It touches no store: a caller
// reads a slow stream with it before it takes the store's lock, then
// passes the rows to ImportOrgRows.
func ReadOrgCSV(r io.Reader) (*OrgImportRows, error) {
	rows, bad := ParseOrgCSV(r)
	if bad != nil {
		bad.Summary = fail.Usagef("%d invalid line(s); nothing was imported", bad.Count)
		return nil, bad
	}
	return rows, nil
}

// orgImportStep is how many orgs each transaction of a staged import
// creates: a step's keys and pages, held by bbolt until its commit, take
// some tens of megabytes.
var orgImportStep = 50_000

// importConflicts fails with every row whose ref ID or shortcode repeats an
// earlier row (dups) or is already used by a live org.
func importConflicts(ctx context.Context, tx store.Tx, rows *OrgImportRows, dups *fail.InputError) error {
	conflicts := &fail.InputError{Lines: slices.Clone(dups.Lines), Count: dups.Count}
	refs := make([]string, rows.Len())
	for i, row := range rows.All() {
		refs[i] = row.RefID
	}
	taken, err := refsTaken(ctx, tx, refs)
	if err != nil {
		return err
	}
	for i, row := range rows.All() {
		if taken[i] != nil {
			conflicts.Add(row.Line, taken[i].Error())
		} else if err := shortcodeTaken(ctx, tx, row.Tenant.Shortcode, ""); err != nil {
			conflicts.Add(row.Line, err.Error())
		}
	}
	if conflicts.Count > 0 {
		conflicts.Summary = fail.Conflictf("%d conflicting line(s); nothing was imported", conflicts.Count)
		return conflicts
	}
	return nil
}

// ImportOrgRows is ImportOrgs of rows ReadOrgCSV parsed. All or nothing:
// one transaction, or on a store.StagedOrgCreator (bbolt) steps of
// orgImportStep rows that no one sees until the last commits and that a
// failure or a killed process leaves undone.
func (c *Console) ImportOrgRows(ctx context.Context, rows *OrgImportRows) (OrgImportResult, error) {
	var res OrgImportResult
	dups := &fail.InputError{}
	seen, seenCodes := make(map[string]int, rows.Len()), map[string]int{}
	for _, row := range rows.All() {
		if row.RefID != "" {
			key := store.Fold(row.RefID)
			if prev, dup := seen[key]; dup {
				dups.Add(row.Line, fmt.Sprintf("ref ID %q repeats line %d", row.RefID, prev))
				continue
			}
			seen[key] = row.Line
		}
		if code := row.Tenant.Shortcode; code != "" {
			if prev, dup := seenCodes[code]; dup {
				dups.Add(row.Line, fmt.Sprintf("shortcode %q repeats line %d", code, prev))
				continue
			}
			seenCodes[code] = row.Line
		}
	}
	// Steps of orgImportStep rows when the store can commit them apart and
	// still all or nothing (bbolt: see store.StagedOrgCreator); rows that
	// invite an owner make invitations, which only one transaction undoes.
	steps, per := 1, max(rows.Len(), 1)
	run := func(fn func(tx store.Tx, step int) error) error {
		return c.st.Update(ctx, func(tx store.Tx) error { return fn(tx, 0) })
	}
	if staged, ok := c.st.(store.StagedOrgCreator); ok && !invitesOwners(rows) {
		per = orgImportStep
		steps = max(1, (rows.Len()+per-1)/per)
		run = func(fn func(tx store.Tx, step int) error) error { return staged.CreateOrgsStaged(ctx, steps, fn) }
	}
	err := run(func(tx store.Tx, step int) error {
		s, err := c.admit(ctx, tx, domain.RoleMember, "")
		if err != nil {
			return err
		}
		tx, actor := s.vis.tx(tx), s.actor
		if step == 0 {
			// Later steps need no check: until the last commits this
			// process alone writes the store.
			res = OrgImportResult{}
			if err := importConflicts(ctx, tx, rows, dups); err != nil {
				return err
			}
			res.rows, res.seqs, res.now = rows, make([]uint64, 0, rows.Len()), c.Now()
		}
		// One org, reused: createInvite takes its address, so it lives on
		// the heap, and nothing keeps it past the row.
		o := new(domain.Org)
		for i := step * per; i < min(rows.Len(), (step+1)*per); i++ {
			row := rows.At(i)
			seq, err := tx.NextSeq(ctx, "org")
			if err != nil {
				return err
			}
			*o = importedOrg(&row, seq, res.now)
			if err := tx.PutOrg(ctx, *o); err != nil {
				return err
			}
			res.seqs = append(res.seqs, seq)
			if row.OwnerEmail != "" {
				inv, err := c.createInvite(ctx, tx, actor, o, row.OwnerEmail, domain.RoleOwner, domain.LoginAny, true)
				if err != nil {
					return err
				}
				res.Invites = append(res.Invites, inv)
			}
		}
		if step < steps-1 {
			return nil
		}
		if _, scoped := tx.(*scopedTx); scoped {
			ids := make([]string, len(res.seqs))
			for i, seq := range res.seqs {
				ids[i] = orgID(seq)
			}
			if err := addToScope(ctx, tx, actor, ids...); err != nil {
				return err
			}
		}
		return c.audit(ctx, tx, actor, "org.imported", nil, fmt.Sprintf("%d orgs", rows.Len()))
	})
	if err != nil {
		return OrgImportResult{}, err
	}
	return res, err
}

// invitesOwners reports whether a row invites its org's first owner.
func invitesOwners(rows *OrgImportRows) bool {
	for _, row := range rows.All() {
		if row.OwnerEmail != "" {
			return true
		}
	}
	return false
}
