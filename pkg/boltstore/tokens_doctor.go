package boltstore

import (
	"encoding/binary"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// Index invariants of the token-bearing records and licenses: every token
// hash in an index points at a record, an invitation's current token is
// indexed, and the by-org license index agrees with the licenses.
func init() {
	invariants = append(invariants,
		Invariant{"link tokens", checkLinkHashes},
		Invariant{"invitation tokens", checkInviteHashes},
		Invariant{"license index", checkLicenseIndex},
	)
}

func checkLinkHashes(c *CheckContext) {
	ids := c.Tx.Bucket(bucketLinkIDs)
	_ = c.Tx.Bucket(bucketLinkHash).ForEach(func(k, v []byte) error {
		if ids.Get(v) == nil {
			c.Problemf("link token index: a hash points at %s, which does not exist", v)
		}
		return nil
	})
}

func checkInviteHashes(c *CheckContext) {
	hashes := c.Tx.Bucket(bucketInvHash)
	_ = c.Tx.Bucket(bucketInvites).ForEach(func(k, v []byte) error {
		var i domain.Invite
		if err := jsonUnmarshal(v, &i); err != nil {
			return nil // checkRecordIDs reports it
		}
		if hashes.Get([]byte(i.TokenHash)) == nil {
			c.Problemf("invitation %s: its current token is not indexed", i.ID)
		}
		return nil
	})
	ids := c.Tx.Bucket(bucketInvIDs)
	_ = hashes.ForEach(func(k, v []byte) error {
		if ids.Get(v) == nil {
			c.Problemf("invitation token index: a hash points at %s, which does not exist", v)
		}
		return nil
	})
}

func checkLicenseIndex(c *CheckContext) {
	licenses := c.Tx.Bucket(bucketLicenses)
	_ = licenses.ForEach(func(k, v []byte) error {
		var l domain.License
		if err := jsonUnmarshal(v, &l); err != nil {
			return nil // checkRecordIDs reports it
		}
		if l.OrgID != "" && c.Tx.Bucket(bucketLicOrgs).Get(licenseOrgKey(l.OrgID, l.Seq)) == nil {
			c.Problemf("license %s: missing from the by-org index", l.ID)
		}
		return nil
	})
	_ = c.Tx.Bucket(bucketLicOrgs).ForEach(func(k, _ []byte) error {
		orgID, seq, _ := strings.Cut(string(k), "\x00")
		var l domain.License
		if len(seq) != 8 {
			c.Problemf("license index: malformed key %q", k)
			return nil
		}
		key := []byte(seq)
		if err := getJSON(licenses, key, &l); err != nil || l.OrgID != orgID {
			c.Problemf("license index: license #%d is listed under org %s but is not assigned to it", binary.BigEndian.Uint64(key), orgID)
		}
		return nil
	})
}
