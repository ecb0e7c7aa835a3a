package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Records are made the way the console makes them: sequences from NextSeq,
// ids formatted from them (which stop sorting like numbers past 999,999).

func orgID(seq uint64) string     { return fmt.Sprintf("org_%06d", seq) }
func linkID(seq uint64) string    { return fmt.Sprintf("lnk_%06d", seq) }
func inviteID(seq uint64) string  { return fmt.Sprintf("inv_%06d", seq) }
func licenseID(seq uint64) string { return fmt.Sprintf("lic_%06d", seq) }

// putNewOrg creates a live customer org with the next org sequence.
func putNewOrg(t testing.TB, ctx context.Context, tx store.Tx, name, ref string) domain.Org {
	t.Helper()
	seq, err := tx.NextSeq(ctx, "org")
	must(t, err)
	o := domain.Org{ID: orgID(seq), Seq: seq, Name: name, RefID: ref, CreatedAt: at(int(seq))}
	must(t, tx.PutOrg(ctx, o))
	return o
}

// putAdmin creates the partner and its admin org, as init does.
func putAdmin(t testing.TB, ctx context.Context, tx store.Tx, name, ref string) (domain.Partner, domain.Org) {
	t.Helper()
	seq, err := tx.NextSeq(ctx, "org")
	must(t, err)
	admin := domain.Org{ID: orgID(seq), Seq: seq, Name: name, RefID: ref, Admin: true, CreatedAt: at(0)}
	must(t, tx.PutOrg(ctx, admin))
	p := domain.Partner{ID: "prt_1", Name: "Acme Partners", SupportEmail: "help@acme.example",
		LoginBaseURL: "https://login.acme.example/magic", CreatedAt: at(0), AdminOrgID: admin.ID}
	must(t, tx.PutPartner(ctx, p))
	must(t, tx.PutMembership(ctx, domain.Membership{OrgID: admin.ID, Email: "owner@acme.example", Role: domain.RoleOwner,
		LoginMethod: domain.LoginAny, JoinedAt: at(0)}))
	return p, admin
}

func getOrg(t testing.TB, ctx context.Context, tx store.Tx, id string) domain.Org {
	t.Helper()
	o, err := tx.Org(ctx, id)
	must(t, err)
	return o
}

func newLink(t testing.TB, ctx context.Context, tx store.Tx, orgID, hash string) domain.Link {
	t.Helper()
	seq, err := tx.NextSeq(ctx, "link")
	must(t, err)
	l := domain.Link{ID: linkID(seq), Seq: seq, OrgID: orgID, Email: "owner@example.com", TokenHash: hash,
		CreatedBy: "admin@acme.example", Reason: "support", CreatedAt: at(int(seq)), ExpiresAt: at(int(seq) + 15)}
	must(t, tx.PutLink(ctx, l))
	return l
}

func newInvite(t testing.TB, ctx context.Context, tx store.Tx, orgID, email, hash string) domain.Invite {
	t.Helper()
	seq, err := tx.NextSeq(ctx, "invite")
	must(t, err)
	i := domain.Invite{ID: inviteID(seq), Seq: seq, OrgID: orgID, Email: email, Role: domain.RoleMember,
		LoginMethod: domain.LoginAny, TokenHash: hash, CreatedBy: "admin@acme.example",
		CreatedAt: at(int(seq)), ExpiresAt: at(int(seq)).Add(domain.InviteValidity)}
	must(t, tx.PutInvite(ctx, i))
	return i
}

func newLicense(t testing.TB, ctx context.Context, tx store.Tx, orgID string) domain.License {
	t.Helper()
	seq, err := tx.NextSeq(ctx, "license")
	must(t, err)
	l := domain.License{ID: licenseID(seq), Seq: seq, Number: fmt.Sprintf("LIC-%d", seq), OrgID: orgID,
		Start: domain.Day(at(0)), End: domain.Day(at(0)).AddDate(1, 0, 0), CreatedAt: at(int(seq)),
		History: []domain.LicenseChange{{At: at(int(seq)), Actor: "admin@acme.example", Action: "issued", Detail: "1 year"}}}
	must(t, tx.PutLicense(ctx, l))
	return l
}

// hashOf is a stand-in for a token hash: what matters to a store is that
// it is an opaque string.
func hashOf(s string) string { return fmt.Sprintf("%064x", []byte(s)) }
