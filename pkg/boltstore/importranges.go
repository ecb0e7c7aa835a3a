package boltstore

import "github.com/partnerctl/partnerctl/pkg/store"

var _ store.ImportRanges = (*Store)(nil)

// orgsPerImport is how many of the store's orgs one range of a large events
// import covers (a store of four ranges' orgs or more, see pkg/ingest). A
// transaction holds its orgs, memberships and devices until it commits, and
// the commit rewrites every page they sit on. Into a million orgs
// (bench/README.md, section 8), 10M events: one pass 93 s and 1.97 GB; 4
// ranges 65 s, 804 MB; 16 ranges 60 s, 791 MB (the planning read's peak).
// A day's 100k events: one pass 3.7 s and 1 GB; 4 ranges 2.7 s, 364 MB;
// 16 ranges 2.6 s, 243 MB.
const orgsPerImport = 62_500

// OrgsPerImport implements store.ImportRanges.
func (s *Store) OrgsPerImport() int { return orgsPerImport }
