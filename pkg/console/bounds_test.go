package console

import (
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
)

// A page number of any size is an empty page past the end, never an
// overflowing offset (which panicked, and the panic read as a corrupt store).
func TestHugePagesAreEmptyNotAPanic(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Bakery", "BAK-1")
	mustCreate(t, c, "Florist", "FLO-1")
	for _, page := range []int{3, math.MaxInt / 10, math.MaxInt/10 + 1, math.MaxInt/25 + 7, math.MaxInt/100 + 1, math.MaxInt} {
		for _, q := range []OrgQuery{
			{Page: page, PerPage: 10},
			{Page: page, PerPage: 100, Sort: SortSessions},
			{Page: page, PerPage: 25, Search: "r", Desc: true},
		} {
			p, err := c.ListOrgs(ctx, q)
			if err != nil || len(p.Orgs) != 0 || p.Offset != 2 || p.Matches != 2 {
				t.Fatalf("%+v: %d orgs at offset %d of %d, err %v", q, len(p.Orgs), p.Offset, p.Matches, err)
			}
		}
	}
}

// tallyReader counts the bytes read through it.
type tallyReader struct {
	r io.Reader
	n int64
}

func (c *tallyReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// An orgs CSV is read one bounded record at a time: a huge line (a 1 GiB
// one took 3 GB of memory) fails as soon as it passes the bound, reading
// little more than that, and says which line.
func TestOrgCSVRecordsAreBounded(t *testing.T) {
	const huge = 64 << 20
	for _, shape := range []string{"x", "\"x", "a,"} {
		in := io.MultiReader(strings.NewReader("name,ref_id\nA,R1\n\"B\",R2\n"),
			io.LimitReader(repeatReader(shape), huge), strings.NewReader("\nC,R3\n"))
		cr := &tallyReader{r: in}
		_, bad := ParseOrgCSV(cr)
		if bad == nil || bad.Count != 1 || bad.Lines[0].String() != fmt.Sprintf("line 4: record longer than %d bytes", MaxOrgCSVRecord) {
			t.Fatalf("%q: %+v", shape, bad.Lines)
		}
		if cr.n > 2*MaxOrgCSVRecord {
			t.Fatalf("%q: read %d bytes to refuse a record longer than %d", shape, cr.n, MaxOrgCSVRecord)
		}
	}
	// a record right at the bound still parses (and is then judged)
	long := strings.Repeat("n", MaxOrgCSVRecord-20)
	_, bad := ParseOrgCSV(strings.NewReader("name,ref_id\n" + long + ",R1\n"))
	if bad == nil || !strings.Contains(bad.Lines[0].Reason, "must be one line of at most 200 bytes") {
		t.Fatalf("a long name: %+v", bad.Lines)
	}
}

// repeatReader yields s over and over.
type repeatReader string

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r[i%len(r)]
	}
	return len(p), nil
}
