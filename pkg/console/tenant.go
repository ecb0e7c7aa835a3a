package console

import (
	"context"
	"errors"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Tenant details: seed 002's tenant columns and seed 001's account details.
// Every field is optional; an empty value clears it.

const (
	maxTenantName    = 200
	maxTenantAddress = 300
	maxURLLength     = 2048
)

// tenantField is one tenant detail: its field name (the JSON key, the CSV
// column, the CLI flag), where it lives, and its check.
type tenantField struct {
	name  string
	at    func(*domain.Tenant) *string
	check func(string) (string, error)
}

// tenantFields lists the details in the order shown and documented.
var tenantFields = []tenantField{
	{"enterprise_name", func(t *domain.Tenant) *string { return &t.EnterpriseName }, textCheck("enterprise_name", maxTenantName)},
	{"customer_name", func(t *domain.Tenant) *string { return &t.CustomerName }, textCheck("customer_name", maxTenantName)},
	{"contact_email", func(t *domain.Tenant) *string { return &t.ContactEmail }, checkContactEmail},
	{"shortcode", func(t *domain.Tenant) *string { return &t.Shortcode }, domain.ParseShortcode},
	{"address", func(t *domain.Tenant) *string { return &t.Address }, textCheck("address", maxTenantAddress)},
	{"language", func(t *domain.Tenant) *string { return &t.Language }, domain.ParseLanguage},
	{"logo_url", func(t *domain.Tenant) *string { return &t.LogoURL }, checkLogoURL},
}

// TenantFieldNames lists the tenant detail fields (JSON keys, CSV columns).
func TenantFieldNames() []string {
	names := make([]string, len(tenantFields))
	for i, f := range tenantFields {
		names[i] = f.name
	}
	return names
}

// textCheck checks a free-text detail: one line of at most max bytes, no
// control characters (it is printed in tables and CSV).
func textCheck(field string, max int) func(string) (string, error) {
	return func(s string) (string, error) {
		v := strings.TrimSpace(s)
		if len(v) > max || !printable(v) {
			return "", fail.Fieldf(fail.Usage, "{"+field+"} %.40q must be one line of at most %d bytes without control characters", v, max)
		}
		return v, nil
	}
}

func checkContactEmail(s string) (string, error) {
	e, err := domain.ParseEmail(s)
	if err != nil {
		return "", fail.Fieldf(fail.Usage, "invalid {contact_email} %q", s)
	}
	return e, nil
}

func checkLogoURL(s string) (string, error) {
	v := strings.TrimSpace(s)
	if len(v) > maxURLLength || !printable(v) {
		return "", fail.Fieldf(fail.Usage, "{logo_url} %.40q is not an http(s) URL", v)
	}
	return v, checkURL("logo_url", v)
}

// checkTenant checks every detail of t and normalises it in place; after
// an error, t is part normalised. In place, not by value: the setters take
// its address, and a copy on the heap for each row was a third of the
// bytes an orgs import of a million rows allocated while parsing.
func checkTenant(t *domain.Tenant) error {
	for _, f := range tenantFields {
		v := f.at(t)
		if strings.TrimSpace(*v) == "" {
			*v = ""
			continue
		}
		checked, err := f.check(*v)
		if err != nil {
			return err
		}
		*v = checked
	}
	return nil
}

// TenantChanges names the tenant details an update sets; nil leaves one as
// is and "" clears it.
type TenantChanges struct {
	EnterpriseName, CustomerName, ContactEmail, Shortcode, Address, Language, LogoURL *string
}

func (ch *TenantChanges) values() []*string {
	return []*string{ch.EnterpriseName, ch.CustomerName, ch.ContactEmail, ch.Shortcode, ch.Address, ch.Language, ch.LogoURL}
}

func (ch *TenantChanges) empty() bool {
	for _, v := range ch.values() {
		if v != nil {
			return false
		}
	}
	return true
}

// apply sets the changed details on t, checked, and returns the names of
// those that changed.
func (ch *TenantChanges) apply(t *domain.Tenant) ([]string, error) {
	var changed []string
	for i, v := range ch.values() {
		if v == nil {
			continue
		}
		f := tenantFields[i]
		next := ""
		if strings.TrimSpace(*v) != "" {
			checked, err := f.check(*v)
			if err != nil {
				return nil, err
			}
			next = checked
		}
		if cur := f.at(t); *cur != next {
			*cur = next
			changed = append(changed, f.name)
		}
	}
	return changed, nil
}

// shortcodeTaken fails when a live org other than selfID already uses code.
// Like refTaken it checks every org, also those a scoped teammate can't
// see, and names only an org they see.
func shortcodeTaken(ctx context.Context, tx store.Tx, code, selfID string) error {
	if code == "" {
		return nil
	}
	id, err := unscoped(tx).OrgIDByShortcode(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if id != selfID {
		other, err := tx.Org(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return fail.Fieldf(fail.Conflict, "{shortcode} %q is already used by another org", code)
		}
		return fail.Fieldf(fail.Conflict, "{shortcode} %q is already used by %s (%s)", code, other.Name, id)
	}
	return nil
}

// requireConnected refuses an action on an org that is not connected,
// saying why: a pending tenant has not accepted the partner's connect
// request, a rejected one turned it down.
func requireConnected(o *domain.Org, action string) error {
	switch o.Link() {
	case domain.LinkPending:
		return fail.Conflictf("org %s (%s) can't %s: it has not accepted the partner's connect request yet (link status pending)", o.Name, o.ID, action)
	case domain.LinkRejected:
		return fail.Conflictf("org %s (%s) can't %s: it rejected the partner's connect request (link status rejected)", o.Name, o.ID, action)
	}
	return nil
}

// ParseLinkStatuses reads `--link-status`: a comma-separated list of
// accepted, pending and rejected, or all. "" is nil: connected orgs only.
func ParseLinkStatuses(s string) ([]domain.LinkStatus, error) {
	var out []domain.LinkStatus
	for _, part := range strings.Split(s, ",") {
		p := strings.ToLower(strings.TrimSpace(part))
		switch {
		case p == "":
			continue
		case p == "all":
			out = append(out, domain.LinkStatuses...)
			continue
		}
		st := domain.LinkStatus(p)
		if !containsLink(domain.LinkStatuses, st) {
			return nil, fail.Fieldf(fail.Usage, "invalid {link_status} %q: want accepted, pending, rejected or all", part)
		}
		out = append(out, st)
	}
	var uniq []domain.LinkStatus
	for _, st := range out {
		if !containsLink(uniq, st) {
			uniq = append(uniq, st)
		}
	}
	return uniq, nil
}

func containsLink(list []domain.LinkStatus, s domain.LinkStatus) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
