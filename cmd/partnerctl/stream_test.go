package main

import (
	encodingbinary "encoding/binary"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A list that fails part way (here a damaged org record late in name
// order) still ends with partnerctl's one-line error and exit 1; the rows
// already written stay on stdout, and a JSON array is never closed.
func TestStreamedListFailsCleanly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	p := newProc(t, db)
	p.init()
	p.must("orgs", "import", writeFile(t, filepath.Join(t.TempDir(), "orgs.csv"), orgsCSV(3000)))
	damageOrgRecord(t, db, "r-02990")

	cases := []struct {
		args    []string
		written bool // rows left before the damaged one was read
	}{
		{[]string{"orgs", "list", "-o", "json"}, true},
		{[]string{"orgs", "list", "-o", "csv"}, true},
		{[]string{"orgs", "list"}, true},
		{[]string{"orgs", "list", "--sort", "last-active", "-o", "json"}, false}, // fails while sorting
	}
	for _, tc := range cases {
		out, errOut, code := p.run(tc.args...)
		name := strings.Join(tc.args, " ")
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", name, code)
		}
		if !strings.HasPrefix(errOut, "partnerctl: ") || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "corrupt") {
			t.Errorf("%s: stderr %q, want one partnerctl: line about the damage", name, errOut)
		}
		if tc.written != (len(out) > 0) {
			t.Errorf("%s: %d bytes on stdout", name, len(out))
		}
		if strings.Contains(name, "json") && (json.Valid([]byte(out)) || strings.HasSuffix(strings.TrimSpace(out), "]")) {
			t.Errorf("%s: stdout is a complete JSON document", name)
		}
	}
}

// damageOrgRecord overwrites the record of the org whose folded ref is ref
// with bytes no codec reads.
func damageOrgRecord(t *testing.T, path, ref string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		id := tx.Bucket([]byte("org_refs")).Get([]byte(ref))
		key := tx.Bucket([]byte("org_ids")).Get(id)
		if seq, err := strconv.ParseUint(strings.TrimPrefix(string(id), "org_"), 10, 64); key == nil && err == nil {
			key = encodingbinary.BigEndian.AppendUint64(nil, seq) // made from its sequence: not indexed (schema 7)
		}
		if key == nil {
			t.Fatalf("no org with ref %s", ref)
		}
		return tx.Bucket([]byte("org_records")).Put(key, []byte{0xee, 1, 2, 3})
	})
	if err != nil {
		t.Fatal(err)
	}
}
