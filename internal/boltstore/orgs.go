package boltstore

import (
	"bytes"
	"encoding/binary"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// nameKey orders orgs by case-insensitive name, then by creation sequence,
// which is the id order: the default sort of `orgs list`.
func nameKey(name string, seq uint64) []byte {
	k := make([]byte, 0, len(name)+9)
	k = append(k, strings.ToLower(name)...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

func refKey(ref string) []byte { return []byte(strings.ToLower(ref)) }

func (t *tx) Org(id string) (domain.Org, error) {
	var o domain.Org
	return o, getJSON(t.b(bucketOrgs), []byte(id), &o)
}

func (t *tx) OrgIDByRef(ref string) (string, error) {
	if ref == "" {
		return "", store.ErrNotFound
	}
	id := t.b(bucketOrgRefs).Get(refKey(ref))
	if id == nil {
		return "", store.ErrNotFound
	}
	return string(id), nil
}

func (t *tx) OrgIDsByName(name string) ([]string, error) {
	prefix := append([]byte(strings.ToLower(name)), 0)
	var ids []string
	c := t.b(bucketOrgNames).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
		ids = append(ids, string(v))
	}
	return ids, nil
}

func (t *tx) PutOrg(o domain.Org) error {
	orgs := t.b(bucketOrgs)
	prev, err := t.Org(o.ID)
	existed := err == nil
	if err != nil && err != store.ErrNotFound {
		return err
	}
	if existed && prev.Live() && !prev.Admin {
		if err := t.unindex(prev); err != nil {
			return err
		}
	}
	if o.Live() && !o.Admin {
		if err := t.index(o); err != nil {
			return err
		}
	}
	wasCounted := existed && prev.Live() && !prev.Admin
	isCounted := o.Live() && !o.Admin
	if wasCounted != isCounted {
		delta := int64(1)
		if wasCounted {
			delta = -1
		}
		if err := t.addOrgCount(delta); err != nil {
			return err
		}
	}
	return putJSON(orgs, []byte(o.ID), o)
}

func (t *tx) index(o domain.Org) error {
	if err := t.b(bucketOrgNames).Put(nameKey(o.Name, o.Seq), []byte(o.ID)); err != nil {
		return err
	}
	if o.RefID != "" {
		return t.b(bucketOrgRefs).Put(refKey(o.RefID), []byte(o.ID))
	}
	return nil
}

func (t *tx) unindex(o domain.Org) error {
	if err := t.b(bucketOrgNames).Delete(nameKey(o.Name, o.Seq)); err != nil {
		return err
	}
	if o.RefID != "" {
		return t.b(bucketOrgRefs).Delete(refKey(o.RefID))
	}
	return nil
}

func (t *tx) addOrgCount(delta int64) error {
	n, _ := t.CountOrgs()
	return t.b(bucketMeta).Put(keyOrgCount, u64(uint64(int64(n)+delta)))
}

func (t *tx) CountOrgs() (int, error) {
	raw := t.b(bucketMeta).Get(keyOrgCount)
	if len(raw) != 8 {
		return 0, nil
	}
	return int(binary.BigEndian.Uint64(raw)), nil
}

func (t *tx) ForEachOrg(skip int, fn func(o *domain.Org) bool) error {
	orgs := t.b(bucketOrgs)
	c := t.b(bucketOrgNames).Cursor()
	for k, id := c.First(); k != nil; k, id = c.Next() {
		if skip > 0 {
			skip--
			continue
		}
		var o domain.Org
		if err := getJSON(orgs, id, &o); err != nil {
			return err
		}
		if !fn(&o) {
			return nil
		}
	}
	return nil
}
