package console

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/health"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// OrgView is an org as the console shows it: its record plus what is
// computed at read time.
type OrgView struct {
	domain.Org
	Verdict     health.Verdict
	Sessions30d int
	// LicenseStatus is "active" when the org holds an active license, else "none".
	LicenseStatus string
	// LicenseReason says why an org has no active license (and what that
	// means for it); "" when it has one.
	LicenseReason string
}

// Status is the org's health status.
func (v OrgView) Status() health.Status { return v.Verdict.Status }

func viewOf(o *domain.Org, now time.Time) OrgView {
	return OrgView{Org: *o, Verdict: health.Evaluate(o, now), Sessions30d: o.SessionsLast30Days(now),
		LicenseStatus: OrgLicenseNone, LicenseReason: noLicenseReason(nil)}
}

// viewWithLicense is viewOf plus the org's license status, read through the
// store's by-org license index.
func viewWithLicense(ctx context.Context, tx store.Tx, o *domain.Org, now time.Time) (OrgView, error) {
	v := viewOf(o, now)
	var s orgLicenseSummary
	for l, err := range tx.Licenses(ctx, o.ID) {
		if err != nil {
			return v, err
		}
		s.add(&l, now)
	}
	v.LicenseStatus, v.LicenseReason = s.status(now)
	return v, nil
}

const maxNameLength = 200

func newOrg(ctx context.Context, tx store.Tx, name, ref string, now time.Time) (domain.Org, error) {
	seq, err := tx.NextSeq(ctx, "org")
	if err != nil {
		return domain.Org{}, err
	}
	return domain.Org{ID: orgID(seq), Seq: seq, Name: name, RefID: ref, CreatedAt: now, LinkStatus: domain.LinkAccepted}, nil
}

// checkOrgName validates a name for create, update and import.
func checkOrgName(name string) (string, error) {
	n := strings.TrimSpace(name)
	if n == "" {
		return "", fail.Usagef("org name must not be empty")
	}
	if len(n) > maxNameLength || strings.ContainsAny(n, "\r\n\t\x00") {
		return "", fail.Usagef("org name %.40q must be one line of at most %d bytes without tabs", n, maxNameLength)
	}
	if !printable(n) {
		return "", fail.Usagef("org name %.40q must be valid UTF-8 without control characters", n)
	}
	if invisible(n) {
		return "", fail.Usagef("org name %.40q must not contain invisible characters (zero-width, bidi controls)", n)
	}
	return n, nil
}

// checkRef validates a ref ID: optional, printable, no spaces.
func checkRef(ref string) (string, error) {
	r := strings.TrimSpace(ref)
	if len(r) > 100 || strings.ContainsAny(r, " \r\n\t\x00,") {
		return "", fail.Usagef("ref ID %.40q must be at most 100 bytes with no spaces or commas", r)
	}
	if !printable(r) {
		return "", fail.Usagef("ref ID %.40q must be valid UTF-8 without control characters", r)
	}
	if invisible(r) {
		return "", fail.Usagef("ref ID %.40q must not contain invisible characters (zero-width, bidi controls)", r)
	}
	return r, nil
}

// refTaken fails when a live org other than selfID already uses ref.
func refTaken(ctx context.Context, tx store.Tx, ref, selfID string) error {
	if ref == "" {
		return nil
	}
	// Refs are unique among every org, also those a scoped teammate can't
	// see: the check reads them all, and names only an org they see.
	id, err := unscoped(tx).OrgIDByRef(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if id != selfID {
		other, err := tx.Org(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return refConflict(ref, "", id)
		}
		return refConflict(ref, other.Name, id)
	}
	return nil
}

// refConflict names the org using ref, or, when the actor's scope hides it
// (name ""), only says another org does.
func refConflict(ref, name, id string) error {
	if name == "" {
		return fail.Conflictf("ref ID %q is already used by another org", ref)
	}
	return fail.Conflictf("ref ID %q is already used by %s (%s)", ref, name, id)
}

// refsTaken is refTaken for many new refs, in a few store calls however
// many there are (an import of 100,000 orgs would otherwise ask the store
// 100,000 times): LiveOrgIDs finds the live org each ref names, by ref or by
// id; one named only because the ref is its id is checked on its own. Like
// refTaken it sees every org, and names only those the actor sees.
func refsTaken(ctx context.Context, tx store.Tx, refs []string) ([]error, error) {
	out := make([]error, len(refs))
	keys, at := make([]string, 0, len(refs)), make([]int, 0, len(refs))
	for i, r := range refs {
		if r != "" {
			keys, at = append(keys, r), append(at, i)
		}
	}
	if len(keys) == 0 {
		return out, nil
	}
	all := unscoped(tx)
	ids, err := all.LiveOrgIDs(ctx, keys)
	if err != nil {
		return nil, err
	}
	var named []string
	for _, id := range ids {
		if id != "" {
			named = append(named, id)
		}
	}
	orgs, err := all.OrgsByID(ctx, named)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*domain.Org, len(orgs))
	for i := range orgs {
		byID[orgs[i].ID] = &orgs[i]
	}
	for k, id := range ids {
		if id == "" {
			continue
		}
		if o := byID[id]; o != nil && store.Fold(o.RefID) == store.Fold(keys[k]) {
			name := o.Name
			if s, scoped := tx.(*scopedTx); scoped && !s.vis.sees(o.ID) {
				name = ""
			}
			out[at[k]] = refConflict(keys[k], name, o.ID)
			continue
		}
		if out[at[k]] = refTaken(ctx, tx, keys[k], ""); out[at[k]] != nil && !fail.Is(out[at[k]], fail.Conflict) {
			return nil, out[at[k]]
		}
	}
	return out, nil
}

// CreateOrg creates a customer org.
func (c *Console) CreateOrg(ctx context.Context, name, ref string) (OrgView, error) {
	v, _, err := c.CreateOrgWithOwner(ctx, name, ref, "")
	return v, err
}

// CreateOrgWithOwner creates a customer org and, when owner is set, the
// invitation of its first owner, in one transaction.
func (c *Console) CreateOrgWithOwner(ctx context.Context, name, ref, owner string) (OrgView, *NewInvite, error) {
	return c.CreateOrgWith(ctx, CreateOrgParams{Name: name, Ref: ref, Owner: owner})
}

// CreateOrgParams are the inputs of `orgs create`.
type CreateOrgParams struct {
	Name, Ref string
	// Owner, when set, is invited as the org's first owner.
	Owner string
	// Tenant holds the optional tenant details.
	Tenant domain.Tenant
}

// CreateOrgWith creates a customer org (connected: the partner made it)
// with its tenant details and, when p.Owner is set, the invitation of its
// first owner, in one transaction.
func (c *Console) CreateOrgWith(ctx context.Context, p CreateOrgParams) (OrgView, *NewInvite, error) {
	var v OrgView
	var inv *NewInvite
	name, err := checkOrgName(p.Name)
	if err != nil {
		return v, nil, err
	}
	ref, err := checkRef(p.Ref)
	if err != nil {
		return v, nil, err
	}
	tenant := p.Tenant
	if err := checkTenant(&tenant); err != nil {
		return v, nil, err
	}
	owner := p.Owner
	if owner != "" {
		if owner, err = domain.ParseEmail(owner); err != nil {
			return v, nil, err
		}
	}
	err = c.asAdminUpdate(ctx, func(tx store.Tx, actor string) error {
		if err := refTaken(ctx, tx, ref, ""); err != nil {
			return err
		}
		if err := shortcodeTaken(ctx, tx, tenant.Shortcode, ""); err != nil {
			return err
		}
		o, err := newOrg(ctx, tx, name, ref, c.Now())
		if err != nil {
			return err
		}
		o.Tenant = tenant
		if err := tx.PutOrg(ctx, o); err != nil {
			return err
		}
		if err := addToScope(ctx, tx, actor, o.ID); err != nil {
			return err
		}
		v = viewOf(&o, c.Now())
		if err := c.audit(ctx, tx, actor, "org.created", &o, ""); err != nil {
			return err
		}
		inv = nil
		if owner != "" {
			created, err := c.createInvite(ctx, tx, actor, &o, owner, domain.RoleOwner, domain.LoginAny, true)
			if err != nil {
				return err
			}
			inv = &created
		}
		return nil
	})
	return v, inv, err
}

// ShowOrg shows one org.
func (c *Console) ShowOrg(ctx context.Context, arg string) (OrgView, error) {
	var v OrgView
	err := c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		o, err := resolveOrg(ctx, tx, arg)
		if err != nil {
			return err
		}
		v, err = viewWithLicense(ctx, tx, &o, c.Now())
		return err
	})
	return v, err
}

// OrgChanges names the fields `orgs update` sets; nil leaves one as is, and
// an empty Ref (or tenant detail) clears it.
type OrgChanges struct {
	Name, Ref *string
	Tenant    TenantChanges
}

// UpdateOrg renames an org or changes its ref or tenant details. The id
// never changes.
func (c *Console) UpdateOrg(ctx context.Context, arg string, ch OrgChanges) (OrgView, error) {
	var v OrgView
	if ch.Name == nil && ch.Ref == nil && ch.Tenant.empty() {
		return v, fail.Usagef("nothing to update").WithCode(fail.CodeNothingToUpdate)
	}
	err := c.asAdminUpdate(ctx, func(tx store.Tx, actor string) error {
		o, err := resolveOrg(ctx, tx, arg)
		if err != nil {
			return err
		}
		var changed []string
		if ch.Name != nil {
			name, err := checkOrgName(*ch.Name)
			if err != nil {
				return err
			}
			if name != o.Name {
				o.Name = name
				changed = append(changed, "name")
			}
		}
		if ch.Ref != nil {
			ref, err := checkRef(*ch.Ref)
			if err != nil {
				return err
			}
			if err := refTaken(ctx, tx, ref, o.ID); err != nil {
				return err
			}
			if ref != o.RefID {
				o.RefID = ref
				changed = append(changed, "ref_id")
			}
		}
		details, err := ch.Tenant.apply(&o.Tenant)
		if err != nil {
			return err
		}
		if err := shortcodeTaken(ctx, tx, o.Tenant.Shortcode, o.ID); err != nil {
			return err
		}
		changed = append(changed, details...)
		if len(changed) > 0 {
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
			if err := c.audit(ctx, tx, actor, "org.updated", &o, strings.Join(changed, ",")); err != nil {
				return err
			}
		}
		v, err = viewWithLicense(ctx, tx, &o, c.Now())
		return err
	})
	return v, err
}

// DeleteOrg deletes an org: it leaves every list and count, and its links and
// invites stop working. Its record stays as a tombstone so those can say why.
func (c *Console) DeleteOrg(ctx context.Context, arg string) (OrgView, error) {
	var v OrgView
	err := c.asRoleUpdate(ctx, domain.RoleAdmin, "delete orgs", func(tx store.Tx, actor string) error {
		o, err := resolveOrg(ctx, tx, arg)
		if err != nil {
			return err
		}
		now := c.Now()
		o.DeletedAt = &now
		if err := tx.PutOrg(ctx, o); err != nil {
			return err
		}
		v = viewOf(&o, now)
		return c.audit(ctx, tx, actor, "org.deleted", &o, "")
	})
	return v, err
}

// resolveOrg finds a live customer org (of any link status) by id, ref ID,
// company shortcode, or exact name (case-insensitive), in that order.
// Several orgs of that name is a usage error listing them.
func resolveOrg(ctx context.Context, tx store.Tx, arg string) (domain.Org, error) {
	key := strings.TrimSpace(arg)
	if key == "" {
		return domain.Org{}, fail.Usagef("an org is required (id, ref ID or name)")
	}
	if o, err := tx.Org(ctx, key); err == nil && o.Live() && !o.Admin {
		return o, nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return o, err
	}
	if id, err := tx.OrgIDByRef(ctx, key); err == nil {
		return tx.Org(ctx, id)
	} else if !errors.Is(err, store.ErrNotFound) {
		return domain.Org{}, err
	}
	if id, err := orgIDByShortcode(ctx, tx, key); err == nil {
		return tx.Org(ctx, id)
	} else if !errors.Is(err, store.ErrNotFound) {
		return domain.Org{}, err
	}
	ids, err := tx.OrgIDsByName(ctx, key)
	if err != nil {
		return domain.Org{}, err
	}
	switch len(ids) {
	case 0:
		return domain.Org{}, fail.NotFoundf("no org %q (not an id, ref ID or name of a connected org)", key).
			WithCode(fail.CodeUnknownOrg, key)
	case 1:
		return tx.Org(ctx, ids[0])
	}
	var names []string
	for _, id := range ids {
		o, err := tx.Org(ctx, id)
		if err != nil {
			return o, err
		}
		label := o.ID
		if o.RefID != "" {
			label += " ref " + o.RefID
		}
		names = append(names, label)
	}
	return domain.Org{}, fail.Usagef("%d orgs are named %q: %s", len(ids), key, strings.Join(names, ", ")).
		WithHint("name the org by its id or ref ID")
}

// orgIDByShortcode finds an org by shortcode, any case: shortcodes are
// upper-case, so what could be one is looked up upper-cased.
func orgIDByShortcode(ctx context.Context, tx store.Tx, key string) (string, error) {
	code, err := domain.ParseShortcode(strings.ToUpper(key))
	if err != nil {
		return "", store.ErrNotFound
	}
	return tx.OrgIDByShortcode(ctx, code)
}
