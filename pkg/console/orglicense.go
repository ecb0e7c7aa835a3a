package console

import (
	"context"
	"fmt"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Seed 001: "A chatbot built on an account with an inactive license will not
// respond to messages." The health status stays as SPEC §4 computes it;
// --explain says what a missing license means.
const noLicenseEffect = "the org's chatbots do not respond to messages"

// orgLicenseSummary is what an org's licenses say: whether one is active,
// and else which inactive one tells most (the one that ends last).
type orgLicenseSummary struct {
	active bool
	last   *licenseBrief
}

// licenseBrief is what a reason quotes of a license.
type licenseBrief struct {
	number, reason string
	seq            uint64
	start, end     time.Time
}

func (s *orgLicenseSummary) add(l *domain.License, now time.Time) {
	st, reason := l.StatusAt(now)
	if st == domain.LicenseActive {
		s.active = true
		return
	}
	if s.last == nil || l.End.After(s.last.end) || (l.End.Equal(s.last.end) && l.Seq > s.last.seq) {
		s.last = &licenseBrief{number: l.Number, reason: reason, seq: l.Seq, start: l.Start, end: l.End}
	}
}

// status is the org's license_status and license_reason; a nil summary is
// an org without licenses.
func (s *orgLicenseSummary) status(now time.Time) (string, string) {
	if s == nil {
		return OrgLicenseNone, noLicenseReason(nil)
	}
	if s.active {
		return OrgLicenseActive, ""
	}
	return OrgLicenseNone, noLicenseReason(s.last)
}

// noLicenseReason explains an org without an active license, quoting the
// inactive license l when it has one.
func noLicenseReason(l *licenseBrief) string {
	if l == nil {
		return "no active license (none assigned): " + noLicenseEffect
	}
	var why string
	switch l.reason {
	case domain.ReasonExpired:
		why = "expired on " + l.end.Format(time.DateOnly)
	case domain.ReasonNotStarted:
		why = "starts on " + l.start.Format(time.DateOnly)
	case domain.ReasonUnpaid:
		why = "deactivated as unpaid"
	default:
		why = "deactivated"
	}
	return fmt.Sprintf("no active license (%s %s): %s", l.number, why, noLicenseEffect)
}

// orgLicenses summarises every org's licenses at now, by org id, in one
// pass over the licenses.
func orgLicenses(ctx context.Context, tx store.Tx, now time.Time) (map[string]*orgLicenseSummary, error) {
	out := map[string]*orgLicenseSummary{}
	for l, err := range tx.Licenses(ctx, "") {
		if err != nil {
			return nil, err
		}
		if l.OrgID == "" {
			continue
		}
		s := out[l.OrgID]
		if s == nil {
			s = &orgLicenseSummary{}
			out[l.OrgID] = s
		}
		s.add(&l, now)
	}
	return out, nil
}
