package console

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// FuzzParseOrgCSV: the CSV importer never panics; it either rejects the
// input with line errors or returns rows whose names and refs are clean,
// one-line, printable UTF-8.
func FuzzParseOrgCSV(f *testing.F) {
	for _, s := range []string{
		"name,ref_id\nAcme,A-1\n",
		"ref_id,name,owner_email\nA-1,Acme,o@acme.example\n",
		"\ufeffname,ref_id\n\"Smith, Jones and \"\"Co\"\"\",SJ\n",
		"name,ref_id\n\"Multi\nLine\",R\n",
		"name,ref_id\n\"unterminated,R\n",
		"name\n\"a\"b\n",
		"a,b,c,d\n",
		"name,bogus\nx,y\n",
		"name,ref_id,shortcode,language,contact_email,enterprise_name,customer_name,address,logo_url\nA,R,AB1,pt-br,a@b.example,E,C,\"1 Main St, X\",https://a.example/l.png\n",
		"name;ref_id\nA;R\n",
		"\xff\xfe,\x00\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, bad := ParseOrgCSV(bytes.NewReader(data))
		if bad != nil {
			if rows != nil || bad.Count == 0 || len(bad.Lines) == 0 || len(bad.Lines) > fail.MaxReportedLineErrors {
				t.Fatalf("rejected with rows=%v count=%d lines=%d", rows, bad.Count, len(bad.Lines))
			}
			for _, l := range bad.Lines {
				if l.Line < 1 || strings.Contains(l.String(), "\n") {
					t.Fatalf("bad line error %q", l.String())
				}
			}
			return
		}
		for _, r := range rows.All() {
			tn := r.Tenant
			for _, s := range []string{r.Name, r.RefID, r.OwnerEmail, tn.EnterpriseName, tn.CustomerName, tn.ContactEmail,
				tn.Shortcode, tn.Address, tn.Language, tn.LogoURL} {
				if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n\t\x00\x1b") || s != strings.TrimSpace(s) {
					t.Fatalf("row %d: unclean value %q", r.Line, s)
				}
			}
			if tn.Shortcode != "" {
				if code, err := domain.ParseShortcode(tn.Shortcode); err != nil || code != tn.Shortcode {
					t.Fatalf("row %d: shortcode %q", r.Line, tn.Shortcode)
				}
			}
			if tn.Language != "" {
				if lang, err := domain.ParseLanguage(tn.Language); err != nil || lang != tn.Language {
					t.Fatalf("row %d: language %q is not canonical BCP 47", r.Line, tn.Language)
				}
			}
			if r.Name == "" || r.Line < 1 {
				t.Fatalf("row without a name or line: %+v", r)
			}
		}
	})
}

// FuzzResolveOrg: resolving any argument against a small store never
// panics; it finds a live customer org (never the admin org or a deleted
// one) or fails with a usage or not-found error.
func FuzzResolveOrg(f *testing.F) {
	st := fuzzStore(f)
	for _, s := range []string{"org_000002", "CUST-1", "cust-1", "Acme", "acme", "Twin", "org_000001", "HQ",
		"org_000005", "Gone", "G-1", "", "  ", "\x00", "org_", "\xff", "Acme\x00", strings.Repeat("a", 300),
		"ACME1", "acme1", "PND", "GONE", "HQ1", "Pend"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		err := st.View(ctx, func(tx store.Tx) error {
			o, err := resolveOrg(ctx, tx, arg)
			if err != nil {
				return err
			}
			if !o.Live() || o.Admin || o.ID == "" {
				t.Fatalf("resolveOrg(%q) = %+v: not a live customer org", arg, o)
			}
			return nil
		})
		if err != nil && !fail.Is(err, fail.Usage) && !fail.Is(err, fail.NotFound) {
			t.Fatalf("resolveOrg(%q): %v (kind %d)", arg, err, fail.KindOf(err))
		}
	})
}

// fuzzStore is a store with an admin org (shortcode HQ1), Acme (ref
// CUST-1, shortcode ACME1), two orgs named Twin, a deleted org Gone (ref
// G-1, shortcode GONE) and a pending tenant Pend (ref P-1, shortcode PND).
func fuzzStore(tb testing.TB) *boltstore.Store {
	st, err := boltstore.Open(boltstore.Options{Path: filepath.Join(tb.TempDir(), "p.db"), Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	now := clock.Fixed(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))()
	err = st.Update(ctx, func(tx store.Tx) error {
		for _, spec := range []struct {
			name, ref string
			admin     bool
			deleted   bool
			code      string
			link      domain.LinkStatus
		}{{"HQ", "", true, false, "HQ1", ""}, {"Acme", "CUST-1", false, false, "ACME1", ""}, {"Twin", "T-1", false, false, "", ""},
			{"Twin", "", false, false, "", ""}, {"Gone", "G-1", false, true, "GONE", ""}, {"Pend", "P-1", false, false, "PND", domain.LinkPending}} {
			o, err := newOrg(ctx, tx, spec.name, spec.ref, now)
			if err != nil {
				return err
			}
			o.Tenant.Shortcode = spec.code
			if spec.link != "" {
				o.LinkStatus = spec.link
			}
			o.Admin = spec.admin
			if spec.deleted {
				o.DeletedAt = &now
			}
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		return tx.PutPartner(ctx, domain.Partner{ID: "ptr_1", Name: "P", AdminOrgID: "org_000001"})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func TestResolveOrgKinds(t *testing.T) {
	st := fuzzStore(t)
	for arg, want := range map[string]string{
		"org_000002": "org_000002", "cust-1": "org_000002", " acme ": "org_000002", "T-1": "org_000003",
		"org_000001": "not found", "HQ": "not found", "Gone": "not found", "G-1": "not found", "org_000005": "not found",
		"Twin": "usage", "": "usage",
		"ACME1": "org_000002", "acme1": "org_000002", "PND": "org_000006", "Pend": "org_000006", "P-1": "org_000006",
		"GONE": "not found", "HQ1": "not found",
	} {
		_ = st.View(ctx, func(tx store.Tx) error {
			o, err := resolveOrg(ctx, tx, arg)
			got := o.ID
			switch {
			case fail.Is(err, fail.NotFound):
				got = "not found"
			case fail.Is(err, fail.Usage):
				got = "usage"
			case err != nil:
				got = err.Error()
			}
			if got != want {
				t.Errorf("resolveOrg(%q) = %s, want %s", arg, got, want)
			}
			return nil
		})
	}
}
