package console

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/health"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// trackedField is an org value whose changes a report lists as rows of
// kind; detail, when set, explains the new value.
type trackedField struct {
	name   string
	kind   ChangeKind
	value  func(o *domain.Org, v *health.Verdict) string
	detail func(o *domain.Org, v *health.Verdict) string
}

// trackedFields are the org values a report compares, by name. Adding one
// is one line: states saved before it lack it, and the next run records it
// without listing a change.
var trackedFields = []trackedField{
	{"status", ChangeStatus, statusValue, statusReason},
	{"link_status", ChangeLinkStatus, func(o *domain.Org, _ *health.Verdict) string { return string(o.Link()) }, nil},
}

func statusValue(_ *domain.Org, v *health.Verdict) string  { return string(v.Status) }
func statusReason(_ *domain.Org, v *health.Verdict) string { return v.Reason }

// reportDiff compares what a report sees, org by org and license by
// license, with its last saved state, collecting the changes and the state
// to save next. It holds one small entry per org, never the orgs.
//
// Licenses are read first: the few that are expiring or expired wait for
// their org to be seen, so whether a license is covered follows from the
// orgs the report lists without a set of every org.
type reportDiff struct {
	now, today, horizon time.Time
	fields              []trackedField
	prev                domain.ReportState
	// narrowed is set when the run sees only a scoped teammate's orgs: an
	// org of the last state that the store no longer shows them left
	// their scope (perhaps to be deleted after). It leaves the state
	// without a row: "deleted" would be untrue, and its name or deletion
	// time is not theirs to see.
	narrowed bool
	// prevField[i] is the index of fields[i] in prev.Fields, or -1.
	prevField []int
	// next is the index in prev.Orgs where the org seen next is expected:
	// orgs are usually listed in the order the last run saved them, and
	// then need no map. prevOrgs (id → index) is built at the first org
	// out of that order.
	nextPrev int
	prevOrgs map[string]int32
	seen     []bool // of prev.Orgs
	prevLics map[string]domain.ReportLicense
	// licenses are the expiring and expired licenses, by org id ("" for
	// none); org() marks those whose org it sees.
	licenses map[string][]*pendingLicense
	next     domain.ReportState
	values   []string // where next's org values are allocated, a chunk at a time
	// changes are kept in fixed-size chunks, each with its sort keys: a
	// first run lists every org, and one growing slice copied its rows
	// several times over.
	changes [][]Change
	keys    [][]changeKey
	count   int
}

const changeChunk = 4096

// pendingLicense is an expiring or expired license waiting for its org.
type pendingLicense struct {
	l       domain.License
	expired bool
	covered bool
	orgName string
}

// changeKey is what changes sort by besides their own fields.
type changeKey struct {
	rank   int    // of the kind in ChangeKinds
	folded string // Fold(org name)
}

// newReportDiff compares with prev; orgs is about how many orgs the run
// will see (a capacity hint).
func newReportDiff(prev domain.ReportState, orgs int, now time.Time) *reportDiff {
	today := domain.Day(now)
	d := &reportDiff{
		now: now, today: today, horizon: today.AddDate(0, 0, LicenseExpiringDays),
		fields: trackedFields, prev: prev,
		seen:     make([]bool, len(prev.Orgs)),
		prevLics: make(map[string]domain.ReportLicense, len(prev.Licenses)),
		licenses: map[string][]*pendingLicense{},
	}
	for _, f := range d.fields {
		d.prevField = append(d.prevField, slices.Index(prev.Fields, f.name))
		d.next.Fields = append(d.next.Fields, f.name)
	}
	for _, l := range prev.Licenses {
		d.prevLics[l.ID] = l
	}
	d.next.At = now
	d.next.Orgs = make([]domain.ReportOrg, 0, max(orgs, len(prev.Orgs)))
	return d
}

func (d *reportDiff) add(c Change) {
	if d.count%changeChunk == 0 {
		d.changes = append(d.changes, make([]Change, 0, changeChunk))
		d.keys = append(d.keys, make([]changeKey, 0, changeChunk))
	}
	last := len(d.changes) - 1
	d.changes[last] = append(d.changes[last], c)
	d.keys[last] = append(d.keys[last], changeKey{slices.Index(ChangeKinds, c.Kind), store.Fold(c.OrgName)})
	d.count++
}

// prevIndex finds the org id in the last run's state.
func (d *reportDiff) prevIndex(id string) (int, bool) {
	n := d.nextPrev
	if n < len(d.prev.Orgs) && d.prev.Orgs[n].ID == id {
		d.nextPrev++
		return n, true
	}
	if d.prevOrgs == nil {
		if n == len(d.prev.Orgs) {
			return 0, false // every org of the state was seen, in order: this one is new
		}
		d.prevOrgs = make(map[string]int32, len(d.prev.Orgs))
		for i, o := range d.prev.Orgs {
			d.prevOrgs[o.ID] = int32(i)
		}
	}
	i, ok := d.prevOrgs[id]
	if ok {
		d.nextPrev = int(i) + 1
	}
	return int(i), ok
}

// org compares one covered org with what the last run saw of it.
func (d *reportDiff) org(o *domain.Org) {
	v := health.Evaluate(o, d.now)
	if len(d.values) < len(d.fields) {
		d.values = make([]string, 4096*len(d.fields))
	}
	vals := d.values[:len(d.fields):len(d.fields)]
	d.values = d.values[len(d.fields):]
	for i, f := range d.fields {
		vals[i] = f.value(o, &v)
	}
	d.next.Orgs = append(d.next.Orgs, domain.ReportOrg{ID: o.ID, Values: vals})
	for _, p := range d.licenses[o.ID] {
		p.covered, p.orgName = true, o.Name
	}

	i, known := d.prevIndex(o.ID)
	if !known {
		d.add(Change{Kind: ChangeAppeared, OrgID: o.ID, OrgName: o.Name, To: string(v.Status), At: o.CreatedAt, Detail: v.Reason})
		return
	}
	d.seen[i] = true
	was := d.prev.Orgs[i].Values
	for j, f := range d.fields {
		k := d.prevField[j]
		if k < 0 || k >= len(was) || was[k] == vals[j] {
			continue // unknown before (a newly tracked field), or unchanged
		}
		c := Change{Kind: f.kind, OrgID: o.ID, OrgName: o.Name, From: was[k], To: vals[j], At: d.now}
		if f.detail != nil {
			c.Detail = f.detail(o, &v)
		}
		d.add(c)
	}
}

// deletedOrgs lists the orgs the last run saw that this one did not.
func (d *reportDiff) deletedOrgs(ctx context.Context, tx store.Tx) error {
	var gone []int
	var ids []string
	for i, seen := range d.seen {
		if !seen {
			gone = append(gone, i)
			ids = append(ids, d.prev.Orgs[i].ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	tombs, err := tx.OrgsByID(ctx, ids)
	if err != nil {
		return err
	}
	status := slices.Index(d.prev.Fields, "status")
	for n, i := range gone {
		p, t := d.prev.Orgs[i], tombs[n]
		if t.ID == "" && d.narrowed {
			continue
		}
		c := Change{Kind: ChangeDeleted, OrgID: p.ID, OrgName: t.Name, At: d.now}
		if status >= 0 && status < len(p.Values) {
			c.From = p.Values[status]
		}
		if t.DeletedAt != nil {
			c.At = *t.DeletedAt
		}
		d.add(c)
	}
	return nil
}

// license notes a license that is expiring or expired, to be reported
// once its org is seen (see licenseChanges).
func (d *reportDiff) license(l *domain.License) {
	status, reason := l.StatusAt(d.now)
	var expired bool
	switch {
	case status == domain.LicenseActive && !l.End.After(d.horizon):
	case status == domain.LicenseInactive && reason == domain.ReasonExpired:
		expired = true
	default:
		return
	}
	// A license assigned to no org is the partner's: every report covers
	// it (a report narrowed to a teammate's orgs would not).
	d.licenses[l.OrgID] = append(d.licenses[l.OrgID], &pendingLicense{l: *l, expired: expired, covered: l.OrgID == ""})
}

// licenseChanges reports each noted license of a covered org (or of none)
// once per expiry: when it comes within LicenseExpiringDays of its last
// day, and when it has expired. A renewal moves the expiry, so the next one
// is reported again. Licenses of deleted orgs, or of orgs outside the
// report, are left out.
func (d *reportDiff) licenseChanges() {
	var pending []*pendingLicense
	for _, ps := range d.licenses {
		pending = append(pending, ps...)
	}
	slices.SortFunc(pending, func(a, b *pendingLicense) int { return cmp.Compare(a.l.Seq, b.l.Seq) })
	for _, p := range pending {
		if !p.covered {
			continue
		}
		l := &p.l
		d.next.Licenses = append(d.next.Licenses, domain.ReportLicense{ID: l.ID, End: l.End, Expired: p.expired})
		if was, ok := d.prevLics[l.ID]; ok && was.End.Equal(l.End) && (was.Expired || !p.expired) {
			continue // reported already, for this expiry
		}
		end := l.End.Format(time.DateOnly)
		c := Change{Kind: ChangeLicenseExpiring, OrgID: l.OrgID, OrgName: p.orgName, At: l.End.AddDate(0, 0, 1)}
		switch days := int(l.End.Sub(d.today).Hours() / 24); {
		case p.expired:
			c.Kind = ChangeLicenseExpired
			c.Detail = fmt.Sprintf("license %s (%s) ended %s", l.Number, l.ID, end)
		case days == 0:
			c.Detail = fmt.Sprintf("license %s (%s) ends today, %s", l.Number, l.ID, end)
		case days == 1:
			c.Detail = fmt.Sprintf("license %s (%s) ends tomorrow, %s", l.Number, l.ID, end)
		default:
			c.Detail = fmt.Sprintf("license %s (%s) ends %s, in %d days", l.Number, l.ID, end, days)
		}
		d.add(c)
	}
}

// sorted returns the changes by kind (in ChangeKinds order), then org name
// order, then org id and detail.
func (d *reportDiff) sorted() []Change {
	change := func(i int) *Change { return &d.changes[i/changeChunk][i%changeChunk] }
	key := func(i int) *changeKey { return &d.keys[i/changeChunk][i%changeChunk] }
	idx := make([]int, d.count)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int {
		ki, kj := key(i), key(j)
		if c := cmp.Compare(ki.rank, kj.rank); c != 0 {
			return c
		}
		if c := strings.Compare(ki.folded, kj.folded); c != 0 {
			return c
		}
		a, b := change(i), change(j)
		if c := strings.Compare(a.OrgID, b.OrgID); c != 0 {
			return c
		}
		return strings.Compare(a.Detail, b.Detail)
	})
	out := make([]Change, len(idx))
	for n, i := range idx {
		out[n] = *change(i)
	}
	return out
}
