package orgs

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/runtimetune"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
)

func newCmdStats(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.Paged(&cobra.Command{
		Use:   "stats",
		Short: "Connected orgs by status and by onboarding month, sessions in 30 days",
		Long: `A snapshot for reporting: connected orgs, the count per status, orgs
onboarded per month over the last 12 months, and sessions in the last 30 days,
all of connected orgs only; then the tenants that are not connected (pending
or rejected link). Bar charts on a terminal; metric/key/value rows in plain,
CSV and JSON output.`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			runtimetune.ForScan(true) // one pass over the orgs, counting: nothing is held
			s, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) (console.Stats, error) { return c.Stats(ctx) })
			if err != nil {
				return err
			}
			switch {
			case o.Format == output.FormatJSON:
				return output.PrintJSON(f.IO.Out, s, o)
			case o.Terminal() && len(o.Fields) == 0:
				printStatsCharts(f.IO.Out, s, output.Style{Color: o.Color})
				return nil
			}
			return output.PrintList(f.IO.Out, views.Stats, views.StatRows(s), o)
		},
	})
}

const barWidth = 30

func printStatsCharts(w io.Writer, s console.Stats, st output.Style) {
	fmt.Fprintf(w, "%s %d    %s %d\n", st.Bold("Connected orgs:"), s.Connected, st.Bold("Sessions (30d):"), s.Sessions30d)
	if s.Pending+s.Rejected > 0 {
		fmt.Fprintf(w, "%s %d pending, %d rejected\n", st.Bold("Not connected:"), s.Pending, s.Rejected)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Bold("By status"))
	most := 0
	for _, c := range s.ByStatus {
		most = max(most, c.Orgs)
	}
	for _, c := range s.ByStatus {
		label := fmt.Sprintf("%-18s", "● "+c.Status.Label())
		fmt.Fprintf(w, "  %s %s %d\n", views.PaintStatus(c.Status, st, label), bar(c.Orgs, most, st), c.Orgs)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Bold("Onboarded per month"))
	most = 0
	for _, m := range s.Onboarded {
		most = max(most, m.Orgs)
	}
	for _, m := range s.Onboarded {
		fmt.Fprintf(w, "  %-8s %s %d\n", m.Month, bar(m.Orgs, most, st), m.Orgs)
	}
}

func bar(n, most int, st output.Style) string {
	if most == 0 {
		return ""
	}
	cells := n * barWidth / most
	if n > 0 && cells == 0 {
		cells = 1
	}
	return st.Blue(strings.Repeat("█", cells))
}
