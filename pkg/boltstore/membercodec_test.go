package boltstore

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func TestMembershipCodecRoundTrips(t *testing.T) {
	expires := time.Date(2026, 12, 24, 18, 30, 0, 123456789, time.UTC)
	for _, m := range []domain.Membership{
		{OrgID: "org_000002", Email: "ann@acme.example", Role: domain.RoleMember, LoginMethod: "magic_link", JoinedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)},
		{OrgID: "org_000001", Email: "ops@partner.example", Role: domain.RolePartner, LoginMethod: "sso", JoinedAt: time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC), ExpiresAt: &expires},
		{OrgID: "org_000003", Email: "new@acme.example"}, // no role, method or time yet
	} {
		key := memberKey(m.OrgID, m.Email)
		raw := encodeMembership(nil, &m)
		got, err := decodeMembership(key, raw)
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Fatalf("round trip of %+v: %+v, %v", m, got, err)
		}
		// The key is not repeated: what was 150-200 bytes of JSON is ~20.
		if js, _ := json.Marshal(m); len(raw) > 40 || len(raw)*3 > len(js) {
			t.Errorf("%s: %d bytes (JSON: %d)", m.Email, len(raw), len(js))
		}
	}
}

func TestCorruptMembershipIsAnError(t *testing.T) {
	m := domain.Membership{OrgID: "org_000002", Email: "a@b.example", Role: domain.RoleMember, JoinedAt: time.Unix(1, 0).UTC()}
	good := encodeMembership(nil, &m)
	for _, c := range []struct {
		key string
		raw []byte
	}{
		{"org_000002\x00a@b.example", nil},
		{"org_000002\x00a@b.example", []byte{9}},                                 // unknown version
		{"org_000002\x00a@b.example", good[:len(good)-1]},                        // cut short
		{"org_000002\x00a@b.example", append(append([]byte{}, good...), 0)},      // trailing byte
		{"org_000002\x00a@b.example", append(good[:len(good)-1:len(good)-1], 2)}, // bad expiry flag
		{"no separator", good},
	} {
		if got, err := decodeMembership([]byte(c.key), c.raw); err == nil {
			t.Errorf("%q %x decoded: %+v", c.key, c.raw, got)
		}
	}
}

// Memberships stored as JSON by earlier builds are still read, by every
// call, and written in the binary form the next time they change.
func TestMembershipsOfEarlierBuildsAreStillRead(t *testing.T) {
	s := openTest(t)
	old := domain.Membership{OrgID: "org_000002", Email: "ann@acme.example", Role: domain.RoleMember, LoginMethod: "magic_link", JoinedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	key := memberKey(old.OrgID, old.Email)
	if err := s.db.Update(func(btx *bolt.Tx) error { return putJSON(btx.Bucket(bucketMembers), key, old) }); err != nil {
		t.Fatal(err)
	}
	err := s.View(ctx, func(tx store.Tx) error {
		one, err := tx.Membership(ctx, old.OrgID, old.Email)
		if err != nil || !reflect.DeepEqual(one, old) {
			t.Fatalf("Membership: %+v, %v", one, err)
		}
		byKey, err := tx.MembershipsByKey(ctx, []store.MemberKey{{OrgID: old.OrgID, Email: old.Email}})
		if err != nil || !reflect.DeepEqual(byKey[store.MemberKey{OrgID: old.OrgID, Email: old.Email}], old) {
			t.Fatalf("MembershipsByKey: %+v, %v", byKey, err)
		}
		for m, err := range tx.Memberships(ctx, store.MemberFilter{OrgID: old.OrgID}) {
			if err != nil || !reflect.DeepEqual(m, old) {
				t.Fatalf("Memberships: %+v, %v", m, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	changed := old
	changed.Role = domain.RolePartner
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutMembership(ctx, changed) }); err != nil {
		t.Fatal(err)
	}
	_ = s.db.View(func(btx *bolt.Tx) error {
		raw := btx.Bucket(bucketMembers).Get(key)
		if len(raw) == 0 || raw[0] != memberCodecV1 {
			t.Fatalf("rewritten record: %q", raw)
		}
		return nil
	})
}

// FuzzDecodeMembership: any key and bytes decode to a membership under that
// key, or to an error; never a panic.
func FuzzDecodeMembership(f *testing.F) {
	expires := time.Unix(1_800_000_000, 5).UTC()
	m := domain.Membership{OrgID: "org_000002", Email: "a@b.example", Role: domain.RoleMember, LoginMethod: "magic_link", JoinedAt: time.Unix(1_700_000_000, 0).UTC(), ExpiresAt: &expires}
	f.Add([]byte("org_000002\x00a@b.example"), encodeMembership(nil, &m))
	f.Add([]byte("org_000002\x00a@b.example"), []byte(`{"org_id":"org_000002","email":"a@b.example","role":"member"}`))
	f.Add([]byte("x"), []byte{memberCodecV1, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, key, raw []byte) {
		got, err := decodeMembership(key, raw)
		if err != nil || (len(raw) > 0 && raw[0] == '{') {
			return
		}
		if string(memberKey(got.OrgID, got.Email)) != string(key) {
			t.Fatalf("decoded %+v under key %q", got, key)
		}
		again, err := decodeMembership(key, encodeMembership(nil, &got))
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("re-encoded %+v: %+v, %v", got, again, err)
		}
	})
}
