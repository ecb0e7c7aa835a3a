package boltstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func TestOpeningUpgradesAStoreThatLacksBuckets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := Open(Options{Path: path, Mode: Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// An up-to-date store is not written by a read-write open.
	before, _ := os.ReadFile(path)
	s, err = Open(Options{Path: path, Mode: ReadWrite, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("opening an up-to-date store for writing changed the file")
	}
	// Simulate a store from a build that had no licenses yet.
	raw(t, path, func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketLicenses) })
	// A reader upgrades it through a brief write open, then reads.
	s, err = Open(Options{Path: path, Mode: ReadOnly, LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("read-only open of an older store: %v", err)
	}
	s.Close()
	raw(t, path, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketLicenses) == nil {
			return fmt.Errorf("the licenses bucket was not added")
		}
		return nil
	})
}

// A store of schema 1 (records keyed by id, whose zero-padded numbers stop
// sorting past 999,999) is rekeyed by sequence on first open; nothing is
// lost and creation order holds past a million.
func TestSchema1StoresAreUpgraded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	put := func(tx *bolt.Tx, bucket string, key []byte, v any) {
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Put(key, raw); err != nil {
			t.Fatal(err)
		}
	}
	seqs := []uint64{999_998, 999_999, 1_000_000, 1_000_001}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"meta", "settings", "seq", "org_names", "org_refs", "members", "events", "event_ids", "devices", "audit", "link_hashes", "license_orgs", "invite_hashes"} {
			if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
				return err
			}
		}
		tx.Bucket([]byte("meta")).Put(keySchema, []byte("1"))
		tx.Bucket([]byte("settings")).Put([]byte("current_user"), []byte("boss@hq.example"))
		for _, seq := range seqs {
			id := fmt.Sprintf("org_%06d", seq)
			o := domain.Org{ID: id, Seq: seq, Name: fmt.Sprintf("Org %d", seq), CreatedAt: t0}
			put(tx, "orgs", []byte(id), o)
			tx.Bucket([]byte("org_names")).Put(nameKey(o.Name, seq), []byte(id))
			lic := domain.License{ID: fmt.Sprintf("lic_%06d", seq), Seq: seq, Number: fmt.Sprint(seq), OrgID: id, Start: t0, End: t0}
			put(tx, "licenses", []byte(lic.ID), lic)
			tx.Bucket([]byte("license_orgs")).Put([]byte(id+"\x00"+lic.ID), nil)
			inv := domain.Invite{ID: fmt.Sprintf("inv_%06d", seq), Seq: seq, OrgID: id, TokenHash: fmt.Sprint("h", seq)}
			put(tx, "invites", []byte(inv.ID), inv)
			tx.Bucket([]byte("invite_hashes")).Put([]byte(inv.TokenHash), []byte(inv.ID))
			l := domain.Link{ID: fmt.Sprintf("lnk_%06d", seq), Seq: seq, OrgID: id, TokenHash: fmt.Sprint("l", seq)}
			put(tx, "links", u64(seq), l)
			tx.Bucket([]byte("link_hashes")).Put([]byte(l.TokenHash), []byte(l.ID))
		}
		tx.Bucket([]byte("meta")).Put(keyOrgCount, u64(uint64(len(seqs))))
		tx.Bucket([]byte("seq")).Put([]byte("org"), u64(seqs[len(seqs)-1]))
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	st, err := Open(Options{Path: path, Mode: ReadOnly, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	want := "org_999998 org_999999 org_1000000 org_1000001"
	err = st.View(ctx, func(tx store.Tx) error {
		got := ""
		for o, err := range tx.Orgs(ctx, store.OrgQuery{}) {
			if err != nil {
				return err
			}
			got += " " + o.ID
		}
		if got[1:] != want {
			t.Errorf("orgs in storage order: %s", got)
		}
		if o, err := tx.Org(ctx, "org_1000000"); err != nil || o.Name != "Org 1000000" {
			t.Errorf("org by id: %+v %v", o, err)
		}
		got = ""
		for l, err := range tx.Licenses(ctx, "org_1000001") {
			if err != nil {
				return err
			}
			got += l.ID
		}
		if got != "lic_1000001" {
			t.Errorf("licenses of an org: %s", got)
		}
		got = ""
		for l, err := range tx.Links(ctx, "") {
			if err != nil {
				return err
			}
			got += " " + l.OrgID
		}
		if got[1:] != want {
			t.Errorf("links in order: %s", got)
		}
		if i, err := tx.InviteByTokenHash(ctx, "h1000000"); err != nil || i.ID != "inv_1000000" {
			t.Errorf("invite by hash: %+v %v", i, err)
		}
		if l, err := tx.LinkByTokenHash(ctx, "l999999"); err != nil || l.ID != "lnk_999999" {
			t.Errorf("link by hash: %+v %v", l, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if user, _, err := st.LegacySession(ctx); err != nil || user != "boss@hq.example" {
		t.Errorf("legacy session: %q %v", user, err)
	}
	if rep, err := st.CheckStorage(ctx, nil); err != nil || len(rep.Problems) > 0 {
		t.Errorf("doctor after the upgrade: %v %v", rep.Problems, err)
	}
}

// A store of schema 2 (org records of codec version 1, no tenant buckets)
// is upgraded on first open: its org records are rewritten in the current
// codec, every org is connected, the new indexes exist and start empty.
func TestSchema2StoresAreUpgraded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	s, err := Open(Options{Path: path, Mode: Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		for i, name := range []string{"Bakery", "Dentist", "Garage"} {
			seq, _ := tx.NextSeq(ctx, "org")
			o := domain.Org{ID: fmt.Sprintf("org_%06d", seq), Seq: seq, Name: name, RefID: fmt.Sprint("R", i), CreatedAt: time.Unix(1e9, 0).UTC(), Messages: i}
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		return nil
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Back to schema 2: records in codec version 1, no tenant buckets.
	raw(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOrgs)
		var recs [][2][]byte
		b.ForEach(func(k, v []byte) error {
			var o domain.Org
			if err := decodeOrg(v, &o); err != nil {
				return err
			}
			recs = append(recs, [2][]byte{bytes.Clone(k), encodeOrgV1(nil, &o)})
			return nil
		})
		for _, r := range recs {
			if err := b.Put(r[0], r[1]); err != nil {
				return err
			}
		}
		for _, name := range [][]byte{bucketOrgUnlinked, bucketOrgCodes, bucketConns, bucketConnIDs, bucketConnHash} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("2"))
	})

	s, err = Open(Options{Path: path, Mode: ReadOnly, LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("opening a schema 2 store: %v", err)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		if n, _ := tx.CountOrgs(ctx); n != 3 {
			t.Errorf("CountOrgs = %d after the upgrade", n)
		}
		if got := namesInOrder(t, tx); got != "Bakery,Dentist,Garage" {
			t.Errorf("orgs after the upgrade: %s", got)
		}
		o, err := tx.Org(ctx, "org_000003")
		if err != nil || o.Messages != 2 || o.RefID != "R2" || o.LinkStatus != "" || !o.Connected() {
			t.Errorf("org after the upgrade: %+v %v", o, err)
		}
		if _, err := tx.OrgIDByShortcode(ctx, "X"); err != store.ErrNotFound {
			t.Errorf("shortcode lookup: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := s.CheckStorage(ctx, nil); err != nil || len(rep.Problems) > 0 {
		t.Errorf("doctor after the upgrade: %v %v", rep.Problems, err)
	}
	s.Close() // the raw check below writes: the file must be free
	raw(t, path, func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bucketMeta).Get(keySchema)); v != fmt.Sprint(store.SchemaVersion) {
			return fmt.Errorf("schema %s after the upgrade", v)
		}
		return tx.Bucket(bucketOrgs).ForEach(func(k, v []byte) error {
			if v[0] != orgCodecV2 {
				return fmt.Errorf("org record %x still in codec version %d", k, v[0])
			}
			return nil
		})
	})
}

// A store of schema 3 kept every day an org had a session: on first open
// each org keeps the domain.SessionDaysKept days ending with its latest,
// and an org without older days is left as it was.
func TestSchema3StoresKeepTheirRecentSessionDays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v3.db")
	s, err := Open(Options{Path: path, Mode: Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	years := []domain.DayCount{{Day: 19000, Count: 4}, {Day: 19500, Count: 1}, {Day: 20000, Count: 2}, {Day: 20040, Count: 3}, {Day: 20059, Count: 5}}
	recent := []domain.DayCount{{Day: 20000, Count: 1}, {Day: 20059, Count: 2}}
	err = s.Update(ctx, func(tx store.Tx) error {
		for i, days := range [][]domain.DayCount{years, recent} {
			seq, _ := tx.NextSeq(ctx, "org")
			o := domain.Org{ID: fmt.Sprintf("org_%06d", seq), Seq: seq, Name: fmt.Sprint("Org ", i), CreatedAt: time.Unix(1e9, 0).UTC(),
				SessionsTotal: 15, SessionDays: days}
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		return nil
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	raw(t, path, func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte("3")) })

	s, err = Open(Options{Path: path, Mode: ReadOnly, LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("opening a schema 3 store: %v", err)
	}
	defer s.Close()
	err = s.View(ctx, func(tx store.Tx) error {
		for id, want := range map[string][]domain.DayCount{"org_000001": years[2:], "org_000002": recent} {
			o, err := tx.Org(ctx, id)
			if err != nil {
				return err
			}
			if !slices.Equal(o.SessionDays, want) || o.SessionsTotal != 15 {
				t.Errorf("%s after the upgrade: days %v, total %d; want %v, 15", id, o.SessionDays, o.SessionsTotal, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A store of schema 4 kept memberships as JSON: on first open each is
// rewritten in the binary codec (so a build of schema 4 refuses the store),
// but for one whose JSON names another org than its key, left for doctor.
func TestSchema4StoresRecodeTheirMemberships(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v4.db")
	s, err := Open(Options{Path: path, Mode: Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	expires := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)
	ann := domain.Membership{OrgID: "org_000002", Email: "ann@acme.example", Role: domain.RoleMember, LoginMethod: "magic_link",
		JoinedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	bob := domain.Membership{OrgID: "org_000003", Email: "bob@acme.example", Role: domain.RoleOwner,
		JoinedAt: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), ExpiresAt: &expires}
	misfiled := ann
	misfiled.OrgID = "org_000009"
	misfiledKey := memberKey("org_000004", ann.Email)
	raw(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMembers)
		for _, m := range []domain.Membership{ann, bob} {
			if err := putJSON(b, memberKey(m.OrgID, m.Email), m); err != nil {
				return err
			}
		}
		if err := putJSON(b, misfiledKey, misfiled); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("4"))
	})

	s, err = Open(Options{Path: path, Mode: ReadOnly, LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("opening a schema 4 store: %v", err)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		for _, want := range []domain.Membership{ann, bob} {
			got, err := tx.Membership(ctx, want.OrgID, want.Email)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("after the upgrade: %+v, %v; want %+v", got, err, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw(t, path, func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bucketMeta).Get(keySchema)); v != fmt.Sprint(store.SchemaVersion) {
			return fmt.Errorf("schema %s after the upgrade", v)
		}
		return tx.Bucket(bucketMembers).ForEach(func(k, v []byte) error {
			if binary := v[0] == memberCodecV1; binary == bytes.Equal(k, misfiledKey) {
				return fmt.Errorf("membership %q after the upgrade: %q", k, v)
			}
			return nil
		})
	})
}

// A store of schema 5 had no staged event ids: on first open it gets the
// bucket (and version 6, which a build of schema 5 refuses), its claimed
// ids as they were.
func TestSchema5StoresGetStagedEventIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v5.db")
	s, err := Open(Options{Path: path, Mode: Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.ClaimEvents(ctx, []string{"e1", "e2"}, make([]bool, 2)) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw(t, path, func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketEventIDsStaged); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("5"))
	})
	s, err = Open(Options{Path: path, Mode: ReadWrite, LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("opening a schema 5 store: %v", err)
	}
	defer s.Close()
	err = s.Update(ctx, func(tx store.Tx) error {
		if err := tx.(store.EventStager).StageEvents(ctx, []string{"e3"}); err != nil {
			return err
		}
		claimed := make([]bool, 4)
		if err := tx.EventsClaimed(ctx, []string{"e1", "e2", "e3", "e4"}, claimed); err != nil {
			return err
		}
		if want := []bool{true, true, true, false}; !slices.Equal(claimed, want) {
			t.Errorf("claimed %v, want %v", claimed, want)
		}
		if v := string(tx.(*boltTx).b(bucketMeta).Get(keySchema)); v != fmt.Sprint(store.SchemaVersion) {
			t.Errorf("schema %s after the upgrade, want %d", v, store.SchemaVersion)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A schema 6 store indexed every org id; the upgrade keeps only the ids the
// sequence does not find, and every org is found by its id before and after.
func TestSchema6StoresIndexOnlyTheIDsTheSequenceDoesNotFind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v6.db")
	s, err := Open(Options{Path: path, Mode: Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	orgs := []domain.Org{
		{ID: "org_000003", Seq: 3},  // made as the console makes ids
		{ID: "imported-5", Seq: 5},  // made otherwise
		{ID: "org_000004", Seq: 9},  // names a sequence it is not under
		{ID: "org_000012", Seq: 12}, // rewritten in JSON below
	}
	ids := make([]string, len(orgs))
	err = s.Update(ctx, func(tx store.Tx) error {
		for i, o := range orgs {
			o.Name, o.LinkStatus, ids[i] = "Org "+o.ID, domain.LinkAccepted, o.ID
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw(t, path, func(tx *bolt.Tx) error {
		for _, o := range orgs { // as schema 6 indexed them
			if err := tx.Bucket(bucketOrgIDs).Put([]byte(o.ID), u64(o.Seq)); err != nil {
				return err
			}
		}
		if _, err := rewriteOrgAsJSON(tx, "org_000012", func(*domain.Org) {}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSeq).Put([]byte("org"), u64(12)); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("6"))
	})
	s, err = Open(Options{Path: path, Mode: ReadWrite, LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("opening a schema 6 store: %v", err)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		var indexed []string
		_ = tx.(*boltTx).b(bucketOrgIDs).ForEach(func(id, _ []byte) error { indexed = append(indexed, string(id)); return nil })
		if want := []string{"imported-5", "org_000004", "org_000012"}; !slices.Equal(indexed, want) {
			t.Errorf("org_ids after the upgrade: %q, want %q", indexed, want)
		}
		found, err := tx.OrgsByID(ctx, ids)
		if err != nil {
			return err
		}
		for i, o := range found {
			if o.ID != ids[i] || o.Name != "Org "+ids[i] {
				t.Errorf("%s: found %q (%s)", ids[i], o.Name, o.ID)
			}
		}
		return nil
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if rep := doctorOf(t, path); len(rep.storage.Problems) > 0 {
		t.Errorf("doctor's storage checks after the upgrade: %q", rep.storage.Problems)
	}
}
