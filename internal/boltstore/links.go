package boltstore

import (
	"strconv"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Links are keyed by their sequence number (big-endian), so they stay in
// creation order past any number of digits; link_hashes maps a token hash to
// the link id.

func linkKey(id string) ([]byte, bool) {
	digits, ok := strings.CutPrefix(id, "lnk_")
	if !ok {
		return nil, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || n == 0 {
		return nil, false
	}
	return u64(n), true
}

func (t *tx) Link(id string) (domain.Link, error) {
	var l domain.Link
	k, ok := linkKey(id)
	if !ok {
		return l, store.ErrNotFound
	}
	if err := getJSON(t.b(bucketLinks), k, &l); err != nil {
		return l, err
	}
	if l.ID != id { // lnk_01 and lnk_1 share a key; only the real id matches
		return domain.Link{}, store.ErrNotFound
	}
	return l, nil
}

func (t *tx) LinkIDByHash(hash string) (string, error) {
	id := t.b(bucketLinkHash).Get([]byte(hash))
	if id == nil {
		return "", store.ErrNotFound
	}
	return string(id), nil
}

func (t *tx) PutLink(l domain.Link) error {
	if err := putJSON(t.b(bucketLinks), u64(l.Seq), l); err != nil {
		return err
	}
	return t.b(bucketLinkHash).Put([]byte(l.TokenHash), []byte(l.ID))
}

func (t *tx) ForEachLink(fn func(l domain.Link) bool) error {
	c := t.b(bucketLinks).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var l domain.Link
		if err := jsonUnmarshal(v, &l); err != nil {
			return err
		}
		if !fn(l) {
			return nil
		}
	}
	return nil
}
