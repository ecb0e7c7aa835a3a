package boltstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Invariant is one rule a healthy store keeps. Check reports every breach
// through c.Problemf and must not stop at the first one.
//
// Extension point: a noun that adds buckets adds its rules in its own file
// with
//
//	func init() { invariants = append(invariants, Invariant{"links", checkLinks}) }
//
// where checkLinks uses c.Tx, c.Orgs and c.OrgExists (for example: every
// link's and every invite's org exists). Invariants run in order, after
// bbolt's own consistency check, and only when every bucket is present.
type Invariant struct {
	Name  string
	Check func(c *CheckContext)
}

var invariants = []Invariant{
	{"org records", checkOrgRecords},
	{"org counters", checkOrgCounters},
	{"org count", checkOrgCount},
	{"org sequence", checkOrgSeq},
	{"org name index", checkNameIndex},
	{"org ref index", checkRefIndex},
	{"memberships", checkMemberships},
	{"devices", checkDevices},
	{"partner", checkPartner},
}

// CheckContext is what an Invariant sees: the read transaction and every
// org record, decoded once.
type CheckContext struct {
	Tx *bolt.Tx
	// Orgs holds every org record that decodes, live or deleted, by id.
	Orgs     map[string]domain.Org
	problems []string
}

// Problemf records one problem, phrased for the user.
func (c *CheckContext) Problemf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// OrgExists reports whether an org record (live or deleted) has this id.
func (c *CheckContext) OrgExists(id string) bool { _, ok := c.Orgs[id]; return ok }

// liveCustomer reports whether o is counted and indexed: live and not the admin org.
func liveCustomer(o domain.Org) bool { return o.Live() && !o.Admin }

// Report is what Doctor found.
type Report struct {
	Path       string
	Problems   []string
	Invariants int // how many invariant checks ran
	Orgs       int // live customer orgs
	Members    int
	Events     int
	Audit      int
}

// OK reports whether no problem was found.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// maxBoltProblems bounds how many of bbolt's page-level complaints are kept:
// a badly damaged file can produce thousands.
const maxBoltProblems = 20

// CheckPages runs bbolt's own page-level consistency check (Tx.Check) and
// returns its complaints, at most maxBoltProblems of them. bbolt runs the
// check on a goroutine of its own, where a badly damaged page can crash the
// process or exhaust memory; `partnerctl doctor` therefore runs it in a
// child process and reports a crash as a problem.
func (s *Store) CheckPages() ([]string, error) {
	var problems []string
	err := s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			n := 0
			for err := range btx.Check() {
				if n < maxBoltProblems {
					problems = append(problems, "bbolt: "+err.Error())
				}
				n++
			}
			if n > maxBoltProblems {
				problems = append(problems, fmt.Sprintf("bbolt: … and %d more page problems", n-maxBoltProblems))
			}
			return nil
		})
	})
	return problems, err
}

// Doctor checks the store: bbolt's page-level check (pages, as returned by
// CheckPages, possibly from another process; nil runs it here), then the
// schema, then every Invariant. It only reads. Open the store with
// NoSchemaCheck so that a store missing a bucket can still be inspected.
func (s *Store) Doctor(pages []string) (Report, error) {
	r := Report{Path: s.path}
	if pages == nil {
		var err error
		if pages, err = s.CheckPages(); err != nil {
			return r, err
		}
	}
	if len(pages) > 0 {
		// the pages can't be trusted; reading records could fault
		r.Problems = pages
		return r, nil
	}
	err := s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			if !schemaOK(btx, &r) {
				return nil
			}
			c := &CheckContext{Tx: btx, Orgs: map[string]domain.Org{}}
			for _, inv := range invariants {
				runInvariant(c, inv)
				r.Invariants++
			}
			r.Problems = append(r.Problems, c.problems...)
			for _, o := range c.Orgs {
				if liveCustomer(o) {
					r.Orgs++
				}
			}
			r.Members = btx.Bucket(bucketMembers).Stats().KeyN
			runs, err := countEventIDs(btx.Bucket(bucketEventIDs))
			if err != nil {
				r.Problems = append(r.Problems, err.Error())
			}
			r.Events = btx.Bucket(bucketEvents).Stats().KeyN + runs
			r.Audit = btx.Bucket(bucketAudit).Stats().KeyN
			return nil
		})
	})
	return r, err
}

// runInvariant runs one check, turning a panic into a problem so one broken
// rule can't hide the others.
func runInvariant(c *CheckContext, inv Invariant) {
	defer func() {
		if p := recover(); p != nil {
			c.Problemf("%s: check failed: %v", inv.Name, p)
		}
	}()
	inv.Check(c)
}

func schemaOK(btx *bolt.Tx, r *Report) bool {
	meta := btx.Bucket(bucketMeta)
	switch {
	case meta == nil:
		r.Problems = append(r.Problems, "schema: no meta bucket: this is not a partnerctl store")
		return false
	case meta.Get(keySchema) == nil:
		r.Problems = append(r.Problems, "schema: no schema version recorded")
	default:
		v, err := strconv.Atoi(string(meta.Get(keySchema)))
		if err != nil || v < 1 {
			r.Problems = append(r.Problems, fmt.Sprintf("schema: unreadable schema version %q", meta.Get(keySchema)))
		} else if v > store.SchemaVersion {
			r.Problems = append(r.Problems, fmt.Sprintf("schema: version %d is newer than this partnerctl (%d)", v, store.SchemaVersion))
			return false
		}
	}
	ok := true
	for _, name := range allBuckets {
		if btx.Bucket(name) == nil {
			r.Problems = append(r.Problems, fmt.Sprintf("schema: bucket %q is missing", name))
			ok = false
		}
	}
	return ok
}

func checkOrgRecords(c *CheckContext) {
	_ = c.Tx.Bucket(bucketOrgs).ForEach(func(k, v []byte) error {
		var o domain.Org
		if err := decodeOrg(v, &o); err != nil {
			c.Problemf("org %q: record does not decode: %v", k, err)
			return nil
		}
		if o.ID != string(k) {
			c.Problemf("org %q: record says its id is %q", k, o.ID)
		}
		c.Orgs[string(k)] = o
		return nil
	})
}

func checkOrgCounters(c *CheckContext) {
	for _, id := range sortedIDs(c.Orgs) {
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
}

func checkOrgCount(c *CheckContext) {
	live := 0
	for _, o := range c.Orgs {
		if liveCustomer(o) {
			live++
		}
	}
	raw := c.Tx.Bucket(bucketMeta).Get(keyOrgCount)
	switch {
	case raw == nil && live == 0:
	case len(raw) != 8:
		c.Problemf("org count: meta holds %d bytes, want an 8-byte count of %d live orgs", len(raw), live)
	default:
		if n := int64(binary.BigEndian.Uint64(raw)); n != int64(live) {
			c.Problemf("org count: meta says %d, but %d live customer orgs exist", n, live)
		}
	}
}

// checkOrgSeq: the next org id must be new, or a create would overwrite an org.
func checkOrgSeq(c *CheckContext) {
	var seq uint64
	if raw := c.Tx.Bucket(bucketSeq).Get([]byte("org")); len(raw) == 8 {
		seq = binary.BigEndian.Uint64(raw)
	}
	for _, id := range sortedIDs(c.Orgs) {
		if o := c.Orgs[id]; o.Seq > seq {
			c.Problemf("org sequence: at %d, but org %s has seq %d", seq, id, o.Seq)
		}
	}
}

func checkNameIndex(c *CheckContext) {
	idx := c.Tx.Bucket(bucketOrgNames)
	_ = idx.ForEach(func(k, v []byte) error {
		id := string(v)
		if len(k) < 9 || k[len(k)-9] != 0 {
			c.Problemf("name index: malformed key %q", k)
			return nil
		}
		name, seq := string(k[:len(k)-9]), binary.BigEndian.Uint64(k[len(k)-8:])
		o, ok := c.Orgs[id]
		switch {
		case !ok:
			c.Problemf("name index: %q points at org %s, which does not exist", name, id)
		case !liveCustomer(o):
			c.Problemf("name index: %q points at org %s, which is deleted or the admin org", name, id)
		case strings.ToLower(o.Name) != name || o.Seq != seq:
			c.Problemf("name index: %q (seq %d) points at org %s, which is named %q (seq %d)", name, seq, id, o.Name, o.Seq)
		}
		return nil
	})
	for _, id := range sortedIDs(c.Orgs) {
		o := c.Orgs[id]
		if liveCustomer(o) && string(idx.Get(nameKey(o.Name, o.Seq))) != id {
			c.Problemf("name index: org %s (%q) is not indexed by name", id, o.Name)
		}
	}
}

func checkRefIndex(c *CheckContext) {
	idx := c.Tx.Bucket(bucketOrgRefs)
	_ = idx.ForEach(func(k, v []byte) error {
		id := string(v)
		o, ok := c.Orgs[id]
		switch {
		case !ok:
			c.Problemf("ref index: %q points at org %s, which does not exist", k, id)
		case !liveCustomer(o):
			c.Problemf("ref index: %q points at org %s, which is deleted or the admin org", k, id)
		case !bytes.Equal(refKey(o.RefID), k):
			c.Problemf("ref index: %q points at org %s, whose ref is %q", k, id, o.RefID)
		}
		return nil
	})
	for _, id := range sortedIDs(c.Orgs) {
		o := c.Orgs[id]
		if liveCustomer(o) && o.RefID != "" && string(idx.Get(refKey(o.RefID))) != id {
			c.Problemf("ref index: org %s (ref %q) is not indexed by ref", id, o.RefID)
		}
	}
}

func checkMemberships(c *CheckContext) {
	users := map[string]int{}
	_ = c.Tx.Bucket(bucketMembers).ForEach(func(k, v []byte) error {
		var m domain.Membership
		if err := jsonUnmarshal(v, &m); err != nil {
			c.Problemf("membership %q: record does not decode: %v", k, err)
			return nil
		}
		if !bytes.Equal(k, memberKey(m.OrgID, m.Email)) {
			c.Problemf("membership %q: record is for %s in %s", k, m.Email, m.OrgID)
		}
		if !c.OrgExists(m.OrgID) {
			c.Problemf("membership of %s: org %s does not exist", m.Email, m.OrgID)
		}
		if m.Role.CountsAsUser() {
			users[m.OrgID]++
		}
		return nil
	})
	for _, id := range sortedIDs(c.Orgs) {
		if o := c.Orgs[id]; liveCustomer(o) && o.Users != users[id] {
			c.Problemf("org %s: users is %d, but it has %d customer membership(s)", id, o.Users, users[id])
		}
	}
}

func checkDevices(c *CheckContext) {
	_ = c.Tx.Bucket(bucketDevices).ForEach(func(k, v []byte) error {
		orgID, _, found := bytes.Cut(k, []byte{0})
		if !found || !c.OrgExists(string(orgID)) {
			c.Problemf("device %q: its org does not exist", k)
		}
		return nil
	})
}

func checkPartner(c *CheckContext) {
	raw := c.Tx.Bucket(bucketMeta).Get(keyPartner)
	if raw == nil {
		if len(c.Orgs) > 0 {
			c.Problemf("partner: missing, but the store holds %d org record(s)", len(c.Orgs))
		}
		return // an empty store: made, never initialised
	}
	var p domain.Partner
	if err := jsonUnmarshal(raw, &p); err != nil {
		c.Problemf("partner: record does not decode: %v", err)
		return
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
}

func sortedIDs(m map[string]domain.Org) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
