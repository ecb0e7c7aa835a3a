package views

import (
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// StatRow is one figure of `orgs stats` in table and CSV form: the metric,
// an optional key within it (a status, a month) and the value.
type StatRow struct {
	Metric string
	Key    string
	Value  int
}

// StatRows flattens stats into rows, in the order the JSON lists them.
func StatRows(s console.Stats) []StatRow {
	rows := []StatRow{{"connected", "", s.Connected}}
	for _, c := range s.ByStatus {
		rows = append(rows, StatRow{"status", string(c.Status), c.Orgs})
	}
	for _, m := range s.Onboarded {
		rows = append(rows, StatRow{"onboarded", m.Month, m.Orgs})
	}
	return append(rows, StatRow{"sessions_30d", "", s.Sessions30d},
		StatRow{"not_connected", "pending", s.Pending}, StatRow{"not_connected", "rejected", s.Rejected})
}

// Stats is the table of `orgs stats` off a terminal.
var Stats = output.Table[StatRow]{
	Columns: []output.Column[StatRow]{
		{Key: "metric", Header: "METRIC", Value: func(r *StatRow) any { return r.Metric }},
		{Key: "key", Header: "KEY", Value: func(r *StatRow) any { return nullable(r.Key) }},
		{Key: "value", Header: "VALUE", Value: func(r *StatRow) any { return r.Value }},
	},
	Default: []string{"metric", "key", "value"},
	Noun:    "figures",
}
