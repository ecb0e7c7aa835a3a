package store

import "github.com/partnerctl/partnerctl/pkg/domain"

// InviteTx stores invitations and finds them by token hash.
type InviteTx interface {
	// Invite returns ErrNotFound for an unknown id.
	Invite(id string) (domain.Invite, error)
	// PutInvite saves an invite and indexes its current token hash; hashes
	// of earlier tokens keep pointing at it.
	PutInvite(i domain.Invite) error
	// InviteIDByHash returns ErrNotFound for a hash never issued.
	InviteIDByHash(hash string) (string, error)
	// ForEachInvite visits invites in id order; fn returns false to stop.
	ForEachInvite(fn func(i *domain.Invite) bool) error
}
