package secretscan

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

const (
	link   = "plk_q3Zk9yW1xVb2Nc4Md5Le6Kf7Jg8Hh9Gi0Fj1Ek2Dl3"
	invite = "pit_A-b_C1d2E3f4G5h6I7j8K9l0M1n2O3p4Q5r6S7t8U9v"
	conn   = "pcr_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8Nn7Mm6L"
)

func TestFind(t *testing.T) {
	for _, tc := range []struct {
		in    string
		known []string
		want  []string
	}{
		{"https://login.example.com/magic?token=" + link + "\n", nil, []string{link}},
		{`{"url":"https://x.example/i?token=` + invite + `"}`, nil, []string{invite}},
		{"partnerctl: link " + link + " was already used", nil, []string{link}},
		{"https://login.example.com/connect?token=" + conn, nil, []string{conn}},
		// prose, short ids and hashes are not tokens
		{"tokens start with plk_ or pit_; plk_short; lnk_000001; " + strings.Repeat("ab", 32), nil, nil},
		// the body of a known token without its prefix is a leak too
		{"stored: " + link[4:], []string{link}, []string{"body of " + link}},
		{"nothing here", []string{link, invite}, nil},
	} {
		if got := Find([]byte(tc.in), tc.known...); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Find(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A token written into a bbolt file, as a value or a key, is found by
// scanning the file's bytes: the store-file check can see what a careless
// implementation would keep.
func TestScannerFindsTokensInABoltFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("links"))
		if err != nil {
			return err
		}
		if err := b.Put([]byte("lnk_1"), []byte(`{"token":"`+link+`"}`)); err != nil {
			return err
		}
		return b.Put([]byte(invite), []byte("{}"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	var s Scanner
	if err := s.CheckFile(path); err != nil {
		t.Fatal(err)
	}
	leaks := strings.Join(s.Leaks(), "\n")
	if !strings.Contains(leaks, link) || !strings.Contains(leaks, invite) || s.Places() != 1 {
		t.Fatalf("leaks = %q", leaks)
	}
}

func TestRedact(t *testing.T) {
	got := Redact(`no org "` + link + `"; try ` + invite + ` or plk_short or ` + conn)
	want := `no org "plk_[redacted]"; try pit_[redacted] or plk_short or pcr_[redacted]`
	if got != want {
		t.Fatalf("Redact = %q, want %q", got, want)
	}
}
