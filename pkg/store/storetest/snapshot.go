package storetest

import (
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// snapshot is everything a transaction can read about the records that
// fillStore makes and touchEverything changes: equal snapshots mean no
// write got through.
type snapshot struct {
	Partner      domain.Partner
	HasPartner   bool
	Kind         domain.StoreKind
	Settings     map[string]string
	Orgs         []domain.Org // All, by id
	NameOrder    []string
	Count        int
	Refs         map[string]string
	Names        map[string][]string
	Live         []string
	Members      []domain.Membership
	Devices      map[store.DeviceKey]domain.DeviceState
	Audit        []domain.AuditEntry
	Links        []domain.Link
	Invites      []domain.Invite
	Licenses     []domain.License
	OrgLicenses  []domain.License
	LinkHashes   map[string]string
	InviteHashes map[string]string
	Scopes       []domain.Scope
}

// Probes: the keys a snapshot looks up.
var (
	probeSettings = []string{"login_methods", "brand", "new_setting"}
	probeRefs     = []string{"BAK-1", "CAFE-2", "NEW-1", "bak-2"}
	probeNames    = []string{"Bakery", "Café", "New Org", "Renamed"}
	probeDevices  = []store.DeviceKey{{OrgID: "org_000002", Device: "d1"}, {OrgID: "org_000002", Device: "d2"}, {OrgID: "org_000003", Device: "d1"}}
	probeHashes   = []string{hashOf("link-1"), hashOf("link-2"), hashOf("inv-1"), hashOf("inv-2"), hashOf("new")}
	probeEvents   = []string{"evt_1", "evt_2", "evt_3", "evt_new"}
	probeSeqs     = []string{"org", "link", "invite", "license", "other"}
)

func takeSnapshot(h *harness, tx store.Tx) snapshot {
	h.t.Helper()
	ctx, t := h.ctx, h.t
	var s snapshot
	p, err := tx.Partner(ctx)
	if err == nil {
		s.Partner, s.HasPartner = p, true
	}
	s.Kind, err = tx.Kind(ctx)
	must(t, err)
	s.Settings = map[string]string{}
	for _, k := range probeSettings {
		s.Settings[k], err = tx.Setting(ctx, k)
		must(t, err)
	}
	for _, o := range collect(t, tx.Orgs(ctx, store.OrgQuery{All: true})) {
		s.Orgs = append(s.Orgs, *o)
	}
	slices.SortFunc(s.Orgs, func(a, b domain.Org) int { return strings.Compare(a.ID, b.ID) })
	s.NameOrder = collectOrgs(t, tx, ctx, store.OrgQuery{Order: store.OrderName})
	s.Count, err = tx.CountOrgs(ctx)
	must(t, err)
	s.Refs, s.Names = map[string]string{}, map[string][]string{}
	for _, r := range probeRefs {
		s.Refs[r], _ = tx.OrgIDByRef(ctx, r)
	}
	for _, n := range probeNames {
		s.Names[n], err = tx.OrgIDsByName(ctx, n)
		must(t, err)
	}
	s.Live, err = tx.LiveOrgIDs(ctx, append(slices.Clone(probeRefs), "org_000002", "org_000003", "org_000004"))
	must(t, err)
	s.Members = collect(t, tx.Memberships(ctx, store.MemberFilter{}))
	s.Devices, err = tx.DeviceStates(ctx, probeDevices)
	must(t, err)
	s.Audit = collect(t, tx.AuditEntries(ctx, store.AuditFilter{}))
	s.Links = collect(t, tx.Links(ctx, ""))
	s.Invites = collect(t, tx.Invites(ctx, ""))
	s.Licenses = collect(t, tx.Licenses(ctx, ""))
	s.OrgLicenses = collect(t, tx.Licenses(ctx, "org_000002"))
	s.LinkHashes, s.InviteHashes = map[string]string{}, map[string]string{}
	for _, hash := range probeHashes {
		if l, err := tx.LinkByTokenHash(ctx, hash); err == nil {
			s.LinkHashes[hash] = l.ID
		}
		if i, err := tx.InviteByTokenHash(ctx, hash); err == nil {
			s.InviteHashes[hash] = i.ID
		}
	}
	s.Scopes = collect(t, tx.Scopes(ctx))
	return s
}

// fillStore commits one record of every kind (and a few more).
func fillStore(h *harness) {
	h.t.Helper()
	h.update(func(tx store.Tx) error {
		ctx, t := h.ctx, h.t
		putAdmin(t, ctx, tx, "Acme HQ", "")
		must(t, tx.SetKind(ctx, domain.KindInit))
		must(t, tx.PutSetting(ctx, "login_methods", "password"))
		bak := putNewOrg(t, ctx, tx, "Bakery", "BAK-1")
		cafe := putNewOrg(t, ctx, tx, "Café", "CAFE-2")
		gone := putNewOrg(t, ctx, tx, "Gone", "")
		gone.DeletedAt = ptr(at(5))
		must(t, tx.PutOrg(ctx, gone))
		must(t, tx.PutMemberships(ctx, []domain.Membership{
			member(bak.ID, "ann@bakery.example", domain.RoleOwner, 1), member(cafe.ID, "bob@cafe.example", domain.RoleAdmin, 2)}))
		must(t, tx.PutDeviceStates(ctx, map[store.DeviceKey]domain.DeviceState{probeDevices[0]: {State: "registered", At: at(3)}}))
		must(t, tx.ClaimEvents(ctx, probeEvents[:2], make([]bool, 2)))
		must(t, tx.AppendAudit(ctx, auditEntry(1, bak.ID, "admin@acme.example")))
		newLink(t, ctx, tx, bak.ID, hashOf("link-1"))
		newInvite(t, ctx, tx, bak.ID, "cy@bakery.example", hashOf("inv-1"))
		newLicense(t, ctx, tx, bak.ID)
		must(t, tx.SetScope(ctx, "sue@acme.example", []string{bak.ID}))
		must(t, tx.SetScope(ctx, "tim@acme.example", []string{cafe.ID}))
		return nil
	})
}

// touchEverything calls every write method of the contract, changing
// records fillStore made and adding new ones.
func touchEverything(h *harness, tx store.Tx) {
	h.t.Helper()
	ctx, t := h.ctx, h.t
	must(t, tx.PutPartner(ctx, domain.Partner{ID: "prt_2", Name: "Other"}))
	must(t, tx.SetKind(ctx, domain.KindDemo))
	must(t, tx.PutSetting(ctx, "login_methods", ""))
	must(t, tx.PutSetting(ctx, "new_setting", "x"))
	for _, name := range probeSeqs {
		_, err := tx.NextSeq(ctx, name)
		must(t, err)
	}
	bak := getOrg(t, ctx, tx, "org_000002")
	bak.Name, bak.RefID = "Renamed", "bak-2"
	must(t, tx.PutOrg(ctx, bak))
	cafe := getOrg(t, ctx, tx, "org_000003")
	cafe.DeletedAt = ptr(at(9))
	must(t, tx.PutOrg(ctx, cafe))
	gone := getOrg(t, ctx, tx, "org_000004")
	gone.DeletedAt = nil
	must(t, tx.PutOrg(ctx, gone))
	putNewOrg(t, ctx, tx, "New Org", "NEW-1")
	bak.Messages, bak.Users = 99, 5
	must(t, tx.PutOrgCounters(ctx, []*domain.Org{&bak}))
	must(t, tx.PutMembership(ctx, member(bak.ID, "new@bakery.example", domain.RoleMember, 7)))
	must(t, tx.PutMemberships(ctx, []domain.Membership{member(bak.ID, "ann@bakery.example", domain.RoleMember, 8)}))
	must(t, tx.DeleteMembership(ctx, "org_000003", "bob@cafe.example"))
	must(t, tx.DeleteMemberships(ctx, []store.MemberKey{{OrgID: bak.ID, Email: "new@bakery.example"}}))
	must(t, tx.PutDeviceStates(ctx, map[store.DeviceKey]domain.DeviceState{
		probeDevices[0]: {State: "removed", At: at(10)}, probeDevices[1]: {State: "onboarded", At: at(10)}}))
	must(t, tx.ClaimEvents(ctx, probeEvents[1:], make([]bool, 3)))
	must(t, tx.AppendAudit(ctx, auditEntry(2, bak.ID, "admin@acme.example")))
	l, err := tx.LinkByTokenHash(ctx, hashOf("link-1"))
	must(t, err)
	l.RedeemedAt = ptr(at(11))
	must(t, tx.PutLink(ctx, l))
	newLink(t, ctx, tx, bak.ID, hashOf("link-2"))
	i, err := tx.InviteByTokenHash(ctx, hashOf("inv-1"))
	must(t, err)
	i.TokenHash, i.ResentAt = hashOf("inv-2"), ptr(at(12))
	must(t, tx.PutInvite(ctx, i))
	newInvite(t, ctx, tx, bak.ID, "dee@bakery.example", hashOf("new"))
	lic, err := tx.License(ctx, "lic_000001")
	must(t, err)
	lic.OrgID = "org_000003"
	must(t, tx.PutLicense(ctx, lic))
	newLicense(t, ctx, tx, bak.ID)
	must(t, tx.SetScope(ctx, "sue@acme.example", []string{bak.ID, "org_000003"}))
	must(t, tx.SetScope(ctx, "new@acme.example", nil))
	must(t, tx.DeleteScope(ctx, "tim@acme.example"))
}

// probeAll is a snapshot plus what only a write can read: which of the
// probe events are claimed and where the probe sequences stand (both read
// in a rolled-back transaction).
func probeAll(h *harness) (snapshot, map[string]bool, map[string]uint64) {
	h.t.Helper()
	var s snapshot
	h.view(func(tx store.Tx) error { s = takeSnapshot(h, tx); return nil })
	claims := probeClaims(h, probeEvents)
	seqs := map[string]uint64{}
	h.rolledBack(func(tx store.Tx) error {
		for _, name := range probeSeqs {
			n, err := tx.NextSeq(h.ctx, name)
			must(h.t, err)
			seqs[name] = n
		}
		return nil
	})
	return s, claims, seqs
}
