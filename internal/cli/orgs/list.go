package orgs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/runtimetune"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/health"
)

// DefaultTerminalPageSize is the page size of a table on a terminal.
const DefaultTerminalPageSize = 25

// ListOptions are the inputs of `orgs list`.
type ListOptions struct {
	F        *cmdutil.Factory
	Query    console.OrgQuery
	Statuses string
	FailOn   string
	All      bool
	// PagingSet is true when --page or --per-page was given.
	PagingSet bool
	// PerPageSet is true when --per-page was given.
	PerPageSet bool
	// Page is --page as given: a number from 1, or last.
	Page string
	// LinkStatus is --link-status as given.
	LinkStatus string
	// DevicesMin and DevicesMax are --devices-min and --devices-max, when given.
	DevicesMin, DevicesMax *int
}

// NewCmdList builds `orgs list`; runF replaces the run step in tests.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f}
	var devicesMin, devicesMax int
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List connected orgs with their health",
		Long: `List every connected customer org with its health status and usage counts.

Only connected orgs are listed (the partner made them, or the tenant accepted
the connect request); --link-status lists pending and rejected tenants too.
Search matches part of a name, ref ID or company shortcode, ignoring case.
--devices-min and --devices-max keep orgs whose devices_total is within them
(both included).

On a terminal the table pages (25 rows by default) and shows a header card and
a footer; off a terminal every match is printed, one TAB-separated line each,
unless --page or --per-page is given. --page last is the last page; a page
past the end (of any size) prints no rows, and on a terminal says how many
pages there are.

--fail-on turns the list into a health gate: it prints as usual, then
exits 7 if any listed org has one of the named statuses (or, for unlicensed,
has no active license).`,
		Example: `  partnerctl orgs list --search acme
  partnerctl orgs list --status inactive,setup-incomplete -o csv > attention.csv
  partnerctl orgs list --sort last-active --desc --per-page 10 --page last
  partnerctl orgs list --link-status pending,rejected --fields name,contact_email,link_status
  partnerctl orgs list --devices-min 50 --sort devices --desc
  partnerctl orgs list --fail-on inactive,unlicensed || notify-team   # cron health gate`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.PagingSet = cmd.Flags().Changed("page") || cmd.Flags().Changed("per-page")
			opts.PerPageSet = cmd.Flags().Changed("per-page")
			opts.DevicesMin, opts.DevicesMax = nil, nil
			if cmd.Flags().Changed("devices-min") {
				opts.DevicesMin = &devicesMin
			}
			if cmd.Flags().Changed("devices-max") {
				opts.DevicesMax = &devicesMax
			}
			if runF != nil {
				return runF(opts)
			}
			return runList(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Query.Search, "search", "s", "", "only orgs whose name, ref ID or shortcode contains this (any case)")
	fl.StringVar(&opts.Statuses, "status", "", "only these statuses: new, setup-incomplete, inactive, healthy (comma-separated)")
	fl.StringVar(&opts.Query.License, "license", "", "only orgs with an active license (active) or without one (none)")
	fl.StringVar(&opts.LinkStatus, "link-status", "", "only tenants with this link status: accepted, pending, rejected (comma-separated) or all (default accepted)")
	fl.IntVar(&devicesMin, "devices-min", 0, "only orgs with at least this many devices (devices_total)")
	fl.IntVar(&devicesMax, "devices-max", 0, "only orgs with at most this many devices (devices_total)")
	fl.StringVar(&opts.Query.Sort, "sort", console.SortName, "order: "+strings.Join(console.SortOrders, ", "))
	fl.BoolVar(&opts.Query.Desc, "desc", false, "reverse the order")
	fl.StringVar(&opts.Page, "page", "1", "page number from 1, or last")
	fl.IntVar(&opts.Query.PerPage, "per-page", 0, "rows per page: 10, 25, 50 or 100")
	fl.BoolVar(&opts.All, "all", false, "print every match, even on a terminal")
	fl.StringVar(&opts.FailOn, "fail-on", "", "exit 7 when a listed org has one of these statuses, or is unlicensed")
	cmdutil.FlagValueList(cmd, "status", health.Names...)
	cmdutil.FlagValueList(cmd, "fail-on", append(slices.Clone(health.Names), console.FailOnUnlicensed)...)
	cmdutil.FlagValueList(cmd, "link-status", "accepted", "pending", "rejected", "all")
	cmdutil.FlagValues(cmd, "license", console.OrgLicenseActive, console.OrgLicenseNone)
	cmdutil.FlagValues(cmd, "sort", console.SortOrders...)
	cmdutil.FlagValues(cmd, "per-page", cmdutil.PageSizes()...)
	cmdutil.FlagValues(cmd, "page", "last")
	return cmdutil.Paged(cmd)
}

// parsePage reads --page: a number from 1, or last. A number too large for
// an int is a page past the end, like any page past the last one.
func parsePage(s string) (int, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "last") {
		return console.PageLast, nil
	}
	n, err := strconv.Atoi(t)
	var ne *strconv.NumError
	if errors.As(err, &ne) && ne.Err == strconv.ErrRange && !strings.HasPrefix(t, "-") {
		return math.MaxInt, nil
	}
	if err != nil || n < 1 {
		return 0, fail.Usagef("invalid --page %q: want a page number from 1, or last", s)
	}
	return n, nil
}

func runList(opts *ListOptions) error {
	f := opts.F
	o, err := f.OutputOptions()
	if err != nil {
		return err
	}
	q := opts.Query
	if q.Statuses, err = health.ParseList("--status", opts.Statuses); err != nil {
		return err
	}
	if q.FailOn, q.FailOnUnlicensed, err = console.ParseFailOn(opts.FailOn); err != nil {
		return err
	}
	if q.Links, err = console.ParseLinkStatuses(opts.LinkStatus); err != nil {
		return err
	}
	q.DevicesMin, q.DevicesMax = opts.DevicesMin, opts.DevicesMax
	if q.Page, err = parsePage(opts.Page); err != nil {
		return err
	}
	if opts.PerPageSet && q.PerPage == 0 { // 0 means "every match" only inside the library
		return fail.Usagef("invalid --per-page 0: want 10, 25, 50 or 100")
	}
	switch {
	case opts.All && opts.PagingSet:
		return fail.Usagef("--all can't be combined with --page or --per-page")
	case opts.All:
		q.PerPage = 0
	case opts.PagingSet && q.PerPage == 0:
		q.PerPage = DefaultTerminalPageSize
	case !opts.PagingSet && o.Terminal():
		q.PerPage = DefaultTerminalPageSize
	}
	if !opts.PagingSet && !o.Terminal() {
		q.PerPage = 0
	}
	if opts.All || q.PerPage == 0 {
		q.Page = 1
	}
	if !o.Terminal() {
		return streamList(f, q, o)
	}
	// A table drawn on a terminal fits its columns to every row: the page
	// is read whole, the store released, then the card, table and footer
	// printed.
	type result struct {
		page    console.OrgPage
		partner console.PartnerView
	}
	res, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) (result, error) {
		page, err := c.ListOrgs(ctx, q)
		if err != nil {
			return result{page: page}, err
		}
		p, err := c.Partner(ctx)
		return result{page, p}, err
	})
	if err != nil {
		return err
	}
	printCard(f.IO.Out, res.partner, o)
	o.Empty = emptyList(opts, res.page)
	if err := output.PrintList(f.IO.Out, views.Orgs, res.page.Orgs, o); err != nil {
		return err
	}
	if len(res.page.Orgs) > 0 {
		fmt.Fprintln(f.IO.Out, footer(res.page))
	}
	return gate(res.page, q)
}

// streamList prints the list off a terminal: rows go from the store's
// cursor to stdout as they are read (see output.PrintRows), through a
// spool when stdout is a pipe, so the store is released once the list is
// read even when the pipe's reader takes it slowly.
func streamList(f *cmdutil.Factory, q console.OrgQuery, o output.Options) error {
	switch {
	case output.Streams(o) && !q.HoldsMatches():
		runtimetune.ForScan(q.PerPage == 0)
	case output.Streams(o):
		runtimetune.ForStream(q.PerPage == 0)
	}
	out, closeOut := f.IO.Out, func() error { return nil }
	if output.NeedsSpool(out) {
		spool := output.NewSpool(out, spoolMemory, "")
		out, closeOut = spool, spool.Close
	}
	page, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) (console.OrgPage, error) {
		return c.StreamOrgs(ctx, q, func(rows iter.Seq2[console.OrgView, error]) error {
			return output.PrintRows(out, views.Orgs, rows, o)
		})
	})
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return gate(page, q)
}

// spoolMemory is how much of a list waits for stdout in memory before the
// rest waits in a temporary file.
const spoolMemory = 8 << 20

// gate is --fail-on's verdict once the list is printed.
func gate(p console.OrgPage, q console.OrgQuery) error {
	if n := p.GateMatches; n > 0 {
		return &fail.Error{Kind: fail.HealthGate, Msg: fmt.Sprintf("health gate: %d listed org(s) %s", n, gateWhat(q))}
	}
	return nil
}

// gateWhat says what --fail-on looked for: "have status inactive or new",
// "have no active license", or both.
func gateWhat(q console.OrgQuery) string {
	var parts []string
	if len(q.FailOn) > 0 {
		names := make([]string, len(q.FailOn))
		for i, st := range q.FailOn {
			names[i] = strings.ReplaceAll(string(st), "_", "-")
		}
		parts = append(parts, "have status "+strings.Join(names, " or "))
	}
	if q.FailOnUnlicensed {
		parts = append(parts, "have no active license")
	}
	return strings.Join(parts, " or ")
}

// emptyList says why a terminal shows no orgs and what to run next.
func emptyList(opts *ListOptions, p console.OrgPage) string {
	switch {
	case p.Total == 0:
		return "No orgs yet; create one with `partnerctl orgs create --name NAME` or import a CSV with `partnerctl orgs import FILE`"
	case p.Matches > 0: // a page past the last (of any size: the console never overflows)
		pages := max(p.Pages, 1)
		return fmt.Sprintf("Page %d is past the last page (%d); try `partnerctl orgs list --page %d`", p.Page, pages, pages)
	}
	var filters []string
	if q := opts.Query.Search; q != "" {
		filters = append(filters, "--search "+cmdutil.ShellQuote(q))
	}
	if opts.Statuses != "" {
		filters = append(filters, "--status "+opts.Statuses)
	}
	if opts.Query.License != "" {
		filters = append(filters, "--license "+opts.Query.License)
	}
	return fmt.Sprintf("No orgs match %s (%d orgs in all); try `partnerctl orgs list` without it, or a shorter --search",
		strings.Join(filters, " "), p.Total)
}

// printCard is the console's header: who the partner is and how many orgs
// are connected in all.
func printCard(w io.Writer, p console.PartnerView, o output.Options) {
	st := output.Style{Color: o.Color}
	fmt.Fprintf(w, "%s · %s\n", st.Bold(output.SafeText(p.Name)), output.SafeText(p.SupportEmail))
	if p.LogoURL != "" {
		fmt.Fprintf(w, "Logo: %s\n", st.Gray(output.SafeText(p.LogoURL)))
	}
	fmt.Fprintf(w, "Connected orgs: %s\n\n", st.Bold(fmt.Sprint(p.ConnectedOrgs)))
}

// footer is "Showing 1–5 of 5 matches (10000 total)", or "… of N orgs" when
// nothing is filtered, then the page when there are several. A page past
// the last shows no rows and no footer: emptyList says how many pages there
// are.
func footer(p console.OrgPage) string {
	span := "0"
	if len(p.Orgs) > 0 {
		span = fmt.Sprintf("%d–%d", p.Offset+1, p.Offset+len(p.Orgs))
	}
	s := fmt.Sprintf("Showing %s of %d orgs", span, p.Matches)
	if p.Filtered {
		noun := "matches"
		if p.Matches == 1 {
			noun = "match"
		}
		s = fmt.Sprintf("Showing %s of %d %s (%d total)", span, p.Matches, noun, p.Total)
	}
	if pages := max(p.Pages, 1); p.PerPage > 0 && (pages > 1 || p.Page > pages) {
		s += fmt.Sprintf(" · page %d of %d", p.Page, pages)
	}
	return "\n" + s
}
