package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Invariant is one rule of the file's own structure (records where their
// keys say, indexes that agree with them); the domain's rules are
// pkg/doctor's, checked through the store interface for every backend.
// Check reports every breach Check reports every breach
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
	{"record ids", checkRecordIDs},
	{"org sequence", checkOrgSeq},
	{"org name index", checkNameIndex},
	{"org ref index", checkRefIndex},
	{"members", checkMemberKeys},
	{"devices", checkDevices},
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

// liveCustomer reports whether o is indexed: live and not the admin org
// (it is also counted when connected).
func liveCustomer(o domain.Org) bool { return o.Live() && !o.Admin }

// maxBoltProblems bounds how many of bbolt's page-level complaints are kept:
// a badly damaged file can produce thousands.
const maxBoltProblems = 20

// CheckPages runs bbolt's own page-level consistency check (Tx.Check) and
// returns its complaints, at most maxBoltProblems of them. bbolt runs the
// check on a goroutine of its own, where a badly damaged page can crash the
// process or exhaust memory; `partnerctl doctor` therefore runs it in a
// child process and reports a crash as a problem.
func (s *Store) CheckPages(context.Context) ([]string, error) {
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

var (
	_ store.StorageChecker = (*Store)(nil)
	_ store.PageChecker    = (*Store)(nil)
)

// CheckStorage checks the file: bbolt's page-level check (pages, as
// returned by CheckPages, possibly from another process; nil runs it
// here), then the schema, then every Invariant. It only reads. Open the
// store with NoSchemaCheck so that a store missing a bucket can still be
// inspected.
func (s *Store) CheckStorage(ctx context.Context, pages []string) (store.StorageReport, error) {
	r := store.StorageReport{Summary: "bbolt's consistency check"}
	if pages == nil {
		var err error
		if pages, err = s.CheckPages(ctx); err != nil {
			return r, err
		}
	}
	if len(pages) > 0 {
		// the pages can't be trusted; reading records could fault
		r.Problems, r.Unreadable = pages, true
		return r, nil
	}
	err := s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			if !schemaOK(btx, &r) {
				r.Unreadable = true
				return nil
			}
			if problem := unfinishedStagedOrgs(btx); problem != "" {
				r.Problems = append(r.Problems, problem)
			}
			c := &CheckContext{Tx: btx, Orgs: map[string]domain.Org{}}
			for _, inv := range invariants {
				runInvariant(c, inv)
				r.Checks++
			}
			r.Problems = append(r.Problems, c.problems...)
			runs, err := countEventIDs(btx.Bucket(bucketEventIDs))
			if err != nil {
				r.Problems = append(r.Problems, err.Error())
			}
			staged, err := countStagedEventIDs(btx.Bucket(bucketEventIDsStaged))
			if err != nil {
				r.Problems = append(r.Problems, err.Error())
			}
			r.Events = btx.Bucket(bucketEvents).Stats().KeyN + runs + staged
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

func schemaOK(btx *bolt.Tx, r *store.StorageReport) bool {
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
			c.Problemf("org record %x: does not decode: %v", k, err)
			return nil
		}
		if !bytes.Equal(k, u64(o.Seq)) {
			c.Problemf("org %s: stored under sequence %x, but its seq is %d", o.ID, k, o.Seq)
		}
		c.Orgs[o.ID] = o
		return nil
	})
}

// checkRecordIDs: every record is found by its id (the ids bucket's entry,
// or for an id made from its sequence the sequence itself), and every
// entry of the ids bucket finds the record that holds its id.
func checkRecordIDs(c *CheckContext) {
	for _, k := range []struct {
		noun string
		kind recordKind
	}{{"org", orgRecords}, {"link", linkRecords}, {"license", licenseRecords}, {"invitation", inviteRecords},
		{"connect request", connectRecords}} {
		records, ids := c.Tx.Bucket(k.kind.records), c.Tx.Bucket(k.kind.ids)
		_ = records.ForEach(func(key, raw []byte) error {
			id, _, err := recordID(k.kind, raw)
			if err != nil {
				c.Problemf("%s record %x: does not decode: %v", k.noun, key, err)
				return nil
			}
			indexed := ids.Get([]byte(id))
			_, hinted := k.kind.hintedID(key, raw)
			switch {
			case bytes.Equal(indexed, key), hinted && indexed == nil:
			case hinted:
				c.Problemf("%s %s: its id index entry points at record %x, not this one", k.noun, id, indexed)
			default:
				c.Problemf("%s %s: not found by its id", k.noun, id)
			}
			return nil
		})
		_ = ids.ForEach(func(id, key []byte) error {
			raw := records.Get(key)
			if raw == nil {
				c.Problemf("%s id index: %s points at a record that does not exist", k.noun, id)
			} else if got, _, err := recordID(k.kind, raw); err == nil && got != string(id) {
				c.Problemf("%s id index: %s points at the record of %s", k.noun, id, got)
			}
			return nil
		})
	}
}

// recordID reads the id and seq of a record of kind k.
func recordID(k recordKind, raw []byte) (string, uint64, error) {
	if bytes.Equal(k.records, bucketOrgs) {
		return orgSeq(raw)
	}
	return jsonSeq(raw)
}

// checkMemberKeys: every membership is stored under its own org and email,
// and its org exists.
func checkMemberKeys(c *CheckContext) {
	_ = c.Tx.Bucket(bucketMembers).ForEach(func(k, v []byte) error {
		m, err := decodeMembership(k, v)
		if err != nil {
			c.Problemf("membership %q: record does not decode: %v", k, err)
			return nil
		}
		if !bytes.Equal(k, memberKey(m.OrgID, m.Email)) {
			c.Problemf("membership %q: record is for %s in %s", k, m.Email, m.OrgID)
		}
		return nil
	})
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

// checkNameIndex: connected orgs are in org_names, the other live customer
// orgs in org_names_unlinked, each under its own name and seq.
func checkNameIndex(c *CheckContext) {
	for _, index := range []struct {
		bucket    []byte
		label     string
		connected bool
	}{{bucketOrgNames, "name index", true}, {bucketOrgUnlinked, "unlinked name index", false}} {
		idx := c.Tx.Bucket(index.bucket)
		_ = idx.ForEach(func(k, v []byte) error {
			id := string(v)
			if len(k) < 9 || k[len(k)-9] != 0 {
				c.Problemf("%s: malformed key %q", index.label, k)
				return nil
			}
			name, seq := string(k[:len(k)-9]), binary.BigEndian.Uint64(k[len(k)-8:])
			o, ok := c.Orgs[id]
			switch {
			case !ok:
				c.Problemf("%s: %q points at org %s, which does not exist", index.label, name, id)
			case !liveCustomer(o):
				c.Problemf("%s: %q points at org %s, which is deleted or the admin org", index.label, name, id)
			case o.Connected() != index.connected:
				c.Problemf("%s: %q points at org %s, whose link status is %s", index.label, name, id, o.Link())
			case store.Fold(o.Name) != name || o.Seq != seq:
				c.Problemf("%s: %q (seq %d) points at org %s, which is named %q (seq %d)", index.label, name, seq, id, o.Name, o.Seq)
			}
			return nil
		})
		for _, id := range sortedIDs(c.Orgs) {
			o := c.Orgs[id]
			if liveCustomer(o) && o.Connected() == index.connected && string(idx.Get(nameKey(o.Name, o.Seq))) != id {
				c.Problemf("%s: org %s (%q) is not indexed by name", index.label, id, o.Name)
			}
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

func checkDevices(c *CheckContext) {
	_ = c.Tx.Bucket(bucketDevices).ForEach(func(k, v []byte) error {
		orgID, _, found := bytes.Cut(k, []byte{0})
		if !found || !c.OrgExists(string(orgID)) {
			c.Problemf("device %q: its org does not exist", k)
		}
		return nil
	})
}

func sortedIDs(m map[string]domain.Org) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
