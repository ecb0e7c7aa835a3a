package boltstore

import (
	"context"
	"fmt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// A report's state is one value of the reports bucket, keyed by the report's
// name and replaced whole on every run: bbolt reuses the freed pages, so the
// file does not grow from run to run.

func (t *boltTx) ReportState(_ context.Context, name string) (domain.ReportState, error) {
	raw := t.b(bucketReports).Get([]byte(name))
	if raw == nil {
		return domain.ReportState{}, store.ErrNotFound
	}
	s, err := store.DecodeReportState(raw)
	if err != nil {
		return s, fmt.Errorf("report %q: %w", name, err)
	}
	return s, nil
}

func (t *boltTx) PutReportState(_ context.Context, name string, s domain.ReportState) error {
	raw, err := store.EncodeReportState(nil, s)
	if err != nil {
		return err
	}
	return t.b(bucketReports).Put([]byte(name), raw)
}

func init() { invariants = append(invariants, Invariant{"report states", checkReportStates}) }

// checkReportStates: every saved report state decodes.
func checkReportStates(c *CheckContext) {
	_ = c.Tx.Bucket(bucketReports).ForEach(func(k, v []byte) error {
		if _, err := store.DecodeReportState(v); err != nil {
			c.Problemf("report %q: %v", k, err)
		}
		return nil
	})
}
