package domain

import (
	"testing"
	"time"
)

// A token expires when either clock reaches its expiry: the console's
// (pinned by PARTNERCTL_NOW) or the wall clock.
func TestTokensExpireByEitherClock(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	real0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	l := Link{ExpiresAt: t0.Add(15 * time.Minute), RealExpiresAt: real0.Add(15 * time.Minute)}
	i := Invite{ExpiresAt: t0.Add(InviteValidity), RealExpiresAt: real0.Add(InviteValidity)}
	cases := []struct {
		now, real time.Time
		expired   bool
	}{
		{t0.Add(time.Minute), real0.Add(time.Minute), false},
		{t0.Add(15 * time.Minute), real0, true},                                         // the console's clock alone
		{t0.Add(time.Minute), real0.Add(15 * time.Minute), true},                        // the real clock alone
		{t0.Add(-24 * time.Hour), real0.Add(16 * time.Minute), true},                    // pinned back: still expired
		{t0.Add(-24 * time.Hour * 365), real0.Add(15*time.Minute - time.Second), false}, // one real second left
	}
	for _, c := range cases {
		if got := l.State(c.now, c.real) == LinkExpired; got != c.expired {
			t.Errorf("link at %s / real %s: expired %v, want %v", c.now, c.real, got, c.expired)
		}
	}
	if i.State(t0, real0.Add(InviteValidity)) != InviteExpired || i.State(t0, real0.Add(InviteValidity-time.Second)) != InvitePending {
		t.Error("an invitation must expire 7 days after it was sent in real time")
	}
	// a link recorded before real expiries were kept: its expiry holds for both clocks
	old := Link{ExpiresAt: t0.Add(15 * time.Minute)}
	if old.State(t0, t0.Add(15*time.Minute)) != LinkExpired || old.State(t0, t0) != LinkActive {
		t.Error("a link without a real expiry must expire at ExpiresAt on the real clock too")
	}
}
