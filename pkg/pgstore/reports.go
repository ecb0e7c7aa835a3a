package pgstore

import (
	"context"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// A report's state is one bytea value (store.EncodeReportState): it is read
// and written whole, once a run.

func (t *pgTx) ReportState(ctx context.Context, name string) (domain.ReportState, error) {
	var raw []byte
	if err := t.queryOne(ctx, "SELECT state FROM report_states WHERE name = $1", []any{name}, &raw); err != nil {
		return domain.ReportState{}, err
	}
	return store.DecodeReportState(raw)
}

func (t *pgTx) PutReportState(ctx context.Context, name string, s domain.ReportState) error {
	if err := t.writable(); err != nil {
		return err
	}
	raw, err := store.EncodeReportState(nil, s)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO report_states (name, state) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state`, name, raw)
	return err
}
