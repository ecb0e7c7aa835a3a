package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// TestReportListsEachChangeOnceAcrossProcesses: cron jobs that overlap (a
// slow run, a manual one) start the same report at the same moment in
// separate processes. Each change must be listed by exactly one of them:
// the state a run saw is saved in the transaction that read it.
func TestReportListsEachChangeOnceAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	p := newProc(t, filepath.Join(dir, "p.db"))
	p.init()
	p.must("orgs", "import", writeFile(t, filepath.Join(dir, "orgs.csv"), orgsCSV(5)))
	p.must("report", "changes")
	p.must("orgs", "delete", "R-00001", "--yes")
	p.must("orgs", "delete", "R-00003", "--yes")
	p.must("orgs", "create", "--name", "Late Florist", "--ref", "LF-1")

	const n = 8
	outs := make([]string, n)
	codes := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			outs[i], _, codes[i] = p.run("report", "changes", "-o", "json", "--fields", "kind,org_name", "--lock-timeout", "60s")
		}()
	}
	close(start)
	wg.Wait()

	var listed []string
	runsWithRows := 0
	for i := range n {
		if codes[i] != 0 {
			t.Fatalf("process %d: exit %d", i, codes[i])
		}
		var rows []struct {
			Kind    string `json:"kind"`
			OrgName string `json:"org_name"`
		}
		if err := json.Unmarshal([]byte(outs[i]), &rows); err != nil {
			t.Fatalf("process %d: %v in %q", i, err, outs[i])
		}
		if len(rows) > 0 {
			runsWithRows++
		}
		for _, r := range rows {
			listed = append(listed, r.Kind+" "+r.OrgName)
		}
	}
	slices.Sort(listed)
	want := []string{"appeared Late Florist", "deleted Org 00001", "deleted Org 00003"}
	if !slices.Equal(listed, want) || runsWithRows != 1 {
		t.Fatalf("%d of %d runs listed changes, together %q; want one run listing %q", runsWithRows, n, listed, want)
	}
}
