package store

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// ConnectTx stores the requests that ask tenants to link to the partner,
// and finds them by token hash as InviteTx does invitations.
type ConnectTx interface {
	// ConnectRequestByTokenHash finds the request whose token hashes to
	// hash, or returns ErrNotFound for a hash never issued.
	ConnectRequestByTokenHash(ctx context.Context, hash string) (domain.ConnectRequest, error)
	// PutConnectRequest creates or replaces a request (by ID); its
	// TokenHash never changes.
	PutConnectRequest(ctx context.Context, r domain.ConnectRequest) error
	// ConnectRequests lists requests in Seq order, of one org when
	// orgID != "".
	ConnectRequests(ctx context.Context, orgID string) iter.Seq2[domain.ConnectRequest, error]
}
