package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// keyStagedOrgs, in the meta bucket, marks a CreateOrgsStaged whose last
// step has not committed: the org sequence and the org count before it
// (8 bytes each, big-endian). The first step writes it, the last deletes
// it in the same transaction as its own work; found by an open, it means
// the process died in between, and undoStagedOrgs removes what the steps
// committed before anyone reads the store (see schemaCurrent).
var keyStagedOrgs = []byte("staged_orgs")

var _ store.StagedOrgCreator = (*Store)(nil)

// CreateOrgsStaged implements store.StagedOrgCreator. Between steps this
// process holds the file's exclusive lock (no other process opens it) and
// s.staging (no other transaction of this process runs).
//
// Why: bbolt keeps every key a transaction puts in memory, each bucket's
// new keys in one node, until the commit. A million new orgs in one
// transaction held four nodes of a million keys (grown by copying, a
// gigabyte moved) and the commit laid out every page at once; in steps of
// tens of thousands each commit is small.
func (s *Store) CreateOrgsStaged(ctx context.Context, steps int, fn func(tx store.Tx, step int) error) error {
	if steps <= 1 {
		return s.Update(ctx, func(tx store.Tx) error { return fn(tx, 0) })
	}
	s.staging.Lock()
	defer s.staging.Unlock()
	for step := range steps {
		err := ctx.Err()
		if err == nil {
			var t *boltTx
			err = s.guard(func() error {
				return s.db.Update(func(btx *bolt.Tx) error {
					t = &boltTx{btx: btx, arenas: &s.arenas}
					if step == 0 {
						if err := beginStagedOrgs(t); err != nil {
							return err
						}
					}
					if err := fn(t, step); err != nil {
						return err
					}
					if err := t.flushIndexes(); err != nil {
						return err
					}
					if step == steps-1 {
						return t.b(bucketMeta).Delete(keyStagedOrgs)
					}
					return nil
				})
			})
			if t != nil {
				t.releaseArena()
			}
			s.dropMappedPages()
		}
		if err != nil {
			if step > 0 {
				// If this fails too, the mark stays and the next open
				// removes the orgs.
				_ = s.guard(func() error { return s.db.Update(undoStagedOrgs) })
				s.dropMappedPages()
			}
			return err
		}
	}
	return nil
}

// beginStagedOrgs records the org sequence and count the steps start from.
func beginStagedOrgs(t *boltTx) error {
	meta := t.b(bucketMeta)
	if meta.Get(keyStagedOrgs) != nil {
		return errors.New("an earlier staged creation of orgs was not undone")
	}
	var seq uint64
	if raw := t.b(bucketSeq).Get([]byte("org")); len(raw) == 8 {
		seq = binary.BigEndian.Uint64(raw)
	}
	n, _ := t.CountOrgs(context.Background())
	return meta.Put(keyStagedOrgs, binary.BigEndian.AppendUint64(u64(seq), uint64(n)))
}

// undoStagedOrgs removes the orgs of an unfinished CreateOrgsStaged (every
// org with a sequence past the one it recorded), their index keys, and
// puts back the org sequence and count; nothing when there is none.
func undoStagedOrgs(btx *bolt.Tx) error {
	meta := btx.Bucket(bucketMeta)
	if meta == nil {
		return nil
	}
	mark := meta.Get(keyStagedOrgs)
	if mark == nil {
		return nil
	}
	if len(mark) != 16 {
		return fmt.Errorf("%w: unreadable mark of an unfinished orgs import (%d bytes)", errCorruptOrg, len(mark))
	}
	seq, count := binary.BigEndian.Uint64(mark[:8]), binary.BigEndian.Uint64(mark[8:])
	type made struct {
		key []byte
		org domain.Org // only what unindex needs
	}
	var orgs []made
	var o domain.Org
	c := btx.Bucket(bucketOrgs).Cursor()
	for k, raw := c.Seek(u64(seq + 1)); k != nil; k, raw = c.Next() {
		if err := decodeOrg(raw, &o); err != nil {
			return err
		}
		orgs = append(orgs, made{bytes.Clone(k), domain.Org{ID: o.ID, Seq: o.Seq, Name: o.Name, RefID: o.RefID,
			Admin: o.Admin, DeletedAt: o.DeletedAt, LinkStatus: o.LinkStatus, Tenant: domain.Tenant{Shortcode: o.Tenant.Shortcode}}})
	}
	t := &boltTx{btx: btx}
	for i := len(orgs) - 1; i >= 0; i-- { // newest first: each delete is at a bucket's end
		m := &orgs[i]
		if liveCustomer(m.org) {
			if err := t.unindex(m.org); err != nil {
				return err
			}
		}
		if err := t.b(bucketOrgIDs).Delete([]byte(m.org.ID)); err != nil {
			return err
		}
		if err := t.b(bucketOrgs).Delete(m.key); err != nil {
			return err
		}
	}
	if err := t.b(bucketSeq).Put([]byte("org"), u64(seq)); err != nil {
		return err
	}
	if err := meta.Put(keyOrgCount, u64(count)); err != nil {
		return err
	}
	return meta.Delete(keyStagedOrgs)
}

// unfinishedStagedOrgs describes the mark of a staged creation of orgs
// whose process died, for doctor: every open undoes it, so doctor sees one
// only when that failed or on a store opened before the process died.
// "" when there is none.
func unfinishedStagedOrgs(btx *bolt.Tx) string {
	if ok, _ := noStagedOrgs(btx); ok {
		return ""
	}
	mark := btx.Bucket(bucketMeta).Get(keyStagedOrgs)
	if mark == nil {
		return ""
	}
	n := 0
	if len(mark) == 16 {
		c := btx.Bucket(bucketOrgs).Cursor()
		for k, _ := c.Seek(u64(binary.BigEndian.Uint64(mark[:8]) + 1)); k != nil; k, _ = c.Next() {
			n++
		}
	}
	return fmt.Sprintf("an orgs import was interrupted (its process died) after creating %d org(s): the next command that opens the store removes them", n)
}

// noStagedOrgs reports whether the store holds no mark of an unfinished
// CreateOrgsStaged (a store without a meta bucket holds none).
func noStagedOrgs(btx *bolt.Tx) (bool, error) {
	meta := btx.Bucket(bucketMeta)
	return meta == nil || meta.Get(keyStagedOrgs) == nil, nil
}
