package console

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

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
}

// MaxOrgCSVRecord bounds one record of an orgs CSV, in bytes; a valid one
// (a name, a ref ID and an email) is far shorter.
const MaxOrgCSVRecord = 64 << 10

// ParseOrgCSV reads `name,ref_id[,owner_email]` rows. A first row whose first
// cell is "name" is a header and may order the columns freely.
func ParseOrgCSV(r io.Reader) ([]OrgImportRow, *fail.InputError) {
	bad := &fail.InputError{}
	bound := &recordBound{r: r, limit: MaxOrgCSVRecord}
	cr := csv.NewReader(bound)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cols := map[string]int{"name": 0, "ref_id": 1, "owner_email": 2}
	width := 3 // cells a row may have: 3, or the header's count
	var rows []OrgImportRow
	first := true
	nextLine := 1 // where the record after the last one read starts
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
			if header, ok := parseOrgCSVHeader(rec); ok {
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
		row := OrgImportRow{Line: line}
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
		rows = append(rows, row)
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

// parseOrgCSVHeader recognises a header row: it names the name column and
// only known columns, in any order.
func parseOrgCSVHeader(rec []string) (map[string]int, bool) {
	cols := map[string]int{}
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch h {
		case "name", "ref_id", "owner_email":
			if _, dup := cols[h]; dup {
				return nil, false
			}
			cols[h] = i
		default:
			return nil, false
		}
	}
	_, hasName := cols["name"]
	return cols, hasName
}

// OrgImportResult summarises an import.
type OrgImportResult struct {
	Created []OrgView
	// Invites are the first owners' invitations, for rows with owner_email.
	Invites []NewInvite
}

// ImportOrgs creates every org of a CSV in one transaction, or none: an
// invalid row is a usage error, a ref ID repeated in the file or already used
// by a live org is a conflict.
func (c *Console) ImportOrgs(ctx context.Context, r io.Reader) (OrgImportResult, error) {
	var res OrgImportResult
	rows, bad := ParseOrgCSV(r)
	if bad != nil {
		bad.Summary = fail.Usagef("%d invalid line(s); nothing was imported", bad.Count)
		return res, bad
	}
	dups := &fail.InputError{}
	seen := map[string]int{}
	for _, row := range rows {
		if row.RefID == "" {
			continue
		}
		key := store.Fold(row.RefID)
		if prev, dup := seen[key]; dup {
			dups.Add(row.Line, fmt.Sprintf("ref ID %q repeats line %d", row.RefID, prev))
			continue
		}
		seen[key] = row.Line
	}
	err := c.asAdminUpdate(ctx, func(tx store.Tx, actor string) error {
		res = OrgImportResult{}
		conflicts := &fail.InputError{Lines: slices.Clone(dups.Lines), Count: dups.Count}
		for _, row := range rows {
			if err := refTaken(ctx, tx, row.RefID, ""); err != nil {
				conflicts.Add(row.Line, err.Error())
			}
		}
		if conflicts.Count > 0 {
			conflicts.Summary = fail.Conflictf("%d conflicting line(s); nothing was imported", conflicts.Count)
			return conflicts
		}
		now := c.Now()
		for _, row := range rows {
			o, err := newOrg(ctx, tx, row.Name, row.RefID, now)
			if err != nil {
				return err
			}
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
			res.Created = append(res.Created, viewOf(&o, now))
			if row.OwnerEmail != "" {
				inv, err := c.createInvite(ctx, tx, actor, &o, row.OwnerEmail, domain.RoleOwner, domain.LoginAny, true)
				if err != nil {
					return err
				}
				res.Invites = append(res.Invites, inv)
			}
		}
		if _, scoped := tx.(*scopedTx); scoped {
			ids := make([]string, len(res.Created))
			for i, v := range res.Created {
				ids[i] = v.ID
			}
			if err := addToScope(ctx, tx, actor, ids...); err != nil {
				return err
			}
		}
		return c.audit(ctx, tx, actor, "org.imported", nil, fmt.Sprintf("%d orgs", len(rows)))
	})
	return res, err
}
