package console

import (
	"context"
	"errors"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// resolveMemberOrg is resolveOrg for a user outside the admin org: it looks
// only among the live customer orgs where actor holds a membership, in
// resolveOrg's order (id, then ref ID, then name). Whether an org they are
// not in exists, or shares a name, must not show: every such miss is
// store.ErrNotFound, which the caller turns into the one permission error
// strangers get. A name shared by several of their own orgs is ambiguous
// among those only.
func resolveMemberOrg(ctx context.Context, tx store.Tx, arg, actor string) (domain.Org, error) {
	key := strings.TrimSpace(arg)
	if key == "" {
		return domain.Org{}, fail.Usagef("an org is required (id, ref ID or name)")
	}
	mine := func(id string) (domain.Org, bool, error) {
		o, err := tx.Org(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return o, false, nil
		} else if err != nil {
			return o, false, err
		}
		if !o.Live() || o.Admin {
			return o, false, nil
		}
		_, member, err := membershipOf(ctx, tx, o.ID, actor)
		return o, member, err
	}
	if o, ok, err := mine(key); ok || err != nil {
		return o, err
	}
	if id, err := tx.OrgIDByRef(ctx, key); err == nil {
		if o, ok, err := mine(id); ok || err != nil {
			return o, err
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return domain.Org{}, err
	}
	ids, err := tx.OrgIDsByName(ctx, key)
	if err != nil {
		return domain.Org{}, err
	}
	var found []domain.Org
	for _, id := range ids {
		o, ok, err := mine(id)
		if err != nil {
			return o, err
		}
		if ok {
			found = append(found, o)
		}
	}
	switch len(found) {
	case 0:
		return domain.Org{}, store.ErrNotFound
	case 1:
		return found[0], nil
	}
	labels := make([]string, len(found))
	for i, o := range found {
		labels[i] = o.ID
		if o.RefID != "" {
			labels[i] += " ref " + o.RefID
		}
	}
	return domain.Org{}, fail.Usagef("%d of your orgs are named %q: %s", len(found), key, strings.Join(labels, ", ")).
		WithHint("name the org by its id or ref ID")
}
