package pgstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// stagedRows is how many rows make a bulk write go through COPY into a
// temporary table (then one statement from it) rather than one statement
// with its rows in arrays: the arrays are one message that the client
// builds in memory, COPY streams the rows in 64 KB messages.
var stagedRows = 2000

// stageColumn is a column of a staging table.
type stageColumn struct{ name, typ string }

// stage copies n rows into a new temporary table (dropped at the commit)
// and returns its name. row fills vals, which is reused, for row i.
func (t *pgTx) stage(ctx context.Context, cols []stageColumn, n int, row func(i int, vals []any)) (string, error) {
	t.stages++
	name := fmt.Sprintf("partnerctl_stage_%d", t.stages)
	defs, names := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		defs[i], names[i] = c.name+" "+c.typ, c.name
	}
	if _, err := t.tx.Exec(ctx, "CREATE TEMP TABLE "+name+" ("+strings.Join(defs, ", ")+") ON COMMIT DROP"); err != nil {
		return "", err
	}
	vals := make([]any, len(cols))
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		row(i, vals)
		i++
		return vals, nil
	})
	if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{name}, names, src); err != nil {
		return "", err
	}
	// The planner knows nothing of a fresh table: a row count makes it
	// choose hash joins for a big one.
	if _, err := t.tx.Exec(ctx, "ANALYZE "+name); err != nil {
		return "", err
	}
	return name, nil
}
