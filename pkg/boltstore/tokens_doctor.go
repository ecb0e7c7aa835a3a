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

// Index invariants of tenants: every shortcode is indexed once, and every
// connect request is found by its token hash.
func init() {
	invariants = append(invariants,
		Invariant{"org shortcode index", checkShortcodeIndex},
		Invariant{"connect request tokens", checkConnectHashes},
	)
}

func checkShortcodeIndex(c *CheckContext) {
	idx := c.Tx.Bucket(bucketOrgCodes)
	_ = idx.ForEach(func(k, v []byte) error {
		id := string(v)
		o, ok := c.Orgs[id]
		switch {
		case !ok:
			c.Problemf("shortcode index: %q points at org %s, which does not exist", k, id)
		case !liveCustomer(o):
			c.Problemf("shortcode index: %q points at org %s, which is deleted or the admin org", k, id)
		case o.Tenant.Shortcode != string(k):
			c.Problemf("shortcode index: %q points at org %s, whose shortcode is %q", k, id, o.Tenant.Shortcode)
		}
		return nil
	})
	for _, id := range sortedIDs(c.Orgs) {
		o := c.Orgs[id]
		if liveCustomer(o) && o.Tenant.Shortcode != "" && string(idx.Get([]byte(o.Tenant.Shortcode))) != id {
			c.Problemf("shortcode index: org %s (shortcode %q) is not indexed by shortcode", id, o.Tenant.Shortcode)
		}
	}
}

func checkConnectHashes(c *CheckContext) {
	hashes := c.Tx.Bucket(bucketConnHash)
	_ = c.Tx.Bucket(bucketConns).ForEach(func(k, v []byte) error {
		var r domain.ConnectRequest
		if err := jsonUnmarshal(v, &r); err != nil {
			return nil // checkRecordIDs reports it
		}
		if string(hashes.Get([]byte(r.TokenHash))) != r.ID {
			c.Problemf("connect request %s: its token is not indexed", r.ID)
		}
		return nil
	})
	ids := c.Tx.Bucket(bucketConnIDs)
	_ = hashes.ForEach(func(k, v []byte) error {
		if ids.Get(v) == nil {
			c.Problemf("connect request token index: a hash points at %s, which does not exist", v)
		}
		return nil
	})
}
