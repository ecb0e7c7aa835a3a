package store

import (
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

func TestSearchAgreesWithFold(t *testing.T) {
	hays := []string{"", "Acme", "ACME Corp", "xacmex", "acm", "Bäckerei", "BÄCKEREI", "\u212Aelvin", "İstanbul", "ſtar", "a\xffcme", "aacme"}
	needles := []string{"a", "acme", "cme c", "ä", "kelvin", "k", "i̇", "st", "s", "zz", "aacme", "e", "ACME", "Ä"}
	for _, h := range hays {
		for _, n := range needles {
			s := NewSearch(n)
			want := strings.Contains(strings.ToLower(h), strings.ToLower(n))
			if got := s.Match([]byte(h), nil); got != want {
				t.Errorf("NewSearch(%q).Match(%q) = %v, want %v", n, h, got, want)
			}
			if got := s.MatchString("", h); got != want {
				t.Errorf("NewSearch(%q).MatchString(ref %q) = %v, want %v", n, h, got, want)
			}
		}
	}
}

func TestSearchMatchesShortcodes(t *testing.T) {
	o := &domain.Org{Name: "Harbor Dental", RefID: "CUST-7", Tenant: domain.Tenant{Shortcode: "HBD7"}}
	for needle, want := range map[string]bool{"hbd": true, "HBD7": true, "d7": true, "cust": true, "dental": true, "hbd8": false, "": true} {
		if got := NewSearch(needle).MatchOrg(o); got != want {
			t.Errorf("MatchOrg(%q) = %v, want %v", needle, got, want)
		}
	}
	// no fields at all: only the empty search matches
	if NewSearch("a").Match() || !NewSearch("").Match() {
		t.Error("Match without fields")
	}
}

// A search over every org's fields allocates nothing per field, found or
// not, however long (the fields are bbolt's bytes, read in place; a copy of
// a field over 32 bytes goes to the heap).
func TestSearchMatchAllocatesNothing(t *testing.T) {
	s := NewSearch("acme")
	name, ref := []byte("Northwind Insurance and Reinsurance Holdings 000002"), []byte("NORTHWIND-000002")
	found := []byte("Acme Dental 000003")
	if n := testing.AllocsPerRun(100, func() {
		if s.Match(name, ref, nil) || !s.Match(found, nil, nil) {
			t.Fatal("wrong answer")
		}
	}); n != 0 {
		t.Errorf("Match allocates %v times a call", n)
	}
}
