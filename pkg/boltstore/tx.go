package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

type boltTx struct {
	btx *bolt.Tx
	// pending holds the org index keys (→ org id) not yet put: see index.
	pending pendingIndex
	// scratch is an encoding buffer; arena holds values handed to bbolt,
	// which keeps them until the commit, filled the chunks before it, and
	// arenas is where they come from and go back (see keep).
	scratch, arena []byte
	filled         [][]byte
	arenas         *arenaPool
	// cursors are reused for lookups: bbolt's Bucket.Get makes a cursor
	// (and grows its stack) on every call.
	cursors map[string]*bolt.Cursor
	// spans are the spans of keys this writing transaction has looked up,
	// by bucket: of record ids and of record sequences (see idSpan, span).
	spans map[string]*idSpan
	// orgCountDelta is the change to the stored org count not yet put:
	// an import of 100k orgs rewrote the count 100k times.
	orgCountDelta int64
	// seqs are the sequences NextSeq has counted, put back by flushSeqs.
	seqs store.SeqCounter
	// read counts the records a long read has visited since it last
	// dropped its mapped pages (see readRecord).
	read int
}

// dropEvery is how many records a long read visits between looks at the
// process's resident set (a read of /proc/self/statm, a few microseconds).
const dropEvery = 4096

// readRecord counts a record a listing read. Every dropEvery records of a
// read-only transaction it looks at the process's resident set, and once
// that passes dropAbove it tells the kernel the process no longer needs
// the file's pages (dropReadPages): a read of a million orgs otherwise
// keeps every page of the orgs bucket it touched in its RSS, hundreds of
// megabytes of a file that stays in the page cache anyway. Below that
// the pages stay mapped: each fault maps 16 neighbours with the page
// asked for, and on this project's VMs a fault costs tens of
// microseconds, so dropping every 4,096 records whatever the RSS faulted
// `orgs list -o json` of a million orgs in 54,000 times (3.4 s, 143 MB)
// where keeping them all took 20,000 (2.2 s, 336 MB).
func (t *boltTx) readRecord() {
	if t.read++; t.read >= dropEvery {
		t.read = 0
		if !t.btx.Writable() && residentBytes() > dropAbove {
			t.dropReadPages()
		}
	}
}

// dropAbove is the resident set past which a long read drops its mapped
// pages: under the 256 MB that issue 17 allows a read command, with room
// for the pages a read maps between two looks. A variable for tests,
// which drop at any size.
var dropAbove int64 = 192 << 20

var _ store.Tx = (*boltTx)(nil)

// get is Bucket.Get over a reused cursor, for buckets without nested
// buckets; a key with an empty value gives a non-nil empty slice.
func (t *boltTx) get(name, key []byte) []byte {
	c := t.cursors[string(name)]
	if c == nil {
		if t.cursors == nil {
			t.cursors = map[string]*bolt.Cursor{}
		}
		c = t.b(name).Cursor()
		t.cursors[string(name)] = c
	}
	k, v := c.Seek(key)
	if k == nil || !bytes.Equal(k, key) {
		return nil
	}
	if v == nil {
		v = []byte{}
	}
	return v
}

func (t *boltTx) b(name []byte) *bolt.Bucket { return t.btx.Bucket(name) }

func getJSON(b *bolt.Bucket, key []byte, v any) error {
	raw := b.Get(key)
	if raw == nil {
		return store.ErrNotFound
	}
	return jsonUnmarshal(raw, v)
}

func jsonUnmarshal(raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("corrupt record in store: %w", err)
	}
	return nil
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

func (t *boltTx) Partner(context.Context) (domain.Partner, error) {
	var p domain.Partner
	return p, getJSON(t.b(bucketMeta), keyPartner, &p)
}

func (t *boltTx) PutPartner(_ context.Context, p domain.Partner) error {
	return putJSON(t.b(bucketMeta), keyPartner, p)
}

func (t *boltTx) Kind(context.Context) (domain.StoreKind, error) {
	return domain.StoreKind(t.b(bucketMeta).Get(keyKind)), nil
}

func (t *boltTx) SetKind(_ context.Context, k domain.StoreKind) error {
	return t.b(bucketMeta).Put(keyKind, []byte(k))
}

func (t *boltTx) Setting(_ context.Context, key string) (string, error) {
	return string(t.b(bucketSettings).Get([]byte(key))), nil
}

func (t *boltTx) PutSetting(_ context.Context, key, value string) error {
	if value == "" {
		return t.b(bucketSettings).Delete([]byte(key))
	}
	return t.b(bucketSettings).Put([]byte(key), []byte(value))
}

func (t *boltTx) NextSeq(_ context.Context, name string) (uint64, error) {
	if !t.btx.Writable() {
		return 0, bolterrors.ErrTxNotWritable // as the Put it stands for
	}
	return t.seqs.Next(name, func() (uint64, error) {
		if raw := t.b(bucketSeq).Get([]byte(name)); len(raw) == 8 {
			return binary.BigEndian.Uint64(raw), nil
		}
		return 0, nil
	})
}

// flushSeqs puts the sequences NextSeq has moved since the last flush.
func (t *boltTx) flushSeqs() error {
	names, lasts := t.seqs.Moved()
	for i, name := range names {
		if err := t.b(bucketSeq).Put([]byte(name), u64(lasts[i])); err != nil {
			return err
		}
	}
	return nil
}

func (t *boltTx) Reset(context.Context) error {
	t.pending, t.cursors, t.orgCountDelta = pendingIndex{}, nil, 0
	t.seqs.Forget()
	id := bytes.Clone(t.b(bucketMeta).Get(keyStoreID)) // the store stays itself
	for _, name := range allBuckets {
		if err := t.btx.DeleteBucket(name); err != nil {
			return err
		}
	}
	if err := createSchema(t.btx); err != nil {
		return err
	}
	if id == nil {
		return nil
	}
	return t.b(bucketMeta).Put(keyStoreID, id)
}

// StoreID is the store's own name, kept by copies and backups: the key of
// the people's sessions in the CLI's config file.
func (s *Store) StoreID(context.Context) (string, error) {
	var id string
	err := s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			if meta := btx.Bucket(bucketMeta); meta != nil {
				id = string(meta.Get(keyStoreID))
			}
			return nil
		})
	})
	return id, err
}

// LegacySession reads the per-person state that builds before schema 2
// kept in the store — the current user and each user's open org — so the
// CLI can move it into its local config file.
func (s *Store) LegacySession(context.Context) (user string, open map[string]string, err error) {
	open = map[string]string{}
	err = s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			b := btx.Bucket(bucketSettings)
			if b == nil {
				return nil
			}
			user = string(b.Get([]byte("current_user")))
			return b.ForEach(func(k, v []byte) error {
				if email, ok := bytes.CutPrefix(k, []byte("active_org/")); ok && len(v) > 0 {
					open[string(email)] = string(v)
				}
				return nil
			})
		})
	})
	return user, open, err
}
