package console

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkImportOrgRows is the hot path of `orgs import` at 120,000 rows
// (name,ref_id, as bench/gen writes them): parse, then create them on bbolt
// in three steps (ImportOrgRows), then make every view, as printing does.
// Reports ns/org. A fresh store per iteration, made outside the timer.
func BenchmarkImportOrgRows(b *testing.B) {
	const n = 120_000
	input := benchOrgCSV(n)
	b.ReportAllocs()
	k := 0
	for b.Loop() {
		b.StopTimer()
		k++
		c, st := initialisedConsole(b, filepath.Join(b.TempDir(), fmt.Sprintf("i%d.db", k)), nil)
		b.StartTimer()
		rows, err := ReadOrgCSV(strings.NewReader(input))
		if err != nil {
			b.Fatal(err)
		}
		res, err := c.ImportOrgRows(ctx, rows)
		if err != nil || res.Len() != n {
			b.Fatal(res.Len(), err)
		}
		for i := range res.Len() {
			if v := res.Created(i); v.Seq == 0 {
				b.Fatal("no view")
			}
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/org")
}

// BenchmarkParseOrgCSV is the parse of `orgs import` at a million rows,
// the size at which joining the parsed rows into one slice took half of it
// (see OrgImportRows). Reports ns/row.
func BenchmarkParseOrgCSV(b *testing.B) {
	const n = 1_000_000
	input := benchOrgCSV(n)
	b.ReportAllocs()
	for b.Loop() {
		rows, bad := ParseOrgCSV(strings.NewReader(input))
		if bad != nil || rows.Len() != n {
			b.Fatal(bad)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
}

// benchOrgCSV is an orgs CSV of n rows as bench/gen writes them.
func benchOrgCSV(n int) string {
	var csv strings.Builder
	csv.WriteString("name,ref_id\n")
	words := []string{"Monarch Clinic", "Northwind Insurance", "Acme Foods", "Globex Studio", "Initech Dental"}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&csv, "%s %07d,REF-%07d\n", words[(i*7919)%len(words)], i, i)
	}
	return csv.String()
}
