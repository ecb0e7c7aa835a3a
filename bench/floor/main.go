// Command floor measures what bbolt alone costs a day's feed into a big
// store (bench/README.md, section 18): the org records a feed touches are
// rewritten in place, with nothing decoded, parsed or resolved, in as many
// transactions as the feed's ranges.
//
//	go run ./bench/floor -store STORE -orgs 95000 -ranges 16
//
// copies STORE (a partnerctl bbolt store, after the bench's events import)
// to a temporary file and, on the copy, puts back the records of -orgs
// random orgs unchanged (bbolt rewrites every page a put touches), sorted
// and cut into -ranges transactions as `events import` cuts a day's feed.
// Then, for scale, the same puts into fresh buckets of as many records of
// the sizes in -sizes, all else equal: what smaller records would save.
// STORE itself is only read.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

var orgRecords = []byte("org_records")

func main() {
	storePath := flag.String("store", "", "a partnerctl bbolt store (read only: a copy is measured)")
	orgs := flag.Int("orgs", 95_000, "orgs whose records are rewritten (a day's 100k events touch 95,000 of 1M)")
	ranges := flag.Int("ranges", 16, "transactions, each over a range of record keys")
	sizes := flag.String("sizes", "105,35,12", "record sizes in bytes of the fresh buckets, comma-separated; empty for none")
	flag.Parse()
	if *storePath == "" || *orgs <= 0 || *ranges <= 0 {
		fmt.Fprintln(os.Stderr, "usage: floor -store STORE [-orgs N] [-ranges N] [-sizes B,B…]")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "floor")
	check(err)
	tempDir = dir
	defer os.RemoveAll(dir)

	copyPath := filepath.Join(dir, "store.db")
	check(copyFile(*storePath, copyPath))
	keys := recordKeys(copyPath)
	took := rewrite(copyPath, pick(keys, *orgs), *ranges)
	fmt.Printf("store: %d of %d org records rewritten in %d transactions: %.3f s\n", min(*orgs, len(keys)), len(keys), *ranges, took.Seconds())

	for _, field := range strings.Split(*sizes, ",") {
		if field == "" {
			continue
		}
		size, err := strconv.Atoi(field)
		check(err)
		path := filepath.Join(dir, "fresh-"+field+".db")
		fresh(path, len(keys), size)
		took := rewrite(path, pick(sequenceKeys(len(keys)), *orgs), *ranges)
		fmt.Printf("fresh bucket of %d records of %d bytes: the same rewrite %.3f s\n", len(keys), size, took.Seconds())
	}
}

// rewrite puts back the records under keys (sorted), a range of them per
// transaction, and returns the time taken, commits included.
func rewrite(path string, keys [][]byte, ranges int) time.Duration {
	db, err := bolt.Open(path, 0o600, &bolt.Options{InitialMmapSize: 1 << 30})
	check(err)
	defer db.Close()
	per := (len(keys) + ranges - 1) / ranges
	start := time.Now()
	for lo := 0; lo < len(keys); lo += per {
		check(db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(orgRecords)
			b.FillPercent = 0.8 // the store's fill for org records
			for _, k := range keys[lo:min(lo+per, len(keys))] {
				if err := b.Put(k, bytes.Clone(b.Get(k))); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	return time.Since(start)
}

// pick is n of keys, chosen at random with a fixed seed, in key order.
func pick(keys [][]byte, n int) [][]byte {
	r := rand.New(rand.NewPCG(42, 17))
	picked := slices.Clone(keys)
	r.Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
	picked = picked[:min(n, len(picked))]
	slices.SortFunc(picked, bytes.Compare)
	return picked
}

func recordKeys(path string) [][]byte {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	check(err)
	defer db.Close()
	var keys [][]byte
	check(db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(orgRecords)
		if b == nil {
			return fmt.Errorf("%s: not a partnerctl store (no %s bucket)", path, orgRecords)
		}
		return b.ForEach(func(k, _ []byte) error { keys = append(keys, bytes.Clone(k)); return nil })
	}))
	return keys
}

func sequenceKeys(n int) [][]byte {
	keys := make([][]byte, n)
	for i := range keys {
		keys[i] = binary.BigEndian.AppendUint64(nil, uint64(i+1))
	}
	return keys
}

// fresh writes n records of size bytes under sequence keys, as an import
// appends them.
func fresh(path string, n, size int) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{InitialMmapSize: 1 << 30})
	check(err)
	defer db.Close()
	value := bytes.Repeat([]byte{1}, size)
	keys := sequenceKeys(n)
	for lo := 0; lo < n; lo += 100_000 {
		check(db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists(orgRecords)
			if err != nil {
				return err
			}
			b.FillPercent = 0.8
			for _, k := range keys[lo:min(lo+100_000, n)] {
				if err := b.Put(k, value); err != nil {
					return err
				}
			}
			return nil
		}))
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// tempDir holds the copies, removed on every exit.
var tempDir string

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		if tempDir != "" {
			os.RemoveAll(tempDir)
		}
		os.Exit(1)
	}
}
