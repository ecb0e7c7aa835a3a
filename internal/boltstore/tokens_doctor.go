package boltstore

import (
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// Invariants of the token-bearing records: links and invitations point at
// orgs that exist, and every token hash in an index points at a record.
func init() {
	invariants = append(invariants,
		Invariant{"links", checkLinks},
		Invariant{"invitations", checkInvites},
		Invariant{"licenses", checkLicenses},
		Invariant{"license index", checkLicenseIndex},
	)
}

func checkLinks(c *CheckContext) {
	ids := map[string]bool{}
	_ = c.Tx.Bucket(bucketLinks).ForEach(func(k, v []byte) error {
		var l domain.Link
		if err := jsonUnmarshal(v, &l); err != nil {
			c.Problemf("link %q: record does not decode: %v", k, err)
			return nil
		}
		ids[l.ID] = true
		if !c.OrgExists(l.OrgID) {
			c.Problemf("link %s: org %s does not exist", l.ID, l.OrgID)
		}
		return nil
	})
	_ = c.Tx.Bucket(bucketLinkHash).ForEach(func(k, v []byte) error {
		if !ids[string(v)] {
			c.Problemf("link token index: a hash points at %s, which does not exist", v)
		}
		return nil
	})
}

func checkInvites(c *CheckContext) {
	ids := map[string]bool{}
	_ = c.Tx.Bucket(bucketInvites).ForEach(func(k, v []byte) error {
		var i domain.Invite
		if err := jsonUnmarshal(v, &i); err != nil {
			c.Problemf("invitation %q: record does not decode: %v", k, err)
			return nil
		}
		ids[i.ID] = true
		if !c.OrgExists(i.OrgID) {
			c.Problemf("invitation %s: org %s does not exist", i.ID, i.OrgID)
		}
		if c.Tx.Bucket(bucketInvHash).Get([]byte(i.TokenHash)) == nil {
			c.Problemf("invitation %s: its current token is not indexed", i.ID)
		}
		return nil
	})
	_ = c.Tx.Bucket(bucketInvHash).ForEach(func(k, v []byte) error {
		if !ids[string(v)] {
			c.Problemf("invitation token index: a hash points at %s, which does not exist", v)
		}
		return nil
	})
}

func checkLicenses(c *CheckContext) {
	_ = c.Tx.Bucket(bucketLicenses).ForEach(func(k, v []byte) error {
		var l domain.License
		if err := jsonUnmarshal(v, &l); err != nil {
			c.Problemf("license %q: record does not decode: %v", k, err)
			return nil
		}
		if l.OrgID != "" && !c.OrgExists(l.OrgID) {
			c.Problemf("license %s: org %s does not exist", l.ID, l.OrgID)
		}
		if l.OrgID != "" && c.Tx.Bucket(bucketLicOrgs).Get(licenseOrgKey(l.OrgID, l.ID)) == nil {
			c.Problemf("license %s: missing from the by-org index", l.ID)
		}
		if l.End.Before(l.Start) {
			c.Problemf("license %s: ends %s before it starts %s", l.ID, l.End.Format("2006-01-02"), l.Start.Format("2006-01-02"))
		}
		return nil
	})
}

func checkLicenseIndex(c *CheckContext) {
	licenses := c.Tx.Bucket(bucketLicenses)
	_ = c.Tx.Bucket(bucketLicOrgs).ForEach(func(k, _ []byte) error {
		orgID, id, _ := strings.Cut(string(k), "\x00")
		var l domain.License
		if err := getJSON(licenses, []byte(id), &l); err != nil || l.OrgID != orgID {
			c.Problemf("license index: %s is listed under org %s but is not assigned to it", id, orgID)
		}
		return nil
	})
}
