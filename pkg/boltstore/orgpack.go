package boltstore

import (
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var _ store.OrgPacker = (*boltTx)(nil)

// PackOrg is the record codec (see store.OrgPacker).
func (t *boltTx) PackOrg(dst []byte, o *domain.Org) []byte { return encodeOrg(dst, o) }

// UnpackOrg decodes what PackOrg packed.
func (t *boltTx) UnpackOrg(packed []byte, o *domain.Org) error { return decodeOrg(packed, o) }
