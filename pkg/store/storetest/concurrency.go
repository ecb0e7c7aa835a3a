package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Check-then-write inside one Update can never succeed twice: of many
// goroutines racing for one thing, exactly one wins and the others see it
// taken. Run these under -race.

var concurrencyTests = []test{
	{"OneRedeemOfALink", testRaceRedeem},
	{"OneAcceptOfAnInvite", testRaceAccept},
	{"OneClaimOfARef", testRaceRef},
	{"NextSeqNeverRepeats", testRaceSeq},
	{"ConsoleRedeemLink", testRaceConsoleRedeem},
	{"ConsoleAcceptInvite", testRaceConsoleAccept},
	{"ConsoleCreateOrgWithOneRef", testRaceConsoleRef},
}

const racers = 24

// race runs fn on racers goroutines released together and returns what
// each reported.
func race[T any](h *harness, fn func(i int) (T, error)) []T {
	h.t.Helper()
	out := make([]T, racers)
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i], errs[i] = fn(i)
		}()
	}
	close(start)
	within(h.t, "the racing goroutines", wg.Wait)
	for i, err := range errs {
		if err != nil {
			h.t.Fatalf("racer %d: %v", i, err)
		}
	}
	return out
}

// oneWinner fails unless exactly one of won is true; it returns its index.
func oneWinner(h *harness, what string, won []bool) int {
	h.t.Helper()
	winner, n := -1, 0
	for i, w := range won {
		if w {
			winner, n = i, n+1
		}
	}
	if n != 1 {
		h.t.Fatalf("%s: %d of %d racers won, want exactly 1", what, n, len(won))
	}
	return winner
}

func testRaceRedeem(h *harness) {
	fillStore(h)
	hash := hashOf("link-1")
	won := race(h, func(i int) (bool, error) {
		var won bool
		err := h.st.Update(h.ctx, func(tx store.Tx) error {
			won = false // fn may run again
			l, err := tx.LinkByTokenHash(h.ctx, hash)
			if err != nil {
				return err
			}
			if l.RedeemedAt != nil {
				return nil // seen redeemed: lost
			}
			l.RedeemedAt = ptr(at(100 + i))
			if err := tx.PutLink(h.ctx, l); err != nil {
				return err
			}
			won = true
			return tx.AppendAudit(h.ctx, auditEntry(100+i, l.OrgID, l.Email))
		})
		return won, err
	})
	winner := oneWinner(h, "redeem one link", won)
	h.view(func(tx store.Tx) error {
		l, err := tx.LinkByTokenHash(h.ctx, hash)
		must(h.t, err)
		if l.RedeemedAt == nil || !l.RedeemedAt.Equal(at(100+winner)) {
			h.t.Fatalf("the link was redeemed at %v, want the winner's %v", l.RedeemedAt, at(100+winner))
		}
		same(h.t, "audit entries (one from setup, one from the winner)", len(collect(h.t, tx.AuditEntries(h.ctx, store.AuditFilter{}))), 2)
		return nil
	})
}

func testRaceAccept(h *harness) {
	fillStore(h)
	hash := hashOf("inv-1")
	var usersBefore int
	h.view(func(tx store.Tx) error { usersBefore = getOrg(h.t, h.ctx, tx, "org_000002").Users; return nil })
	won := race(h, func(i int) (bool, error) {
		var won bool
		err := h.st.Update(h.ctx, func(tx store.Tx) error {
			won = false
			inv, err := tx.InviteByTokenHash(h.ctx, hash)
			if err != nil {
				return err
			}
			if inv.AcceptedAt != nil {
				return nil
			}
			o, err := tx.Org(h.ctx, inv.OrgID)
			if err != nil {
				return err
			}
			o.Users++
			inv.AcceptedAt = ptr(at(200 + i))
			if err := errors.Join(tx.PutOrg(h.ctx, o), tx.PutInvite(h.ctx, inv),
				tx.PutMembership(h.ctx, member(inv.OrgID, inv.Email, inv.Role, 200+i))); err != nil {
				return err
			}
			won = true
			return nil
		})
		return won, err
	})
	winner := oneWinner(h, "accept one invite", won)
	h.view(func(tx store.Tx) error {
		inv, err := tx.InviteByTokenHash(h.ctx, hash)
		must(h.t, err)
		if inv.AcceptedAt == nil || !inv.AcceptedAt.Equal(at(200+winner)) {
			h.t.Fatalf("the invite was accepted at %v, want the winner's %v", inv.AcceptedAt, at(200+winner))
		}
		same(h.t, "users after one accept", getOrg(h.t, h.ctx, tx, inv.OrgID).Users, usersBefore+1)
		m, err := tx.Membership(h.ctx, inv.OrgID, inv.Email)
		must(h.t, err)
		same(h.t, "the membership the accept made", m.JoinedAt, at(200+winner))
		return nil
	})
}

func testRaceRef(h *harness) {
	fillStore(h)
	var countBefore int
	h.view(func(tx store.Tx) error {
		var err error
		countBefore, err = tx.CountOrgs(h.ctx)
		return err
	})
	// Each racer spells the ref its own way: they all fold alike.
	spell := func(i int) string {
		return []string{"CLAIMED-REF", "claimed-ref", "Claimed-Ref", "cLAIMED-rEF"}[i%4]
	}
	ids := race(h, func(i int) (string, error) {
		var id string
		err := h.st.Update(h.ctx, func(tx store.Tx) error {
			id = ""
			_, err := tx.OrgIDByRef(h.ctx, spell(i))
			if err == nil {
				return nil // taken
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			n, err := tx.NextSeq(h.ctx, "org")
			if err != nil {
				return err
			}
			o := domain.Org{ID: orgID(n), Seq: n, Name: fmt.Sprintf("Racer %d", i), RefID: spell(i), CreatedAt: at(300 + i)}
			if err := tx.PutOrg(h.ctx, o); err != nil {
				return err
			}
			id = o.ID
			return nil
		})
		return id, err
	})
	won := make([]bool, len(ids))
	for i, id := range ids {
		won[i] = id != ""
	}
	winner := oneWinner(h, "claim one ref", won)
	h.view(func(tx store.Tx) error {
		id, err := tx.OrgIDByRef(h.ctx, "CLAIMED-ref")
		must(h.t, err)
		same(h.t, "the org with the claimed ref", id, ids[winner])
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs after the race", n, countBefore+1)
		return nil
	})
	checkStorage(h)
}

func testRaceSeq(h *harness) {
	got := race(h, func(int) (uint64, error) {
		var n uint64
		err := h.st.Update(h.ctx, func(tx store.Tx) error {
			var err error
			n, err = tx.NextSeq(h.ctx, "race")
			return err
		})
		return n, err
	})
	slices.Sort(got)
	want := make([]uint64, racers)
	for i := range want {
		want[i] = uint64(i + 1)
	}
	same(h.t, "NextSeq from concurrent Updates", got, want)
}

// newConsole initialises the store through the console, acting as its admin.
func newConsole(h *harness) *console.Console {
	h.t.Helper()
	c := console.New(h.st, console.Options{Clock: clock.Fixed(base), As: consoleAdmin})
	_, err := c.Init(h.ctx, console.InitParams{PartnerName: "Acme Partners", SupportEmail: "help@acme.example",
		AdminOrgName: "Acme HQ", AdminEmail: consoleAdmin, LoginBaseURL: "https://login.acme.example/magic"})
	must(h.t, err)
	return c
}

const consoleAdmin = "admin@acme.example"

// conflicts checks that every racer but the winner got a Conflict.
func conflicts(h *harness, what string, errs []error) {
	h.t.Helper()
	won := make([]bool, len(errs))
	for i, err := range errs {
		won[i] = err == nil
		if err != nil && !fail.Is(err, fail.Conflict) {
			h.t.Fatalf("%s: racer %d got %v, want a conflict", what, i, err)
		}
	}
	oneWinner(h, what, won)
}

// raceErrs is race for calls whose error is the outcome.
func raceErrs(h *harness, fn func(i int) error) []error {
	return race(h, func(i int) (error, error) { return fn(i), nil })
}

func testRaceConsoleRedeem(h *harness) {
	c := newConsole(h)
	_, err := c.CreateOrg(h.ctx, "Bakery", "BAK-1")
	must(h.t, err)
	link, err := c.CreateLink(h.ctx, console.LinkParams{Org: "BAK-1", Email: "owner@bakery.example", TTL: 5 * time.Minute})
	must(h.t, err)
	errs := raceErrs(h, func(int) error { _, err := c.RedeemLink(h.ctx, link.URL); return err })
	conflicts(h, "console: redeem one link", errs)
	links, err := c.Links(h.ctx, console.LinkQuery{})
	must(h.t, err)
	if len(links) != 1 || links[0].State != domain.LinkUsed {
		h.t.Fatalf("links after the race: %+v", links)
	}
	audit, err := c.Audit(h.ctx, console.AuditQuery{})
	must(h.t, err)
	redeemed := 0
	for _, e := range audit {
		if e.Action == "link.redeemed" {
			redeemed++
		}
	}
	same(h.t, "link.redeemed audit entries", redeemed, 1)
}

func testRaceConsoleAccept(h *harness) {
	c := newConsole(h)
	_, err := c.CreateOrg(h.ctx, "Bakery", "BAK-1")
	must(h.t, err)
	inv, err := c.InviteUser(h.ctx, console.InviteParams{Email: "new@bakery.example", Org: "BAK-1", Role: "owner"})
	must(h.t, err)
	errs := raceErrs(h, func(int) error { _, err := c.AcceptInvite(h.ctx, inv.URL); return err })
	conflicts(h, "console: accept one invite", errs)
	org, err := c.ShowOrg(h.ctx, "BAK-1")
	must(h.t, err)
	same(h.t, "users after the race", org.Users, 1)
	doctorClean(h)
}

func testRaceConsoleRef(h *harness) {
	c := newConsole(h)
	errs := raceErrs(h, func(i int) error {
		ref := []string{"SHARED-1", "shared-1", "Shared-1"}[i%3]
		_, err := c.CreateOrg(h.ctx, fmt.Sprintf("Racer %d", i), ref)
		return err
	})
	conflicts(h, "console: create orgs with one ref", errs)
	page, err := c.ListOrgs(h.ctx, console.OrgQuery{})
	must(h.t, err)
	if len(page.Orgs) != 1 || !strings.EqualFold(page.Orgs[0].RefID, "shared-1") || page.Total != 1 {
		h.t.Fatalf("orgs after the race: %d listed, %d total", len(page.Orgs), page.Total)
	}
	doctorClean(h)
}
