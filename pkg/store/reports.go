package store

import (
	"context"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// ReportTx keeps, per report name, the state the report saw on its last
// run (see domain.ReportState). Names are independent: saving one never
// changes another.
type ReportTx interface {
	// ReportState returns the state last saved under name exactly as it
	// was given to PutReportState (Orgs and Licenses in the same order,
	// times to the nanosecond in UTC, an empty list as nil), or
	// ErrNotFound when none was. Names are compared exactly.
	ReportState(ctx context.Context, name string) (domain.ReportState, error)
	// PutReportState replaces the state saved under name; nothing of the
	// earlier one is kept, so the space a report takes follows its orgs,
	// not its runs. EncodeReportState and DecodeReportState turn a state
	// into one compact value (about 400 KB at 100,000 orgs) and back, for
	// a backend that keeps it whole: bbolt in a bucket keyed by name, a
	// database in a bytea column. Reset removes every report's state.
	PutReportState(ctx context.Context, name string, s domain.ReportState) error
}
