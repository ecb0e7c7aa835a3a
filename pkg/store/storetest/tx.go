package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var txTests = []test{
	{"FailedUpdateLeavesNothing", testFailedUpdate},
	{"FailedUpdateAfterResetLeavesNothing", testFailedReset},
	{"ViewCannotWrite", testViewCannotWrite},
	{"ViewIsASnapshotWhileAnUpdateCommits", testViewSnapshot},
	{"ViewDoesNotWaitForAnOpenUpdate", testViewDoesNotWait},
	{"StoppingIterationEarlyReleases", testEarlyBreak},
	{"ReadsWhileIterating", testNestedReads},
	{"UpdatesAreSerialized", testSerializedUpdates},
	{"DoneContextFailsAndWritesNothing", testDoneContext},
	{"ListedOrgsBelongToTheCaller", testYieldedOrgs},
}

func testFailedUpdate(h *harness) {
	fillStore(h)
	before, claims, seqs := probeAll(h)
	err := h.st.Update(h.ctx, func(tx store.Tx) error {
		touchEverything(h, tx)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		h.t.Fatalf("Update returned %v, want the function's error", err)
	}
	after, claimsAfter, seqsAfter := probeAll(h)
	same(h.t, "records after a failed Update", after, before)
	same(h.t, "claimed events after a failed Update", claimsAfter, claims)
	same(h.t, "sequences after a failed Update", seqsAfter, seqs)
	// The same writes committed do change all of that: the check above
	// is not vacuous.
	h.update(func(tx store.Tx) error { touchEverything(h, tx); return nil })
	changed, claimsChanged, seqsChanged := probeAll(h)
	differs(h, before, changed)
	if reflect.DeepEqual(claims, claimsChanged) || reflect.DeepEqual(seqs, seqsChanged) {
		h.t.Fatalf("committed writes changed no claim or sequence: %v %v", claimsChanged, seqsChanged)
	}
	checkStorage(h)
}

// differs fails unless every field of the snapshot changed.
func differs(h *harness, before, after snapshot) {
	h.t.Helper()
	b, a := reflect.ValueOf(before), reflect.ValueOf(after)
	for i := range b.NumField() {
		if b.Type().Field(i).Name == "HasPartner" {
			continue
		}
		if reflect.DeepEqual(canon(b.Field(i)).Interface(), canon(a.Field(i)).Interface()) {
			h.t.Fatalf("the suite's writes left %s unchanged: the failed-Update check would be vacuous", b.Type().Field(i).Name)
		}
	}
}

func testFailedReset(h *harness) {
	fillStore(h)
	before, claims, seqs := probeAll(h)
	h.rolledBack(func(tx store.Tx) error {
		touchEverything(h, tx)
		must(h.t, tx.Reset(h.ctx))
		putNewOrg(h.t, h.ctx, tx, "Bakery", "BAK-1")
		must(h.t, tx.ClaimEvents(h.ctx, probeEvents, make([]bool, len(probeEvents))))
		return tx.AppendAudit(h.ctx, auditEntry(3, "org_000001", "admin@acme.example"))
	})
	after, claimsAfter, seqsAfter := probeAll(h)
	same(h.t, "records after a failed Update with a Reset", after, before)
	same(h.t, "claimed events after a failed Update with a Reset", claimsAfter, claims)
	same(h.t, "sequences after a failed Update with a Reset", seqsAfter, seqs)
}

// writes are one call of each write method, for testViewCannotWrite.
var writes = []struct {
	name string
	fn   func(ctx context.Context, tx store.Tx) error
}{
	{"PutPartner", func(ctx context.Context, tx store.Tx) error { return tx.PutPartner(ctx, domain.Partner{ID: "prt_2"}) }},
	{"SetKind", func(ctx context.Context, tx store.Tx) error { return tx.SetKind(ctx, domain.KindDemo) }},
	{"PutSetting", func(ctx context.Context, tx store.Tx) error { return tx.PutSetting(ctx, "new_setting", "x") }},
	{"PutSetting(\"\")", func(ctx context.Context, tx store.Tx) error { return tx.PutSetting(ctx, "login_methods", "") }},
	{"NextSeq", func(ctx context.Context, tx store.Tx) error { _, err := tx.NextSeq(ctx, "org"); return err }},
	{"Reset", func(ctx context.Context, tx store.Tx) error { return tx.Reset(ctx) }},
	{"PutOrg", func(ctx context.Context, tx store.Tx) error {
		return tx.PutOrg(ctx, domain.Org{ID: "org_000009", Seq: 9, Name: "New Org", RefID: "NEW-1"})
	}},
	{"PutOrg(rename)", func(ctx context.Context, tx store.Tx) error {
		o, err := tx.Org(ctx, "org_000002")
		if err != nil {
			return fmt.Errorf("storetest: %w", err)
		}
		o.Name = "Renamed"
		return tx.PutOrg(ctx, o)
	}},
	{"PutOrgCounters", func(ctx context.Context, tx store.Tx) error {
		o, err := tx.Org(ctx, "org_000002")
		if err != nil {
			return fmt.Errorf("storetest: %w", err)
		}
		o.Messages++
		return tx.PutOrgCounters(ctx, []*domain.Org{&o})
	}},
	{"PutMembership", func(ctx context.Context, tx store.Tx) error {
		return tx.PutMembership(ctx, member("org_000002", "new@bakery.example", domain.RoleMember, 1))
	}},
	{"PutMemberships", func(ctx context.Context, tx store.Tx) error {
		return tx.PutMemberships(ctx, []domain.Membership{member("org_000002", "new@bakery.example", domain.RoleMember, 1)})
	}},
	{"DeleteMembership", func(ctx context.Context, tx store.Tx) error {
		return tx.DeleteMembership(ctx, "org_000002", "ann@bakery.example")
	}},
	{"DeleteMemberships", func(ctx context.Context, tx store.Tx) error {
		return tx.DeleteMemberships(ctx, []store.MemberKey{{OrgID: "org_000002", Email: "ann@bakery.example"}})
	}},
	{"PutDeviceStates", func(ctx context.Context, tx store.Tx) error {
		return tx.PutDeviceStates(ctx, map[store.DeviceKey]domain.DeviceState{probeDevices[1]: {State: "onboarded", At: at(1)}})
	}},
	{"ClaimEvents", func(ctx context.Context, tx store.Tx) error {
		return tx.ClaimEvents(ctx, []string{"evt_new"}, make([]bool, 1))
	}},
	{"AppendAudit", func(ctx context.Context, tx store.Tx) error {
		return tx.AppendAudit(ctx, auditEntry(9, "org_000002", "admin@acme.example"))
	}},
	{"PutLink", func(ctx context.Context, tx store.Tx) error {
		return tx.PutLink(ctx, domain.Link{ID: "lnk_000009", Seq: 9, OrgID: "org_000002", TokenHash: hashOf("new")})
	}},
	{"PutInvite", func(ctx context.Context, tx store.Tx) error {
		return tx.PutInvite(ctx, domain.Invite{ID: "inv_000009", Seq: 9, OrgID: "org_000002", TokenHash: hashOf("new")})
	}},
	{"PutLicense", func(ctx context.Context, tx store.Tx) error {
		return tx.PutLicense(ctx, domain.License{ID: "lic_000009", Seq: 9, OrgID: "org_000002"})
	}},
}

func testViewCannotWrite(h *harness) {
	fillStore(h)
	before, claims, seqs := probeAll(h)
	for _, w := range writes {
		var werr error
		// Each write in a View of its own: after a refused write a
		// backend may refuse the rest of the transaction too.
		_ = h.st.View(h.ctx, func(tx store.Tx) error {
			werr = w.fn(h.ctx, tx)
			return nil
		})
		if werr == nil {
			h.t.Errorf("%s in a View returned no error", w.name)
		}
	}
	after, claimsAfter, seqsAfter := probeAll(h)
	same(h.t, "records after writes in Views", after, before)
	same(h.t, "claimed events after writes in Views", claimsAfter, claims)
	same(h.t, "sequences after writes in Views", seqsAfter, seqs)
}

// touchErr is a few writes that report errors instead of failing the test,
// for transactions on other goroutines.
func touchErr(ctx context.Context, tx store.Tx) error {
	o, err := tx.Org(ctx, "org_000002")
	if err != nil {
		return err
	}
	o.Messages += 10
	n, err := tx.NextSeq(ctx, "org")
	if err != nil {
		return err
	}
	newOrg := domain.Org{ID: orgID(n), Seq: n, Name: "New Org", RefID: "NEW-1", CreatedAt: at(50)}
	l, err := tx.LinkByTokenHash(ctx, hashOf("link-1"))
	if err != nil {
		return err
	}
	l.RedeemedAt = ptr(at(51))
	return errors.Join(
		tx.PutPartner(ctx, domain.Partner{ID: "prt_2", Name: "Other"}),
		tx.PutSetting(ctx, "login_methods", "google"),
		tx.PutOrgCounters(ctx, []*domain.Org{&o}),
		tx.PutOrg(ctx, newOrg),
		tx.PutMembership(ctx, member("org_000002", "new@bakery.example", domain.RoleMember, 52)),
		tx.AppendAudit(ctx, auditEntry(53, "org_000002", "admin@acme.example")),
		tx.PutLink(ctx, l),
		tx.ClaimEvents(ctx, []string{"evt_new"}, make([]bool, 1)),
	)
}

// waitLimit bounds how long a View waits for a concurrent Update to commit
// before it goes on: a backend may make writers wait for readers.
const waitLimit = 10 * time.Second

func testViewSnapshot(h *harness) {
	fillStore(h)
	writer := make(chan error, 1)
	committed := false
	var before snapshot
	h.view(func(tx store.Tx) error {
		before = takeSnapshot(h, tx)
		go func() { writer <- h.st.Update(h.ctx, func(tx store.Tx) error { return touchErr(h.ctx, tx) }) }()
		select {
		case err := <-writer:
			must(h.t, err)
			committed = true
		case <-time.After(waitLimit):
			h.t.Logf("the Update did not commit while a View was open (writers wait for readers here): checking the snapshot without a concurrent commit")
		}
		same(h.t, "what a View reads after an Update committed during it", takeSnapshot(h, tx), before)
		return nil
	})
	if !committed {
		within(h.t, "the Update after the View", func() { committed = <-writer == nil })
		if !committed {
			h.t.Fatal("the concurrent Update failed")
		}
	}
	h.view(func(tx store.Tx) error {
		after := takeSnapshot(h, tx)
		if reflect.DeepEqual(after, before) {
			h.t.Fatal("a View after the Update committed reads what was there before it")
		}
		if !after.HasPartner || after.Partner.ID != "prt_2" || after.Count != before.Count+1 {
			h.t.Fatalf("a View after the Update sees partner %q and %d orgs", after.Partner.ID, after.Count)
		}
		return nil
	})
}

func testViewDoesNotWait(h *harness) {
	fillStore(h)
	inside, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	writer := make(chan error, 1)
	go func() {
		writer <- h.st.Update(h.ctx, func(tx store.Tx) error {
			if err := tx.PutSetting(h.ctx, "login_methods", "google"); err != nil {
				return err
			}
			once.Do(func() { close(inside) })
			<-release
			return nil
		})
	}()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	within(h.t, "the Update to start", func() { <-inside })
	var got string
	var verr error
	within(h.t, "a View while an Update is open", func() {
		verr = h.st.View(h.ctx, func(tx store.Tx) error {
			var err error
			got, err = tx.Setting(h.ctx, "login_methods")
			return err
		})
	})
	must(h.t, verr)
	same(h.t, "a setting read while an Update that changes it is open", got, "password")
	close(release)
	var werr error
	within(h.t, "the Update to commit", func() { werr = <-writer })
	must(h.t, werr)
	h.view(func(tx store.Tx) error {
		v, err := tx.Setting(h.ctx, "login_methods")
		must(h.t, err)
		same(h.t, "the setting after the Update", v, "google")
		return nil
	})
}

// firstOfEach starts every listing and stops after its first item.
func firstOfEach(h *harness, tx store.Tx) int {
	h.t.Helper()
	n := 0
	for _, q := range []store.OrgQuery{{}, {Order: store.OrderName}, {All: true}, {Search: "a"}} {
		for _, err := range tx.Orgs(h.ctx, q) {
			must(h.t, err)
			n++
			break
		}
	}
	for _, err := range tx.Memberships(h.ctx, store.MemberFilter{}) {
		must(h.t, err)
		n++
		break
	}
	for _, err := range tx.AuditEntries(h.ctx, store.AuditFilter{}) {
		must(h.t, err)
		n++
		break
	}
	for _, org := range []string{"", "org_000002"} {
		for _, err := range tx.Links(h.ctx, org) {
			must(h.t, err)
			n++
			break
		}
		for _, err := range tx.Invites(h.ctx, org) {
			must(h.t, err)
			n++
			break
		}
		for _, err := range tx.Licenses(h.ctx, org) {
			must(h.t, err)
			n++
			break
		}
	}
	return n
}

const listings = 12 // how many listings firstOfEach starts

func testEarlyBreak(h *harness) {
	fillStore(h)
	h.update(func(tx store.Tx) error {
		putNewOrg(h.t, h.ctx, tx, "Another", "ANOTHER-1") // two of each kind of org listing
		newLink(h.t, h.ctx, tx, "org_000002", hashOf("link-2"))
		return nil
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "listings stopped after their first item, in a View", firstOfEach(h, tx), listings)
		return nil
	})
	var err error
	within(h.t, "an Update after a View that stopped listings early", func() {
		err = h.st.Update(h.ctx, func(tx store.Tx) error { return tx.PutSetting(h.ctx, "after", "view") })
	})
	must(h.t, err)
	// In an Update: stop early, then go on reading and writing in the same
	// transaction.
	h.update(func(tx store.Tx) error {
		same(h.t, "listings stopped after their first item, in an Update", firstOfEach(h, tx), listings)
		putNewOrg(h.t, h.ctx, tx, "After Break", "AB-1")
		must(h.t, tx.PutSetting(h.ctx, "after", "update"))
		same(h.t, "listings again, after writes", firstOfEach(h, tx), listings)
		id, err := tx.OrgIDByRef(h.ctx, "ab-1")
		must(h.t, err)
		same(h.t, "OrgIDByRef after early stops", id, "org_000006")
		return nil
	})
	within(h.t, "an Update after an Update that stopped listings early", func() {
		err = h.st.Update(h.ctx, func(tx store.Tx) error { return tx.PutSetting(h.ctx, "after", "again") })
	})
	must(h.t, err)
	h.view(func(tx store.Tx) error {
		v, err := tx.Setting(h.ctx, "after")
		must(h.t, err)
		same(h.t, "setting", v, "again")
		return nil
	})
}

// testNestedReads reads, lists and looks up while a listing is being
// consumed, as the console does (each org's licenses while listing orgs).
func testNestedReads(h *harness) {
	fillStore(h)
	h.update(func(tx store.Tx) error {
		for i := range 5 {
			o := putNewOrg(h.t, h.ctx, tx, fmt.Sprintf("Org %d", i), fmt.Sprintf("R-%d", i))
			must(h.t, tx.PutMembership(h.ctx, member(o.ID, "ann@x.example", domain.RoleMember, i)))
			newLicense(h.t, h.ctx, tx, o.ID)
			newLink(h.t, h.ctx, tx, o.ID, hashOf(fmt.Sprint("nested", i)))
		}
		return nil
	})
	nested := func(tx store.Tx) {
		h.t.Helper()
		orgs := collect(h.t, tx.Orgs(h.ctx, store.OrgQuery{Order: store.OrderName}))
		i := 0
		for o, err := range tx.Orgs(h.ctx, store.OrgQuery{Order: store.OrderName}) {
			must(h.t, err)
			same(h.t, "an org listed during nested reads", *o, *orgs[i])
			i++
			same(h.t, "Org during a listing", getOrg(h.t, h.ctx, tx, o.ID), *o)
			if o.RefID != "" {
				id, err := tx.OrgIDByRef(h.ctx, o.RefID)
				must(h.t, err)
				same(h.t, "OrgIDByRef during a listing", id, o.ID)
			}
			same(h.t, "Licenses during a listing", collect(h.t, tx.Licenses(h.ctx, o.ID)), collectLicensesOf(h, tx, o.ID))
			for m, err := range tx.Memberships(h.ctx, store.MemberFilter{OrgID: o.ID}) {
				must(h.t, err)
				for l, err := range tx.Links(h.ctx, m.OrgID) {
					must(h.t, err)
					got, err := tx.LinkByTokenHash(h.ctx, l.TokenHash)
					must(h.t, err)
					same(h.t, "LinkByTokenHash during two nested listings", got, l)
				}
			}
			n, err := tx.CountOrgs(h.ctx)
			must(h.t, err)
			same(h.t, "CountOrgs during a listing", n, len(orgs))
		}
		same(h.t, "orgs listed with nested reads", i, len(orgs))
	}
	h.view(func(tx store.Tx) error { nested(tx); return nil })
	h.update(func(tx store.Tx) error { nested(tx); return nil })
}

func collectLicensesOf(h *harness, tx store.Tx, org string) []domain.License {
	var out []domain.License
	for _, l := range collect(h.t, tx.Licenses(h.ctx, "")) {
		if l.OrgID == org {
			out = append(out, l)
		}
	}
	return out
}

// testSerializedUpdates: read–modify–write from many goroutines loses no
// update, because no write transaction sees a concurrent write.
func testSerializedUpdates(h *harness) {
	const workers, each = 24, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				errs <- h.st.Update(h.ctx, func(tx store.Tx) error {
					v, err := tx.Setting(h.ctx, "counter")
					if err != nil {
						return err
					}
					n, _ := strconv.Atoi(v)
					runtime.Gosched() // give another writer a chance to interleave
					return tx.PutSetting(h.ctx, "counter", strconv.Itoa(n+1))
				})
			}
		}()
	}
	within(h.t, "the concurrent Updates", wg.Wait)
	close(errs)
	for err := range errs {
		must(h.t, err)
	}
	h.view(func(tx store.Tx) error {
		v, err := tx.Setting(h.ctx, "counter")
		must(h.t, err)
		same(h.t, "a counter incremented by concurrent Updates", v, strconv.Itoa(workers*each))
		return nil
	})
}

func testDoneContext(h *harness) {
	fillStore(h)
	before, claims, seqs := probeAll(h)
	ctx, cancel := context.WithCancel(h.ctx)
	cancel()
	err := h.st.Update(ctx, func(tx store.Tx) error { return touchErr(ctx, tx) })
	if !errors.Is(err, context.Canceled) {
		h.t.Fatalf("Update with a canceled context returned %v, want an error wrapping context.Canceled", err)
	}
	err = h.st.View(ctx, func(tx store.Tx) error { _, err := tx.Partner(ctx); return err })
	if !errors.Is(err, context.Canceled) {
		h.t.Fatalf("View with a canceled context returned %v, want an error wrapping context.Canceled", err)
	}
	after, claimsAfter, seqsAfter := probeAll(h)
	same(h.t, "records after an Update with a canceled context", after, before)
	same(h.t, "claims after an Update with a canceled context", claimsAfter, claims)
	same(h.t, "sequences after an Update with a canceled context", seqsAfter, seqs)
}

// testYieldedOrgs: the orgs a listing yields are the caller's to keep and
// change; they share nothing with each other or the store.
func testYieldedOrgs(h *harness) {
	var want []domain.Org
	h.update(func(tx store.Tx) error {
		want = want[:0]
		for i := range 4 {
			o := putNewOrg(h.t, h.ctx, tx, fmt.Sprintf("Org %d", i), "")
			o = counterOrg(o, i)
			must(h.t, tx.PutOrg(h.ctx, o))
			want = append(want, o)
		}
		return nil
	})
	var kept []*domain.Org
	h.view(func(tx store.Tx) error {
		kept = collect(h.t, tx.Orgs(h.ctx, store.OrgQuery{Order: store.OrderName}))
		for i, o := range kept {
			o.Name = "changed"
			if len(o.SessionDays) > 0 {
				o.SessionDays[0].Count = -1
			}
			same(h.t, "an org read after a listed one was changed", getOrg(h.t, h.ctx, tx, want[i].ID), want[i])
		}
		return nil
	})
	for i, o := range kept {
		o.Name = want[i].Name
		if len(o.SessionDays) > 0 {
			o.SessionDays[0].Count = want[i].SessionDays[0].Count
		}
		same(h.t, "a listed org kept after its transaction", *o, want[i])
	}
}
