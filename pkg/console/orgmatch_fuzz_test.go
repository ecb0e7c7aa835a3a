package console

import (
	"slices"
	"testing"
)

// FuzzOrgIndex: the index behind the interactive console's search keeps
// exactly the orgs the per-org matcher (which ListOrgs's test pins) keeps.
func FuzzOrgIndex(f *testing.F) {
	f.Add("Acme Bakery", "ACME-1", "Straße", "", "acme")
	f.Add("KELVIN", "k-1", "İstanbul", "IST", "k")
	f.Add("a", "b", "ab", "ba", "a\x00b")
	f.Add("Société", "ÉCOLE", "x", "y", "é")
	f.Add("ab", "", "", "", "b\x00")
	f.Fuzz(func(t *testing.T, name1, ref1, name2, ref2, search string) {
		orgs := []OrgView{{}, {}, {}}
		orgs[0].Name, orgs[0].RefID = name1, ref1
		orgs[1].Name, orgs[1].RefID = name2, ref2
		orgs[2].Name, orgs[2].RefID = name1+name2, ref2+ref1
		q := OrgQuery{Search: search}
		match := q.Matcher()
		var want []int32
		for i := range orgs {
			if match(&orgs[i]) {
				want = append(want, int32(i))
			}
		}
		if got := NewOrgIndex(orgs).Filter(q, nil); !slices.Equal(got, want) {
			t.Fatalf("search %q over %q/%q, %q/%q: index %v, matcher %v", search, name1, ref1, name2, ref2, got, want)
		}
	})
}
