// Package doctor checks the domain invariants of a store through the
// store interface, the same way for every backend: counters never negative,
// session days in order, the live org count, users counted from
// memberships, and every membership, link, invitation and license pointing
// at an org that exists. A backend's own storage checks (pages, indexes)
// are its optional store.StorageChecker capability.
package doctor

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Report is what Check found.
type Report struct {
	Problems   []string
	Invariants int // how many invariant checks ran
	Orgs       int // connected orgs (live customer orgs whose link is accepted)
	Members    int
	Audit      int
}

// OK reports whether no problem was found.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Invariant is one rule a healthy store keeps. Check reports every breach
// through c.Problemf and must not stop at the first one.
type Invariant struct {
	Name  string
	Check func(c *Context) error
}

// Invariants run in order; a noun that adds records adds its rules here.
var Invariants = []Invariant{
	{"org counters", checkOrgCounters},
	{"org count", checkOrgCount},
	{"memberships", checkMemberships},
	{"partner", checkPartner},
	{"links", checkLinks},
	{"invitations", checkInvites},
	{"licenses", checkLicenses},
	{"team", checkTeam},
	{"tenants", checkTenants},
	{"connect requests", checkConnectRequests},
}

// Context is what an Invariant sees: the read transaction and every org
// record, read once.
type Context struct {
	Ctx context.Context
	Tx  store.Tx
	// Orgs holds every org record, live or deleted, by id.
	Orgs     map[string]domain.Org
	report   *Report
	problems []string
}

// Problemf records one problem, phrased for the user.
func (c *Context) Problemf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// OrgExists reports whether an org record (live or deleted) has this id.
func (c *Context) OrgExists(id string) bool { _, ok := c.Orgs[id]; return ok }

// SortedIDs lists the org ids in order, so problems come out in the same
// order every run.
func (c *Context) SortedIDs() []string {
	ids := make([]string, 0, len(c.Orgs))
	for id := range c.Orgs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func liveCustomer(o domain.Org) bool { return o.Live() && !o.Admin }

// Check runs every invariant in one read transaction. It only reads.
func Check(ctx context.Context, st store.Store) (Report, error) {
	var r Report
	err := st.View(ctx, func(tx store.Tx) error {
		c := &Context{Ctx: ctx, Tx: tx, Orgs: map[string]domain.Org{}, report: &r}
		defer func() { r.Problems = c.problems }()
		for o, err := range tx.Orgs(ctx, store.OrgQuery{All: true}) {
			if err != nil {
				// What can't be read is a problem to report, not a reason to stop.
				c.Problemf("orgs: cannot be read: %v", err)
				return nil
			}
			c.Orgs[o.ID] = *o
			if liveCustomer(*o) && o.Connected() {
				r.Orgs++
			}
		}
		for _, inv := range Invariants {
			if err := run(c, inv); err != nil {
				c.Problemf("%s: cannot be read: %v", inv.Name, err)
			}
			r.Invariants++
		}
		return nil
	})
	return r, err
}

// run runs one check, turning a panic into a problem so one broken rule
// can't hide the others.
func run(c *Context, inv Invariant) (err error) {
	defer func() {
		if p := recover(); p != nil {
			c.Problemf("%s: check failed: %v", inv.Name, p)
		}
	}()
	return inv.Check(c)
}

func checkOrgCounters(c *Context) error {
	for _, id := range c.SortedIDs() {
		o := c.Orgs[id]
		for _, f := range []struct {
			name string
			n    int
		}{
			{"users", o.Users}, {"data_sources", o.DataSources}, {"integrations", o.Integrations},
			{"sessions_total", o.SessionsTotal}, {"messages", o.Messages}, {"subscribers", o.Subscribers},
			{"devices.total", o.Devices.Total}, {"devices.registered", o.Devices.Registered},
			{"devices.onboarded", o.Devices.Onboarded}, {"devices.provisioned", o.Devices.Provisioned},
		} {
			if f.n < 0 {
				c.Problemf("org %s: counter %s is negative (%d)", id, f.name, f.n)
			}
		}
		for i, d := range o.SessionDays {
			if d.Count < 0 {
				c.Problemf("org %s: session day %d has a negative count (%d)", id, d.Day, d.Count)
			}
			if i > 0 && d.Day <= o.SessionDays[i-1].Day {
				c.Problemf("org %s: session days are not sorted (day %d after %d)", id, d.Day, o.SessionDays[i-1].Day)
			}
		}
	}
	return nil
}

// checkOrgCount: the count is of connected orgs (live customer orgs whose
// link status is accepted).
func checkOrgCount(c *Context) error {
	connected := 0
	for _, o := range c.Orgs {
		if liveCustomer(o) && o.Connected() {
			connected++
		}
	}
	n, err := c.Tx.CountOrgs(c.Ctx)
	if err != nil {
		return err
	}
	if n != connected {
		c.Problemf("org count: the store says %d, but %d connected orgs exist", n, connected)
	}
	return nil
}

func checkMemberships(c *Context) error {
	users := map[string]int{}
	for m, err := range c.Tx.Memberships(c.Ctx, store.MemberFilter{}) {
		if err != nil {
			return err
		}
		c.report.Members++
		if !c.OrgExists(m.OrgID) {
			c.Problemf("membership of %s: org %s does not exist", m.Email, m.OrgID)
		}
		if m.Role.CountsAsUser() {
			users[m.OrgID]++
		}
	}
	for _, id := range c.SortedIDs() {
		if o := c.Orgs[id]; liveCustomer(o) && o.Users != users[id] {
			c.Problemf("org %s: users is %d, but it has %d customer membership(s)", id, o.Users, users[id])
		}
	}
	n := 0
	for _, err := range c.Tx.AuditEntries(c.Ctx, store.AuditFilter{}) {
		if err != nil {
			return err
		}
		n++
	}
	c.report.Audit = n
	return nil
}

func checkPartner(c *Context) error {
	p, err := c.Tx.Partner(c.Ctx)
	if err == store.ErrNotFound {
		if len(c.Orgs) > 0 {
			c.Problemf("partner: missing, but the store holds %d org record(s)", len(c.Orgs))
		}
		return nil // an empty store: made, never initialised
	}
	if err != nil {
		c.Problemf("partner: cannot be read: %v", err)
		return nil
	}
	o, ok := c.Orgs[p.AdminOrgID]
	switch {
	case !ok:
		c.Problemf("partner: admin org %q does not exist", p.AdminOrgID)
	case !o.Admin:
		c.Problemf("partner: admin org %s is not flagged as the admin org", p.AdminOrgID)
	case !o.Live():
		c.Problemf("partner: admin org %s is deleted", p.AdminOrgID)
	}
	return nil
}

func checkLinks(c *Context) error {
	for l, err := range c.Tx.Links(c.Ctx, "") {
		if err != nil {
			return err
		}
		if !c.OrgExists(l.OrgID) {
			c.Problemf("link %s: org %s does not exist", l.ID, l.OrgID)
		}
	}
	return nil
}

func checkInvites(c *Context) error {
	for i, err := range c.Tx.Invites(c.Ctx, "") {
		if err != nil {
			return err
		}
		if !c.OrgExists(i.OrgID) {
			c.Problemf("invitation %s: org %s does not exist", i.ID, i.OrgID)
		}
	}
	return nil
}

func checkLicenses(c *Context) error {
	for l, err := range c.Tx.Licenses(c.Ctx, "") {
		if err != nil {
			return err
		}
		if l.OrgID != "" && !c.OrgExists(l.OrgID) {
			c.Problemf("license %s: org %s does not exist", l.ID, l.OrgID)
		}
		if l.End.Before(l.Start) {
			c.Problemf("license %s: ends %s before it starts %s", l.ID, l.End.Format("2006-01-02"), l.Start.Format("2006-01-02"))
		}
	}
	return nil
}

// checkTeam: the admin org keeps an owner (the last one can't be removed),
// and only members of the admin org below admin are scoped, to orgs that
// exist (removing or promoting a member lifts their scope).
func checkTeam(c *Context) error {
	p, err := c.Tx.Partner(c.Ctx)
	if err == store.ErrNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	roles := map[string]domain.Role{}
	for m, err := range c.Tx.Memberships(c.Ctx, store.MemberFilter{OrgID: p.AdminOrgID}) {
		if err != nil {
			return err
		}
		roles[m.Email] = m.Role
	}
	if !slices.Contains(slices.Collect(maps.Values(roles)), domain.RoleOwner) {
		c.Problemf("admin org %s: has no owner", p.AdminOrgID)
	}
	for s, err := range c.Tx.Scopes(c.Ctx) {
		if err != nil {
			return err
		}
		switch role, ok := roles[s.Email]; {
		case !ok:
			c.Problemf("scope of %s: not a member of the admin org", s.Email)
		case role.CanManageTeam():
			c.Problemf("scope of %s: %s of the admin org, who are never scoped", s.Email, role)
		}
		for _, id := range s.OrgIDs {
			if !c.OrgExists(id) {
				c.Problemf("scope of %s: org %s does not exist", s.Email, id)
			}
		}
	}
	return nil
}

// checkTenants: every link status is one the product knows, and no two
// live customer orgs share a shortcode.
func checkTenants(c *Context) error {
	codes := map[string]string{}
	for _, id := range c.SortedIDs() {
		o := c.Orgs[id]
		if o.LinkStatus != "" && !slices.Contains(domain.LinkStatuses, o.LinkStatus) {
			c.Problemf("org %s: unknown link status %q", id, o.LinkStatus)
		}
		code := o.Tenant.Shortcode
		if !liveCustomer(o) || code == "" {
			continue
		}
		if other, dup := codes[code]; dup {
			c.Problemf("org %s: shortcode %q is also org %s's", id, code, other)
			continue
		}
		codes[code] = id
	}
	return nil
}

func checkConnectRequests(c *Context) error {
	for r, err := range c.Tx.ConnectRequests(c.Ctx, "") {
		if err != nil {
			return err
		}
		if !c.OrgExists(r.OrgID) {
			c.Problemf("connect request %s: org %s does not exist", r.ID, r.OrgID)
		}
	}
	return nil
}
