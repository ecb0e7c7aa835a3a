package storetest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/events"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// The events rules run through the console over the backend, fed an
// adversarial feed; a small oracle written from SPEC §5 says what every
// org's counters must be. Two backends that pass agree on the rules.

var feedTests = []test{
	{"AdversarialFeedMatchesTheOracle", testAdversarialFeed},
}

// feedOrg is the oracle's view of one org.
type feedOrg struct {
	id, ref                         string
	dataSources, integrations, msgs int
	subscribers, sessions           int
	ai                              bool
	last                            *time.Time
	days                            map[int32]int32
	members                         map[string]domain.Role
	devices                         map[string]domain.DeviceState
	live                            bool
}

type feedOracle struct {
	orgs    []*feedOrg
	claimed map[string]bool
}

// feedLine is one line of a feed and what the oracle expects of it.
type feedLine struct {
	text  string
	valid bool
}

// apply is SPEC §5 (and §15's device.state) for one valid, fresh event.
func (f *feedOrg) apply(typ events.Type, at time.Time, email, device, state string) {
	switch typ {
	case events.SessionStarted:
		f.sessions++
		if f.last == nil || at.After(*f.last) {
			f.last = ptr(at)
		}
		f.days[domain.DayOf(at)]++
	case events.KnowledgeAdded:
		f.dataSources++
	case events.KnowledgeRemoved:
		f.dataSources = max(0, f.dataSources-1)
	case events.IntegrationConnected:
		f.integrations++
	case events.IntegrationDisconnect:
		f.integrations = max(0, f.integrations-1)
	case events.AIInstructionsUpdated:
		f.ai = true
	case events.MessageSent:
		f.msgs++
	case events.ContactCreated:
		f.subscribers++
	case events.MemberAdded:
		if _, ok := f.members[email]; !ok {
			f.members[email] = domain.RoleMember
		}
	case events.MemberRemoved:
		if r, ok := f.members[email]; ok && r.CountsAsUser() {
			delete(f.members, email)
		}
	default:
		// A device counts once, in its latest state; an older event than
		// the state held changes nothing.
		if cur, ok := f.devices[device]; ok && cur.At.After(at) {
			return
		}
		if typ != events.DeviceStateChanged {
			state = strings.TrimPrefix(string(typ), "device.")
		}
		f.devices[device] = domain.DeviceState{State: state, At: at}
	}
}

// want is the org the oracle expects the store to hold (counters only).
func (f *feedOrg) want(stored domain.Org) domain.Org {
	o := stored
	o.DataSources, o.Integrations, o.Messages, o.Subscribers = f.dataSources, f.integrations, f.msgs, f.subscribers
	o.SessionsTotal, o.AITrained, o.LastActiveAt = f.sessions, f.ai, f.last
	o.Users = 0
	for _, r := range f.members {
		if r.CountsAsUser() {
			o.Users++
		}
	}
	o.Devices = domain.Devices{}
	for _, d := range f.devices {
		switch d.State {
		case "registered":
			o.Devices.Registered++
		case "onboarded":
			o.Devices.Onboarded++
		case "provisioned":
			o.Devices.Provisioned++
		case "removed":
			continue // removed devices never count
		}
		o.Devices.Total++ // any other state counts in the total only
	}
	o.SessionDays = nil
	for _, d := range slices.Sorted(mapsKeys(f.days)) {
		o.SessionDays = append(o.SessionDays, domain.DayCount{Day: d, Count: f.days[d]})
	}
	return o
}

func mapsKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

var feedTypes = []struct {
	typ    events.Type
	weight int
}{
	{events.SessionStarted, 4}, {events.KnowledgeAdded, 2}, {events.KnowledgeRemoved, 3},
	{events.IntegrationConnected, 2}, {events.IntegrationDisconnect, 3}, {events.AIInstructionsUpdated, 1},
	{events.MemberAdded, 4}, {events.MemberRemoved, 4}, {events.MessageSent, 2}, {events.ContactCreated, 2},
	{events.DeviceRegistered, 3}, {events.DeviceOnboarded, 3}, {events.DeviceProvisioned, 3}, {events.DeviceRemoved, 3},
	{events.DeviceStateChanged, 3},
}

func pickType(rng *rand.Rand) events.Type {
	total := 0
	for _, t := range feedTypes {
		total += t.weight
	}
	n := rng.IntN(total)
	for _, t := range feedTypes {
		if n < t.weight {
			return t.typ
		}
		n -= t.weight
	}
	panic("unreachable")
}

// feedMaker writes adversarial feeds: removals below zero, devices out of
// order, member churn (also of people the console added, and of the
// partner's own access), duplicate ids within a feed and across feeds.
type feedMaker struct {
	rng    *rand.Rand
	next   int
	used   []string // ids written in earlier lines and feeds
	emails []string
	// ascending makes ids as a feed numbered in time has them: each
	// larger than the last, none repeated (an import in org ranges).
	ascending bool
}

func (m *feedMaker) id() string {
	if m.ascending {
		m.next++
		return fmt.Sprintf("s%07d", m.next)
	}
	switch k := m.rng.IntN(10); {
	case k < 2 && len(m.used) > 0: // a duplicate, from this feed or an earlier one
		return m.used[m.rng.IntN(len(m.used))]
	case k == 2:
		return fmt.Sprintf("évt-%d-🍎", m.rng.IntN(1<<20))
	default:
		m.next++
		return fmt.Sprintf("e%06d", m.rng.IntN(1_000_000)*10+m.next%10)
	}
}

func (m *feedMaker) line(o *feedOracle, invalid string) feedLine {
	id := m.id()
	m.used = append(m.used, id)
	live := slices.DeleteFunc(slices.Clone(o.orgs), func(f *feedOrg) bool { return !f.live })
	f := live[m.rng.IntN(len(live))]
	key := f.id
	if f.ref != "" && m.rng.IntN(2) == 0 {
		key = []string{f.ref, strings.ToLower(f.ref), strings.ToUpper(f.ref)}[m.rng.IntN(3)]
	}
	typ := pickType(m.rng)
	at := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(m.rng.IntN(60*24*3600)) * time.Second)
	ev := map[string]string{"id": id, "org": key, "type": string(typ), "at": at.Format(time.RFC3339)}
	email := m.emails[m.rng.IntN(len(m.emails))]
	device := []string{"d1", "d2", "D1", "gerät-3"}[m.rng.IntN(4)]
	if typ == events.MemberAdded || typ == events.MemberRemoved {
		ev["email"] = []string{email, strings.ToUpper(email)}[m.rng.IntN(2)]
	}
	state := ""
	if typ == events.DeviceStateChanged {
		state = []string{"onboarding_in_progress", "wiping", "registered", "provisioned", "removed"}[m.rng.IntN(5)]
		ev["state"] = state
	}
	if typ.IsDevice() {
		ev["device"] = device
		if m.rng.IntN(6) == 0 { // the same instant as the state held
			ev["at"] = time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
			at = time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
		}
	}
	// A line whose id an earlier line imported is a duplicate whatever
	// its org names (the import doesn't look the org up); a bad type is
	// invalid whatever the id.
	valid := true
	switch invalid {
	case "unknown org":
		ev["org"], valid = "no-such-org", o.claimed[id]
	case "deleted org":
		ev["org"], valid = invalidKey(o), o.claimed[id]
	case "bad type":
		ev["type"], valid = "session.ended", false
	}
	text, _ := json.Marshal(ev)
	if valid && !o.claimed[id] {
		o.claimed[id] = true
		f.apply(typ, at, email, device, state)
	}
	return feedLine{text: string(text), valid: valid}
}

// invalidKey names an org that is not live: a deleted one, or the id of
// the admin org.
func invalidKey(o *feedOracle) string {
	for _, f := range o.orgs {
		if !f.live {
			return f.id
		}
	}
	return "org_000001"
}

func testAdversarialFeed(h *harness) {
	rng := h.rng()
	c := newConsole(h)
	oracle := &feedOracle{claimed: map[string]bool{}}
	for _, spec := range [][2]string{{"Bakery", "BAK-1"}, {"Café Zoë", "cafe-2"}, {"Dentist", ""}, {"Garage", "GAR-4"},
		{"Hotel", "hotel-5"}, {"Doomed", "DOOM-6"}} {
		v, err := c.CreateOrg(h.ctx, spec[0], spec[1])
		must(h.t, err)
		oracle.orgs = append(oracle.orgs, &feedOrg{id: v.ID, ref: spec[1], live: true, days: map[int32]int32{},
			members: map[string]domain.Role{}, devices: map[string]domain.DeviceState{}})
	}
	// People the console added: an owner through an invitation, and the
	// partner admin's own access (not a user, and not removable by events).
	inv, err := c.InviteUser(h.ctx, console.InviteParams{Email: "owner@bakery.example", Org: "BAK-1", Role: "owner"})
	must(h.t, err)
	_, err = c.AcceptInvite(h.ctx, inv.URL)
	must(h.t, err)
	oracle.orgs[0].members["owner@bakery.example"] = domain.RoleOwner
	_, err = c.OpenOrg(h.ctx, "cafe-2")
	must(h.t, err)
	oracle.orgs[1].members[consoleAdmin] = domain.RolePartner

	m := &feedMaker{rng: rng, emails: []string{"owner@bakery.example", consoleAdmin, "x@y.example", "zoë@café.example"}}
	imports := []struct {
		lines       int
		opts        console.EventImportOptions
		invalid     []string // kinds of invalid lines mixed in
		deleteAfter bool
		ascending   bool // ids as a feed numbered in time has them
	}{
		{400, console.EventImportOptions{BatchSize: 7, TxLines: 56}, nil, false, false},
		{300, console.EventImportOptions{BatchSize: 64}, nil, true, false},
		{300, console.EventImportOptions{SkipInvalid: true, BatchSize: 16, TxLines: 48}, []string{"unknown org", "deleted org", "bad type"}, false, false},
		{200, console.EventImportOptions{}, []string{"deleted org"}, false, false}, // all or nothing: refused
		{500, console.EventImportOptions{BatchSize: 3, TxLines: 9}, nil, false, false},
		// In org ranges of one org, in transactions of 30 lines.
		{400, console.EventImportOptions{OrgsPerTx: 1, BatchSize: 10, TxLines: 30}, nil, false, true},
	}
	var first string
	for n, imp := range imports {
		m.ascending = imp.ascending
		saved := snapshotOracle(oracle)
		var text strings.Builder
		want := console.EventImportResult{}
		for i := range imp.lines {
			kind := ""
			if len(imp.invalid) > 0 && i%11 == 5 {
				kind = imp.invalid[rng.IntN(len(imp.invalid))]
			}
			before := len(oracle.claimed)
			l := m.line(oracle, kind)
			text.WriteString(l.text + "\n")
			switch {
			case !l.valid:
				want.Skipped++
			case len(oracle.claimed) > before:
				want.Imported++
			default:
				want.Duplicates++
			}
		}
		if n == 0 {
			first = text.String()
		}
		refused := !imp.opts.SkipInvalid && want.Skipped > 0
		res, err := c.ImportEvents(h.ctx, strings.NewReader(text.String()), imp.opts)
		if refused {
			if !fail.Is(err, fail.Usage) {
				h.t.Fatalf("import %d with invalid lines and no SkipInvalid: %v, want a usage error", n, err)
			}
			restoreOracle(oracle, saved)
		} else {
			must(h.t, err)
			same(h.t, label("import %d: imported, duplicates, skipped", n),
				[]int{res.Imported, res.Duplicates, res.Skipped}, []int{want.Imported, want.Duplicates, want.Skipped})
		}
		checkFeedCounters(h, oracle, label("after import %d", n))
		if imp.deleteAfter {
			_, err := c.DeleteOrg(h.ctx, "DOOM-6")
			must(h.t, err)
			oracle.orgs[5].live = false
		}
	}
	// The first feed again: every valid line is a duplicate now.
	res, err := c.ImportEvents(h.ctx, strings.NewReader(first), console.EventImportOptions{SkipInvalid: true})
	must(h.t, err)
	if res.Imported != 0 || res.Duplicates+res.Skipped != imports[0].lines {
		h.t.Fatalf("the first feed again: %+v, want nothing imported", res)
	}
	checkFeedCounters(h, oracle, "after importing the first feed again")
	doctorClean(h)
}

// checkFeedCounters compares every org's counters with the oracle's.
func checkFeedCounters(h *harness, o *feedOracle, when string) {
	h.t.Helper()
	h.view(func(tx store.Tx) error {
		for _, f := range o.orgs {
			stored := getOrg(h.t, h.ctx, tx, f.id)
			same(h.t, label("%s: org %s (%s)", when, f.id, stored.Name), stored, f.want(stored))
			var members []string
			for m, err := range tx.Memberships(h.ctx, store.MemberFilter{OrgID: f.id}) {
				must(h.t, err)
				members = append(members, m.Email+"="+string(m.Role))
			}
			slices.Sort(members)
			var want []string
			for e, r := range f.members {
				want = append(want, e+"="+string(r))
			}
			slices.Sort(want)
			same(h.t, label("%s: memberships of %s", when, f.id), members, want)
			var keys []store.DeviceKey
			wantDevices := map[store.DeviceKey]domain.DeviceState{}
			for d, s := range f.devices {
				k := store.DeviceKey{OrgID: f.id, Device: d}
				keys = append(keys, k)
				wantDevices[k] = s
			}
			got, err := tx.DeviceStates(h.ctx, keys)
			must(h.t, err)
			same(h.t, label("%s: device states of %s", when, f.id), got, wantDevices)
		}
		return nil
	})
}

// snapshotOracle copies the oracle, for an import that must leave nothing.
func snapshotOracle(o *feedOracle) *feedOracle {
	cp := &feedOracle{claimed: map[string]bool{}}
	for id := range o.claimed {
		cp.claimed[id] = true
	}
	for _, f := range o.orgs {
		g := *f
		g.days, g.members, g.devices = map[int32]int32{}, map[string]domain.Role{}, map[string]domain.DeviceState{}
		for k, v := range f.days {
			g.days[k] = v
		}
		for k, v := range f.members {
			g.members[k] = v
		}
		for k, v := range f.devices {
			g.devices[k] = v
		}
		cp.orgs = append(cp.orgs, &g)
	}
	return cp
}

func restoreOracle(o, saved *feedOracle) {
	o.claimed = saved.claimed
	for i, f := range saved.orgs {
		*o.orgs[i] = *f
	}
}
