package console

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// LicenseView is a license with its computed status.
type LicenseView struct {
	domain.License
	OrgName string
	Status  domain.LicenseStatus
	Reason  string // why inactive; "" when active
}

func licenseView(ctx context.Context, tx store.Tx, l *domain.License, now time.Time) (LicenseView, error) {
	v := LicenseView{License: *l}
	v.Status, v.Reason = l.StatusAt(now)
	if l.OrgID != "" {
		o, err := tx.Org(ctx, l.OrgID)
		if err != nil {
			return v, err
		}
		v.OrgName = o.Name
	}
	return v, nil
}

// IssueParams are the inputs of `licenses issue`.
type IssueParams struct {
	Start, End string // YYYY-MM-DD or RFC 3339
	Org        string // optional
	Number     string // optional; L-000001 style by default
}

// IssueLicense creates a license, optionally assigned to an org.
func (c *Console) IssueLicense(ctx context.Context, p IssueParams) (LicenseView, error) {
	var v LicenseView
	start, err := ParseDate("start", p.Start)
	if err != nil {
		return v, err
	}
	end, err := ParseDate("end", p.End)
	if err != nil {
		return v, err
	}
	if end.Before(start) {
		return v, fail.Fieldf(fail.Usage, "{end} %s is before {start} %s", end.Format(time.DateOnly), start.Format(time.DateOnly))
	}
	number := strings.TrimSpace(p.Number)
	if len(number) > 64 || strings.ContainsAny(number, " \t\r\n") {
		return v, fail.Fieldf(fail.Usage, "invalid {number} %q: at most 64 characters, no spaces", p.Number)
	}
	if err := checkNameText("number", number); err != nil {
		return v, err
	}
	err = c.asRoleUpdate(ctx, domain.RoleAdmin, "issue licenses", func(tx store.Tx, actor string) error {
		seq, err := tx.NextSeq(ctx, "license")
		if err != nil {
			return err
		}
		if number == "" {
			number = fmt.Sprintf("L-%06d", seq)
		}
		if _, err := licenseByRef(ctx, tx, number); err == nil {
			return fail.Conflictf("license number %q is already used", number)
		}
		now := c.Now()
		l := domain.License{ID: licenseID(seq), Seq: seq, Number: number, Start: start, End: end, CreatedAt: now}
		detail := fmt.Sprintf("%s to %s", start.Format(time.DateOnly), end.Format(time.DateOnly))
		var org *domain.Org
		if p.Org != "" {
			o, err := resolveOrg(ctx, tx, p.Org)
			if err != nil {
				return err
			}
			l.OrgID, org = o.ID, &o
			detail += " for " + o.Name + " (" + o.ID + ")"
		}
		if err := c.recordLicense(ctx, tx, &l, actor, "issued", detail, org); err != nil {
			return err
		}
		v, err = licenseView(ctx, tx, &l, now)
		return err
	})
	return v, err
}

// recordLicense appends a history entry, saves the license and audits it.
func (c *Console) recordLicense(ctx context.Context, tx store.Tx, l *domain.License, actor, action, detail string, org *domain.Org) error {
	l.History = append(l.History, domain.LicenseChange{At: c.Now(), Actor: actor, Action: action, Detail: detail})
	if err := tx.PutLicense(ctx, *l); err != nil {
		return err
	}
	if org == nil && l.OrgID != "" {
		if o, err := tx.Org(ctx, l.OrgID); err == nil {
			org = &o
		}
	}
	return c.audit(ctx, tx, actor, "license."+action, org, l.ID+" ("+l.Number+"): "+detail)
}

// licenseByRef finds a license by id or number (any case).
func licenseByRef(ctx context.Context, tx store.Tx, ref string) (domain.License, error) {
	ref = strings.TrimSpace(ref)
	if l, err := tx.License(ctx, ref); err == nil {
		return l, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return l, err
	}
	for l, err := range tx.Licenses(ctx, "") {
		if err != nil || strings.EqualFold(l.Number, ref) {
			return l, err
		}
	}
	return domain.License{}, fail.NotFoundf("no license %q (not a license id or number)", ref)
}

// changeLicense loads a license, lets change alter it and describe the
// change, then records it.
func (c *Console) changeLicense(ctx context.Context, ref, action string, change func(tx store.Tx, l *domain.License) (string, *domain.Org, error)) (LicenseView, error) {
	var v LicenseView
	what := map[string]string{"assigned": "assign licenses", "renewed": "renew licenses", "deactivated": "deactivate licenses"}[action]
	err := c.asRoleUpdate(ctx, domain.RoleAdmin, what, func(tx store.Tx, actor string) error {
		l, err := licenseByRef(ctx, tx, ref)
		if err != nil {
			return err
		}
		detail, org, err := change(tx, &l)
		if err != nil {
			return err
		}
		if err := c.recordLicense(ctx, tx, &l, actor, action, detail, org); err != nil {
			return err
		}
		v, err = licenseView(ctx, tx, &l, c.Now())
		return err
	})
	return v, err
}

// AssignLicense gives a license to an org. A license another live org
// holds is not moved: that takes AssignLicenseTo with Move.
func (c *Console) AssignLicense(ctx context.Context, ref, org string) (LicenseView, error) {
	a, err := c.AssignLicenseTo(ctx, AssignParams{License: ref, Org: org})
	return a.LicenseView, err
}

// AssignParams are the inputs of `licenses assign`.
type AssignParams struct {
	License, Org string
	// Move lets the license leave another live org that holds it.
	Move bool
	// From, when set with Move, is the id of the org the caller agreed to
	// take it from: if another org holds it by then, nothing is moved.
	From string
}

// Assignment is a license just assigned, and the org it left (if any).
type Assignment struct {
	LicenseView
	// FromID and FromName name the live org the license was moved from;
	// "" when it was unassigned (or its org deleted).
	FromID, FromName string
}

// AssignLicenseTo gives a license to an org. When another live org holds it
// the license moves only with p.Move; without it the result is a Conflict
// (code CodeLicenseHeld) with FromID and FromName naming the holder, and
// nothing changes. Audited as license.assigned, with the org it left.
func (c *Console) AssignLicenseTo(ctx context.Context, p AssignParams) (Assignment, error) {
	var out Assignment
	v, err := c.changeLicense(ctx, p.License, "assigned", func(tx store.Tx, l *domain.License) (string, *domain.Org, error) {
		out = Assignment{}
		o, err := resolveOrg(ctx, tx, p.Org)
		if err != nil {
			return "", nil, err
		}
		if l.OrgID == o.ID {
			return "", nil, fail.Conflictf("license %s is already assigned to %s", l.ID, o.Name)
		}
		detail := "to " + o.Name + " (" + o.ID + ")"
		if l.OrgID != "" {
			prev, err := tx.Org(ctx, l.OrgID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return "", nil, err
			}
			if err == nil && prev.Live() {
				out.FromID, out.FromName = prev.ID, prev.Name
				if !p.Move || (p.From != "" && p.From != prev.ID) {
					return "", nil, fail.Conflictf("license %s (%s) belongs to %s (%s)", l.ID, l.Number, prev.Name, prev.ID).
						WithCode(fail.CodeLicenseHeld, l.Number, o.Name)
				}
			}
			if err == nil {
				detail += ", from " + prev.Name + " (" + prev.ID + ")"
			}
		}
		l.OrgID = o.ID
		return detail, &o, nil
	})
	out.LicenseView = v
	return out, err
}

// RenewLicense moves the end date. A renewal is a payment, so it lifts an
// unpaid deactivation; any other deactivation stays.
func (c *Console) RenewLicense(ctx context.Context, ref, end string) (LicenseView, error) {
	newEnd, err := ParseDate("end", end)
	if err != nil {
		return LicenseView{}, err
	}
	return c.changeLicense(ctx, ref, "renewed", func(tx store.Tx, l *domain.License) (string, *domain.Org, error) {
		if newEnd.Before(l.Start) {
			return "", nil, fail.Fieldf(fail.Usage, "{end} %s is before the license's start %s", newEnd.Format(time.DateOnly), l.Start.Format(time.DateOnly))
		}
		detail := fmt.Sprintf("end %s → %s", l.End.Format(time.DateOnly), newEnd.Format(time.DateOnly))
		l.End = newEnd
		if l.Unpaid {
			l.Deactivated, l.Unpaid, l.Note = nil, false, ""
			detail += ", payment received: reactivated"
		}
		return detail, nil, nil
	})
}

// DeactivateLicense switches a license off. The reason "unpaid" marks it as
// inactive for non-payment (lifted by a renewal); any other reason makes it
// "deactivated".
func (c *Console) DeactivateLicense(ctx context.Context, ref, reason string) (LicenseView, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 200 || strings.ContainsAny(reason, "\r\n\t") {
		return LicenseView{}, fail.Fieldf(fail.Usage, "{reason} is required: one line, e.g. unpaid or \"customer churned\"")
	}
	if err := checkLineText("reason", reason); err != nil {
		return LicenseView{}, err
	}
	return c.changeLicense(ctx, ref, "deactivated", func(tx store.Tx, l *domain.License) (string, *domain.Org, error) {
		if l.Deactivated != nil {
			return "", nil, fail.Conflictf("license %s is already deactivated", l.ID)
		}
		now := c.Now()
		l.Deactivated, l.Note = &now, reason
		l.Unpaid = strings.EqualFold(reason, domain.ReasonUnpaid)
		return "reason: " + reason, nil, nil
	})
}

// LicenseQuery filters `licenses list`.
type LicenseQuery struct {
	Status         string // "", active, inactive
	ExpiringWithin int    // days; -1 = no filter. Active licenses ending within this many days.
	Org            string
}

// ListLicenses lists licenses in issue order.
func (c *Console) ListLicenses(ctx context.Context, q LicenseQuery) ([]LicenseView, error) {
	switch q.Status {
	case "", string(domain.LicenseActive), string(domain.LicenseInactive):
	default:
		return nil, fail.Fieldf(fail.Usage, "invalid {status} %q: want active or inactive", q.Status)
	}
	var out []LicenseView
	err := c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		orgID := ""
		if q.Org != "" {
			o, err := resolveOrg(ctx, tx, q.Org)
			if err != nil {
				return err
			}
			orgID = o.ID
		}
		now := c.Now()
		horizon := domain.Day(now).AddDate(0, 0, q.ExpiringWithin)
		out = nil
		for l, err := range tx.Licenses(ctx, orgID) {
			if err != nil {
				return err
			}
			v, err := licenseView(ctx, tx, &l, now)
			if err != nil {
				return err
			}
			if q.Status != "" && string(v.Status) != q.Status {
				continue
			}
			if q.ExpiringWithin >= 0 && (v.Status != domain.LicenseActive || l.End.After(horizon)) {
				continue
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// ShowLicense returns one license with its history.
func (c *Console) ShowLicense(ctx context.Context, ref string) (LicenseView, error) {
	var v LicenseView
	err := c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		l, err := licenseByRef(ctx, tx, ref)
		if err != nil {
			return err
		}
		v, err = licenseView(ctx, tx, &l, c.Now())
		return err
	})
	return v, err
}

// License statuses of an org.
const (
	OrgLicenseActive = "active"
	OrgLicenseNone   = "none"
)
