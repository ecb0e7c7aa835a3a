package storetest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var memberTests = []test{
	{"PutGetReplaceDelete", testMemberCRUD},
	{"BatchPutGetDelete", testMemberBatch},
	{"ListedInByteOrderOfOrgThenEmail", testMemberOrder},
	{"TimeBoxedGrantKeepsItsEnd", testMemberExpiry},
}

var deviceTests = []test{
	{"BatchPutGet", testDeviceStates},
	{"NULInDeviceNames", testDeviceNUL},
}

func member(org, email string, role domain.Role, minute int) domain.Membership {
	return domain.Membership{OrgID: org, Email: email, Role: role, LoginMethod: domain.LoginAny, JoinedAt: at(minute)}
}

func testMemberCRUD(h *harness) {
	m := member("org_000001", "ann@bakery.example", domain.RoleOwner, 1)
	h.view(func(tx store.Tx) error {
		_, err := tx.Membership(h.ctx, m.OrgID, m.Email)
		notFound(h.t, "Membership in a fresh store", err)
		return nil
	})
	h.update(func(tx store.Tx) error {
		must(h.t, tx.PutMembership(h.ctx, m))
		got, err := tx.Membership(h.ctx, m.OrgID, m.Email)
		must(h.t, err)
		same(h.t, "Membership in its transaction", got, m)
		return nil
	})
	h.view(func(tx store.Tx) error {
		got, err := tx.Membership(h.ctx, m.OrgID, m.Email)
		must(h.t, err)
		same(h.t, "Membership", got, m)
		_, err = tx.Membership(h.ctx, "org_000002", m.Email)
		notFound(h.t, "Membership in another org", err)
		_, err = tx.Membership(h.ctx, m.OrgID, "bob@bakery.example")
		notFound(h.t, "Membership of another email", err)
		_, err = tx.Membership(h.ctx, m.OrgID, "ANN@bakery.example")
		notFound(h.t, "Membership of the email in another case (emails are stored normalised; lookups are exact)", err)
		return nil
	})
	m.Role, m.LoginMethod = domain.RoleAdmin, domain.LoginGoogle
	h.update(func(tx store.Tx) error { return tx.PutMembership(h.ctx, m) })
	h.view(func(tx store.Tx) error {
		got, err := tx.Membership(h.ctx, m.OrgID, m.Email)
		must(h.t, err)
		same(h.t, "Membership replaced", got, m)
		same(h.t, "memberships after a replace", collect(h.t, tx.Memberships(h.ctx, store.MemberFilter{})), []domain.Membership{m})
		return nil
	})
	h.update(func(tx store.Tx) error {
		must(h.t, tx.DeleteMembership(h.ctx, m.OrgID, m.Email))
		_, err := tx.Membership(h.ctx, m.OrgID, m.Email)
		notFound(h.t, "Membership deleted, in its transaction", err)
		// Deleting what is not there is no error.
		must(h.t, tx.DeleteMembership(h.ctx, m.OrgID, m.Email))
		must(h.t, tx.DeleteMembership(h.ctx, "org_000404", "nobody@example.com"))
		return nil
	})
	h.view(func(tx store.Tx) error {
		_, err := tx.Membership(h.ctx, m.OrgID, m.Email)
		notFound(h.t, "Membership deleted", err)
		same(h.t, "memberships after a delete", len(collect(h.t, tx.Memberships(h.ctx, store.MemberFilter{}))), 0)
		return nil
	})
}

func testMemberBatch(h *harness) {
	ms := []domain.Membership{
		member("org_000002", "zed@x.example", domain.RoleMember, 1),
		member("org_000001", "bob@x.example", domain.RoleOwner, 2),
		member("org_000002", "amy@x.example", domain.RolePartner, 3),
		member("org_000001", "amy@x.example", domain.RoleAdmin, 4),
		member("org_000003", "amy@x.example", domain.RoleMember, 5),
	}
	key := func(m domain.Membership) store.MemberKey { return store.MemberKey{OrgID: m.OrgID, Email: m.Email} }
	h.update(func(tx store.Tx) error {
		must(h.t, tx.PutMemberships(h.ctx, nil))
		return tx.PutMemberships(h.ctx, ms)
	})
	h.view(func(tx store.Tx) error {
		keys := []store.MemberKey{key(ms[3]), {OrgID: "org_000001", Email: "zed@x.example"}, key(ms[0]), key(ms[0]),
			{OrgID: "org_000009", Email: "amy@x.example"}, key(ms[2])}
		got, err := tx.MembershipsByKey(h.ctx, keys)
		must(h.t, err)
		same(h.t, "MembershipsByKey (only those that exist)", got,
			map[store.MemberKey]domain.Membership{key(ms[3]): ms[3], key(ms[0]): ms[0], key(ms[2]): ms[2]})
		got, err = tx.MembershipsByKey(h.ctx, nil)
		must(h.t, err)
		same(h.t, "MembershipsByKey(nil)", len(got), 0)
		return nil
	})
	// A batch replaces some, adds one; a batch delete removes some, and
	// keys that are not there are no error.
	ms[1].Role = domain.RoleMember
	extra := member("org_000003", "cy@x.example", domain.RoleOwner, 6)
	h.update(func(tx store.Tx) error {
		must(h.t, tx.PutMemberships(h.ctx, []domain.Membership{extra, ms[1]}))
		must(h.t, tx.DeleteMemberships(h.ctx, nil))
		return tx.DeleteMemberships(h.ctx, []store.MemberKey{key(ms[2]), {OrgID: "org_000404", Email: "a@b.example"}, key(ms[4])})
	})
	h.view(func(tx store.Tx) error {
		want := []domain.Membership{ms[3], ms[1], ms[0], extra}
		same(h.t, "memberships after batch changes", collect(h.t, tx.Memberships(h.ctx, store.MemberFilter{})), want)
		got, err := tx.MembershipsByKey(h.ctx, []store.MemberKey{key(ms[2]), key(ms[4]), key(ms[1])})
		must(h.t, err)
		same(h.t, "MembershipsByKey after batch changes", got, map[store.MemberKey]domain.Membership{key(ms[1]): ms[1]})
		return nil
	})
}

func testMemberOrder(h *harness) {
	rng := h.rng()
	// Org ids of different lengths (one a prefix of another, past a
	// million), emails in mixed case and beyond ASCII: byte order decides.
	orgs := []string{"org_999999", "org_1000000", "org_1", "org_10", "org_1a", "Org_2"}
	emails := []string{"amy@x.example", "Zed@x.example", "a@x.example", "a@x.example.uk", "ba@x.example", "émile@x.example",
		"_under@x.example", "a.b@x.example", "b@x.example"}
	var all []domain.Membership
	for i, o := range orgs {
		for j, e := range emails {
			if (i+j)%4 != 3 {
				all = append(all, member(o, e, domain.RoleMember, i*10+j))
			}
		}
	}
	shuffled := slices.Clone(all)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	h.update(func(tx store.Tx) error {
		for _, m := range shuffled[:len(shuffled)/2] {
			must(h.t, tx.PutMembership(h.ctx, m))
		}
		return tx.PutMemberships(h.ctx, shuffled[len(shuffled)/2:])
	})
	byteOrder := func(ms []domain.Membership) []domain.Membership {
		out := slices.Clone(ms)
		slices.SortFunc(out, func(a, b domain.Membership) int {
			return cmp.Or(strings.Compare(a.OrgID, b.OrgID), strings.Compare(a.Email, b.Email))
		})
		return out
	}
	filter := func(f store.MemberFilter) []domain.Membership {
		var out []domain.Membership
		for _, m := range all {
			if (f.OrgID == "" || m.OrgID == f.OrgID) && (f.Email == "" || m.Email == f.Email) {
				out = append(out, m)
			}
		}
		return byteOrder(out)
	}
	h.view(func(tx store.Tx) error {
		filters := []store.MemberFilter{{}, {OrgID: "org_1"}, {OrgID: "org_10"}, {OrgID: "org_1000000"}, {OrgID: "org_"},
			{Email: "a@x.example"}, {Email: "b@x.example"}, {Email: "A@X.EXAMPLE"}, {OrgID: "org_1", Email: "a@x.example.uk"},
			{OrgID: "org_1", Email: "nobody@x.example"}, {OrgID: "org_404"}}
		for _, f := range filters {
			same(h.t, label("Memberships(%+v) in byte order of org id, then email", f),
				collect(h.t, tx.Memberships(h.ctx, f)), filter(f))
		}
		return nil
	})
	// The oracle agrees with the contract's wording: bytes, not a collation.
	ordered := filter(store.MemberFilter{})
	pos := func(org, email string) int {
		return slices.IndexFunc(ordered, func(m domain.Membership) bool { return m.OrgID == org && m.Email == email })
	}
	zed10, under10 := pos("org_10", "Zed@x.example"), pos("org_10", "_under@x.example")
	zedBig, zedSmall := pos("org_1000000", "Zed@x.example"), pos("org_999999", "Zed@x.example")
	if ordered[0].OrgID != "Org_2" || zed10 < 0 || zed10 > under10 || zedBig < 0 || zedBig > zedSmall {
		h.t.Fatalf("the suite's membership order is not byte order: %v", ordered)
	}
}

func testDeviceStates(h *harness) {
	k := func(org, dev string) store.DeviceKey { return store.DeviceKey{OrgID: org, Device: dev} }
	h.view(func(tx store.Tx) error {
		got, err := tx.DeviceStates(h.ctx, []store.DeviceKey{k("org_000001", "d1")})
		must(h.t, err)
		same(h.t, "DeviceStates of a fresh store", len(got), 0)
		got, err = tx.DeviceStates(h.ctx, nil)
		must(h.t, err)
		same(h.t, "DeviceStates(nil)", len(got), 0)
		return nil
	})
	first := map[store.DeviceKey]domain.DeviceState{
		k("org_000001", "d1"):        {State: "registered", At: at(1)},
		k("org_000002", "d1"):        {State: "onboarded", At: at(2)},
		k("org_000001", "Gerät ✓ 🍎"): {State: "provisioned", At: at(3)},
		k("org_000001", "D1"):        {State: "removed", At: at(4)},
		k("org_1000000", "d1"):       {State: "registered", At: at(-5)},
	}
	h.update(func(tx store.Tx) error {
		must(h.t, tx.PutDeviceStates(h.ctx, nil))
		return tx.PutDeviceStates(h.ctx, first)
	})
	h.view(func(tx store.Tx) error {
		keys := []store.DeviceKey{k("org_000001", "d1"), k("org_000001", "Gerät ✓ 🍎"), k("org_000001", "d2"),
			k("org_000003", "d1"), k("org_000002", "d1"), k("org_000001", "D1"), k("org_1000000", "d1"), k("org_000001", "d1")}
		got, err := tx.DeviceStates(h.ctx, keys)
		must(h.t, err)
		same(h.t, "DeviceStates (only stored keys; device names are exact)", got, first)
		return nil
	})
	// A batch overwrites some states and adds others; the rest stay.
	second := map[store.DeviceKey]domain.DeviceState{
		k("org_000001", "d1"): {State: "onboarded", At: at(10)},
		k("org_000002", "d2"): {State: "registered", At: at(11)},
	}
	h.update(func(tx store.Tx) error {
		must(h.t, tx.PutDeviceStates(h.ctx, second))
		got, err := tx.DeviceStates(h.ctx, []store.DeviceKey{k("org_000001", "d1")})
		must(h.t, err)
		same(h.t, "DeviceStates in the writing transaction", got, map[store.DeviceKey]domain.DeviceState{k("org_000001", "d1"): second[k("org_000001", "d1")]})
		return nil
	})
	want := map[store.DeviceKey]domain.DeviceState{}
	for key, s := range first {
		want[key] = s
	}
	for key, s := range second {
		want[key] = s
	}
	h.view(func(tx store.Tx) error {
		var keys []store.DeviceKey
		for key := range want {
			keys = append(keys, key)
		}
		got, err := tx.DeviceStates(h.ctx, keys)
		must(h.t, err)
		same(h.t, "DeviceStates after a second batch", got, want)
		return nil
	})
}

// A feed's device field is any JSON string, NUL included: a backend keeps
// it byte for byte.
func testDeviceNUL(h *harness) {
	states := map[store.DeviceKey]domain.DeviceState{
		{OrgID: "org_000001", Device: "a\x00b"}: {State: "registered", At: at(1)},
		{OrgID: "org_000001", Device: "a"}:      {State: "onboarded", At: at(2)},
		{OrgID: "org_000001", Device: "\x00"}:   {State: "provisioned", At: at(3)},
	}
	h.update(func(tx store.Tx) error { return tx.PutDeviceStates(h.ctx, states) })
	h.view(func(tx store.Tx) error {
		keys := []store.DeviceKey{{OrgID: "org_000001", Device: "a\x00b"}, {OrgID: "org_000001", Device: "a"},
			{OrgID: "org_000001", Device: "\x00"}, {OrgID: "org_000001", Device: "a\x00"}, {OrgID: "org_000001", Device: "b"}}
		got, err := tx.DeviceStates(h.ctx, keys)
		must(h.t, err)
		same(h.t, "DeviceStates of names with NUL", got, states)
		return nil
	})
}
