package console

import (
	"context"
	"errors"
	"iter"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// ChangeKind is the kind of one row of a changes report (SPEC §16).
type ChangeKind string

// The kinds of change, in the order a report lists them.
const (
	ChangeStatus          ChangeKind = "status_changed"
	ChangeAppeared        ChangeKind = "appeared"
	ChangeDeleted         ChangeKind = "deleted"
	ChangeLinkStatus      ChangeKind = "link_status_changed"
	ChangeLicenseExpired  ChangeKind = "license_expired"
	ChangeLicenseExpiring ChangeKind = "license_expiring"
)

// ChangeKinds lists every kind, in report order.
var ChangeKinds = []ChangeKind{ChangeStatus, ChangeAppeared, ChangeDeleted, ChangeLinkStatus,
	ChangeLicenseExpired, ChangeLicenseExpiring}

// LicenseExpiringDays: an active license whose last day is at most this
// many days after today is expiring (the same as `licenses list
// --expiring-within 14d`).
const LicenseExpiringDays = 14

// DefaultReportName names the report when the caller gives none.
const DefaultReportName = "default"

// Change is one row of a changes report. From and To are "" when they don't
// apply (an org that appeared has no earlier status).
type Change struct {
	Kind    ChangeKind
	OrgID   string
	OrgName string
	From    string
	To      string
	// At is when the change happened where the store knows it (an org's
	// creation or deletion, a license's expiry: the end of its last day),
	// else the time of the run that noticed it.
	At     time.Time
	Detail string
}

// ChangesQuery is a run of a changes report.
type ChangesQuery struct {
	// Name names the report whose last run this one is compared with;
	// "" is DefaultReportName. Reports of different names don't share state,
	// and a scoped teammate's report of a name is their own (see reportKey).
	Name string
	// DryRun reports without remembering what it saw.
	DryRun bool
	// FailOn lists the kinds whose rows make the report a failed gate.
	FailOn []ChangeKind
}

// ChangeReport is what a run found.
type ChangeReport struct {
	Name string
	// Since is the time of the run this one is compared with; zero on a
	// report's first run, which lists every org as appeared.
	Since   time.Time
	At      time.Time
	Changes []Change
	// Own is true when the report covers only the acting scoped
	// teammate's orgs and is compared with their own last run of Name,
	// not with the one the rest of the team shares.
	Own bool
	// Saved is true when this run's state was remembered (not a dry run).
	Saved bool
	// GateMatches counts the rows whose kind is in FailOn.
	GateMatches int
}

// ParseChangeKinds reads the input field's comma-separated kinds (any case,
// - or _).
func ParseChangeKinds(field, s string) ([]ChangeKind, error) {
	var out []ChangeKind
	for _, part := range strings.Split(s, ",") {
		p := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(part)), "-", "_")
		if p == "" {
			continue
		}
		k := ChangeKind(p)
		if !hasKind(ChangeKinds, k) {
			names := make([]string, len(ChangeKinds))
			for i, k := range ChangeKinds {
				names[i] = string(k)
			}
			return nil, fail.Fieldf(fail.Usage, "invalid {"+field+"} %q: want one of %s", strings.TrimSpace(part), strings.Join(names, ", "))
		}
		out = append(out, k)
	}
	return out, nil
}

func hasKind(list []ChangeKind, k ChangeKind) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}

const maxReportName = 64

// checkReportName accepts 1 to 64 letters, digits, '.', '_' or '-',
// starting with a letter or digit: a name that is safe in a cron line, a
// file name and a message.
func checkReportName(name string) (string, error) {
	if name == "" {
		return DefaultReportName, nil
	}
	ok := len(name) <= maxReportName
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		ok = alnum || i > 0 && (c == '.' || c == '_' || c == '-')
	}
	if !ok {
		return "", fail.Fieldf(fail.Usage, "invalid {name} %q: want up to %d letters, digits, '.', '_' or '-', starting with a letter or digit", name, maxReportName)
	}
	return name, nil
}

// ReportChanges lists what changed since the last run of the report q.Name
// and, unless q.DryRun, remembers what this run saw in the same write
// transaction that read it: two runs can't both report one change, and a
// failed run leaves the last state as it was. Only partner admins may run
// it, as they may list orgs.
func (c *Console) ReportChanges(ctx context.Context, q ChangesQuery) (ChangeReport, error) {
	name, err := checkReportName(q.Name)
	if err != nil {
		return ChangeReport{}, err
	}
	var rep ChangeReport
	run := func(tx store.Tx, actor string) error {
		now := c.Now()
		key, own := reportKey(tx, name, actor)
		rep = ChangeReport{Name: name, At: now, Own: own}
		prev, err := tx.ReportState(ctx, key)
		if errors.Is(err, store.ErrNotFound) {
			prev = domain.ReportState{} // the first run: every org appears
		} else if err != nil {
			return err
		}
		count, err := tx.CountOrgs(ctx)
		if err != nil {
			return err
		}
		d := newReportDiff(prev, count, now)
		d.narrowed = own
		for l, err := range tx.Licenses(ctx, "") {
			if err != nil {
				return err
			}
			d.license(&l)
		}
		for o, err := range reportOrgs(ctx, tx) {
			if err != nil {
				return err
			}
			d.org(o)
		}
		if err := d.deletedOrgs(ctx, tx); err != nil {
			return err
		}
		d.licenseChanges()
		rep.Since, rep.Changes = prev.At, d.sorted()
		if q.DryRun {
			return nil
		}
		rep.Saved = true
		return tx.PutReportState(ctx, key, d.next)
	}
	if q.DryRun {
		err = c.asAdmin(ctx, run)
	} else {
		err = c.asAdminUpdate(ctx, run)
	}
	if err != nil {
		return ChangeReport{}, err
	}
	for _, ch := range rep.Changes {
		if hasKind(q.FailOn, ch.Kind) {
			rep.GateMatches++
		}
	}
	return rep, nil
}

// reportKey is where a run keeps the state of the report name. Members,
// admins and owners who see every org share name. A scoped teammate's run
// sees only their orgs: compared with the shared state it would list the
// orgs they can't see as deleted (telling them those exist), and the state
// it saved would lack them (so the next unscoped run lists them as
// appeared again). So a scoped teammate's report is their own, kept under
// name + "/" + their email: '/' is in no report name (checkReportName), so
// the key is no name anyone can type, and the first '/' ends the name, so
// two teammates' keys never meet. (Not a NUL separator: PostgreSQL text
// can't hold one.) Each scoped teammate has their own "since last run",
// whatever the others run; if their scope is lifted they share name again.
func reportKey(tx store.Tx, name, actor string) (key string, own bool) {
	if _, scoped := tx.(*scopedTx); scoped {
		return name + "/" + actor, true
	}
	return name, false
}

// reportOrgs lists the orgs a report covers: every live customer org the
// actor sees, whatever its link status (a tenant accepting or rejecting its
// connect request is a link_status_changed row). It is the one place that
// decides, so narrowing a report (to a scoped teammate's orgs) is the
// filter of the scoped store; licenses follow the orgs it lists. An org
// that leaves the list is reported as deleted (with its tombstone's
// deletion time when it was deleted), unless it left a scoped teammate's
// view (see reportDiff.narrowed).
func reportOrgs(ctx context.Context, tx store.Tx) iter.Seq2[*domain.Org, error] {
	return tx.Orgs(ctx, store.OrgQuery{Links: domain.LinkStatuses})
}
