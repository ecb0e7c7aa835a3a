package store

import (
	"strings"
	"testing"
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
