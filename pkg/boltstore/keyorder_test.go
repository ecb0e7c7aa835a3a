package boltstore

import (
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestInKeyOrder(t *testing.T) {
	for _, c := range []struct {
		keys []string
		want []int
	}{
		{nil, []int{}},
		{[]string{"b", "a", "c", "a"}, []int{1, 3, 0, 2}},
		{[]string{"org_2", "ORG-1", "org_10"}, []int{1, 2, 0}},
		{[]string{"a", "b", "c"}, []int{0, 1, 2}},
	} {
		if got := inKeyOrder(c.keys); !slices.Equal(got, c.want) {
			t.Errorf("inKeyOrder(%q) = %v, want %v", c.keys, got, c.want)
		}
	}
}

func TestKeySpanHoldsTheKeysBetweenTheFirstAndLast(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "span.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(btx *bolt.Tx) error {
		b, err := btx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		if _, err := btx.CreateBucket([]byte("empty")); err != nil {
			return err
		}
		for _, k := range []string{"org_2", "org_4", "org_3"} {
			if err := b.Put([]byte(k), []byte("v")); err != nil {
				return err
			}
		}
		tx := &boltTx{btx: btx}
		span := tx.keySpan([]byte("b"))
		for key, want := range map[string]bool{"org_1": false, "org_2": true, "org_25": true, "org_4": true, "org_4-x": false, "ORG_3": false, "": false} {
			if got := span.holds(key); got != want {
				t.Errorf("holds(%q) = %v, want %v", key, got, want)
			}
		}
		if tx.keySpan([]byte("empty")).holds("") {
			t.Error("an empty bucket's span holds a key")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
