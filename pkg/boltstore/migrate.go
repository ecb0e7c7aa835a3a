package boltstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// upgradeSchema brings a store of an earlier build to the current layout in
// one transaction: all of it or none of it.
//
// Version 1 keyed orgs, licenses and invites by id, whose zero-padded
// numbers stop sorting in creation order past 999,999, and links by a
// sequence parsed out of their id. Version 2 keys all four by sequence with
// an id index each (see layout.go).
//
// Version 3 adds tenants: org records of codec version 2 (tenant fields and
// a link status), indexes of shortcodes and of orgs that are not connected,
// and connect requests. Every org of an earlier store is connected and has
// no shortcode, so the new indexes start empty; the org records are
// rewritten in the new codec so that a build of schema 2 refuses the store
// ("newer than this partnerctl") instead of misreading its records.
//
// Version 4 keeps only the session days an org needs (see keepSessionDays).
//
// Version 5 stores memberships in a binary record that does not repeat its
// key (see membercodec.go): the JSON ones are rewritten (recodeMemberships),
// so that a build of schema 4 refuses the store instead of failing on every
// membership it reads.
//
// Version 6 adds event_ids_staged, where an events import in ranges
// stages the ids each range claims (see stagedevents.go): it starts empty,
// and a build of schema 5, which would not look there, refuses the store.
//
// Version 7 indexes only the org ids the console did not make from their
// sequence (see boltTx.hinted): the others leave org_ids (dropSequencedIDs),
// and a build of schema 6, which would take them for new orgs, refuses the
// store.
//
// An `orgs import` that died between its transactions is undone here too
// (see CreateOrgsStaged): its mark makes the store not current.
func upgradeSchema(btx *bolt.Tx) error {
	v, err := schemaVersion(btx)
	if err != nil {
		return err
	}
	if err := undoStagedOrgs(btx); err != nil {
		return err
	}
	if v < 2 {
		if err := createSchema(btx); err != nil {
			return err
		}
		for _, m := range []struct {
			old  string
			kind recordKind
			seq  func(raw []byte) (id string, seq uint64, err error)
		}{
			{"orgs", orgRecords, orgSeq},
			{"links", linkRecords, jsonSeq},
			{"licenses", licenseRecords, jsonSeq},
			{"invites", inviteRecords, jsonSeq},
		} {
			if err := rekey(btx, m.old, m.kind, m.seq); err != nil {
				return err
			}
		}
		if err := rebuildLicenseIndex(btx); err != nil {
			return err
		}
	}
	if v < 3 {
		if err := createSchema(btx); err != nil {
			return err
		}
		if err := recodeOrgs(btx); err != nil {
			return err
		}
	}
	if v < 4 {
		if err := keepSessionDays(btx); err != nil {
			return err
		}
	}
	if v < 5 {
		if err := recodeMemberships(btx); err != nil {
			return err
		}
	}
	if v < 7 {
		if err := dropSequencedIDs(btx); err != nil {
			return err
		}
	}
	return createSchema(btx)
}

// dropSequencedIDs (version 7) rebuilds org_ids with only the ids the hint
// does not find: those made otherwise, naming a sequence their record is
// not under, or of a record in JSON (edited by hand; the hint reads only
// the binary codec). Rebuilt rather than deleted from: a million deletes
// rewrite every page of the bucket, a new bucket of the few left is a
// page or two.
func dropSequencedIDs(btx *bolt.Tx) error {
	old, records := btx.Bucket(bucketOrgIDs), btx.Bucket(bucketOrgs)
	if old == nil || records == nil {
		return nil
	}
	type entry struct{ id, key []byte }
	var kept []entry
	err := old.ForEach(func(id, key []byte) error {
		if held, ok := orgRecords.hintedID(key, records.Get(key)); ok && bytes.Equal(held, id) {
			return nil // the hint finds it
		}
		kept = append(kept, entry{bytes.Clone(id), bytes.Clone(key)})
		return nil
	})
	if err != nil {
		return err
	}
	if err := btx.DeleteBucket(bucketOrgIDs); err != nil {
		return err
	}
	ids, err := btx.CreateBucket(bucketOrgIDs)
	if err != nil {
		return err
	}
	ids.FillPercent = fillSorted
	for _, e := range kept {
		if err := ids.Put(e.id, e.key); err != nil {
			return err
		}
	}
	return nil
}

// recodeMemberships (version 5) rewrites every JSON membership in the
// binary codec, in place. A record whose JSON names another org or email
// than its key is left as it is, for doctor to report: the binary form
// would take them from the key and hide the damage.
func recodeMemberships(btx *bolt.Tx) error {
	b := btx.Bucket(bucketMembers)
	if b == nil {
		return nil
	}
	b.FillPercent = fillSorted
	return rewriteEach(b, func(k, raw []byte) ([]byte, error) {
		if len(raw) == 0 || raw[0] != '{' {
			return nil, nil
		}
		m, err := decodeMembership(k, raw)
		if err != nil {
			return nil, fmt.Errorf("upgrading the store: membership %q: %w", k, err)
		}
		if !bytes.Equal(memberKey(m.OrgID, m.Email), k) {
			return nil, nil
		}
		return encodeMembership(nil, &m), nil
	})
}

// keepSessionDays (version 4) drops from every org record the session days
// older than domain.SessionDaysKept days before its latest: earlier builds
// kept every day an org ever had a session. Records with no such day are
// only read.
func keepSessionDays(btx *bolt.Tx) error {
	var o domain.Org
	return rewriteEach(btx.Bucket(bucketOrgs), func(k, raw []byte) ([]byte, error) {
		if err := decodeOrg(raw, &o); err != nil {
			return nil, fmt.Errorf("upgrading the store: org record %x: %w", k, err)
		}
		n := len(o.SessionDays)
		if o.SessionDays = domain.KeptSessionDays(o.SessionDays); len(o.SessionDays) == n {
			return nil, nil
		}
		return encodeOrg(nil, &o), nil
	})
}

// recodeOrgs rewrites every org record in the current codec, in place.
func recodeOrgs(btx *bolt.Tx) error {
	var o domain.Org
	return rewriteEach(btx.Bucket(bucketOrgs), func(k, raw []byte) ([]byte, error) {
		if len(raw) > 0 && raw[0] == orgCodecV2 {
			return nil, nil
		}
		if err := decodeOrg(raw, &o); err != nil {
			return nil, fmt.Errorf("upgrading the store: org record %x: %w", k, err)
		}
		return encodeOrg(nil, &o), nil
	})
}

// rewriteEach puts, in place of each record of b, what recode makes of it;
// a nil value leaves the record as it is.
func rewriteEach(b *bolt.Bucket, recode func(k, raw []byte) ([]byte, error)) error {
	c := b.Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		v, err := recode(k, raw)
		if err != nil {
			return err
		}
		if v == nil {
			continue
		}
		key := bytes.Clone(k)
		if err := b.Put(key, v); err != nil {
			return err
		}
		c.Seek(key) // a write moves the cursor: put it back
	}
	return nil
}

// rekey moves the records of the v1 bucket old into kind's buckets.
func rekey(btx *bolt.Tx, old string, kind recordKind, seqOf func([]byte) (string, uint64, error)) error {
	src := btx.Bucket([]byte(old))
	if src == nil {
		return nil
	}
	records, ids := btx.Bucket(kind.records), btx.Bucket(kind.ids)
	records.FillPercent, ids.FillPercent = kind.fill, fillSorted
	err := src.ForEach(func(_, raw []byte) error {
		id, seq, err := seqOf(raw)
		if err != nil {
			return fmt.Errorf("upgrading the store: bucket %s: %w", old, err)
		}
		if err := records.Put(u64(seq), raw); err != nil {
			return err
		}
		return ids.Put([]byte(id), u64(seq))
	})
	if err != nil {
		return err
	}
	return btx.DeleteBucket([]byte(old))
}

func orgSeq(raw []byte) (string, uint64, error) {
	var o domain.Org
	if err := decodeOrg(raw, &o); err != nil {
		return "", 0, err
	}
	return o.ID, o.Seq, nil
}

func jsonSeq(raw []byte) (string, uint64, error) {
	var r struct {
		ID  string `json:"id"`
		Seq uint64 `json:"seq"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.ID == "" || r.Seq == 0 {
		return "", 0, fmt.Errorf("a record without an id and sequence (%v)", err)
	}
	return r.ID, r.Seq, nil
}

// rebuildLicenseIndex replaces the by-org index of v1 (keyed by license id).
func rebuildLicenseIndex(btx *bolt.Tx) error {
	if err := btx.DeleteBucket(bucketLicOrgs); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
		return err
	}
	index, err := btx.CreateBucket(bucketLicOrgs)
	if err != nil {
		return err
	}
	return btx.Bucket(bucketLicenses).ForEach(func(_, raw []byte) error {
		var l domain.License
		if err := jsonUnmarshal(raw, &l); err != nil {
			return err
		}
		if l.OrgID == "" {
			return nil
		}
		return index.Put(licenseOrgKey(l.OrgID, l.Seq), nil)
	})
}

// upgradeWith upgrades the store at opts.Path through a brief write open:
// what a reader does when it finds a store of an earlier build.
func upgradeWith(opts Options) error {
	opts.Mode = ReadWrite
	s, err := Open(opts)
	if err != nil {
		return err
	}
	return s.Close()
}
