package store

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// InviteTx stores invitations and finds them by token hash.
type InviteTx interface {
	// Invite returns ErrNotFound for an unknown id.
	Invite(ctx context.Context, id string) (domain.Invite, error)
	// InviteByTokenHash finds the invite that this hash was issued for,
	// also when a later token replaced it; ErrNotFound for a hash never issued.
	InviteByTokenHash(ctx context.Context, hash string) (domain.Invite, error)
	// PutInvite creates or replaces an invite; hashes of its earlier
	// tokens keep finding it.
	PutInvite(ctx context.Context, i domain.Invite) error
	// Invites lists invites in Seq order, of one org when orgID != "".
	Invites(ctx context.Context, orgID string) iter.Seq2[domain.Invite, error]
}
