package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// column is one column of the orgs table. The organization column takes
// the width the others leave; the others have a fixed width and are
// dropped, last first, when the terminal is too narrow for them.
type column struct {
	header string
	width  int
	right  bool // numbers are right-aligned
	// cell is the plain text of the cell; paint colors it (nil: no color).
	cell  func(o *console.OrgView, now time.Time) string
	paint func(st *styles, o *console.OrgView, text string) string
}

const (
	markerWidth = 2  // "› " before the selected row
	gap         = 2  // spaces between columns
	minOrgWidth = 22 // the organization column never gets narrower
)

// orgColumn is ORGANIZATION: the name, then the ref ID, as `orgs list`.
var orgColumn = column{header: "ORGANIZATION", cell: func(o *console.OrgView, _ time.Time) string {
	if o.RefID == "" {
		return clean(o.Name)
	}
	return clean(o.Name) + " · " + clean(o.RefID)
}}

// columns after ORGANIZATION, in the order they are kept as the terminal
// narrows: at 80 columns the status, last activity and license fit.
var columns = []column{
	{header: "STATUS", width: 18,
		cell: func(o *console.OrgView, _ time.Time) string { return "● " + o.Status().Label() },
		paint: func(st *styles, o *console.OrgView, t string) string {
			return st.status[o.Status()].Render(t)
		}},
	{header: "LAST ACTIVE", width: 14, cell: func(o *console.OrgView, now time.Time) string {
		if o.LastActiveAt == nil {
			return "Never"
		}
		return output.RelativeTime(*o.LastActiveAt, now)
	}},
	{header: "LICENSE", width: 7,
		cell: func(o *console.OrgView, _ time.Time) string { return o.LicenseStatus },
		paint: func(st *styles, o *console.OrgView, t string) string {
			if o.LicenseStatus == console.OrgLicenseActive {
				return st.licenseActive.Render(t)
			}
			return st.licenseNone.Render(t)
		}},
	{header: "SESSIONS 30D/ALL", width: 16, right: true, cell: func(o *console.OrgView, _ time.Time) string {
		return strconv.Itoa(o.Sessions30d) + " / " + strconv.Itoa(o.SessionsTotal)
	}},
	{header: "USERS", width: 5, right: true, cell: func(o *console.OrgView, _ time.Time) string { return strconv.Itoa(o.Users) }},
	{header: "DATA", width: 4, right: true, cell: func(o *console.OrgView, _ time.Time) string { return strconv.Itoa(o.DataSources) }},
	{header: "AI", width: 2, cell: func(o *console.OrgView, _ time.Time) string {
		if o.AITrained {
			return "✓"
		}
		return "–"
	}},
	{header: "ACTIONS", width: 7, right: true, cell: func(o *console.OrgView, _ time.Time) string { return strconv.Itoa(o.Integrations) }},
}

// layout is the columns that fit a width and the organization column's share.
type layout struct {
	cols     []column
	orgWidth int
}

// layoutFor keeps columns in priority order while the organization column
// keeps at least minOrgWidth cells; it stops at the first that does not
// fit, so columns always go in the same order.
func layoutFor(width int) layout {
	used := markerWidth + minOrgWidth
	n := 0
	for _, c := range columns {
		if used+gap+c.width > width {
			break
		}
		used += gap + c.width
		n++
	}
	return layout{cols: columns[:n], orgWidth: max(1, width-used+minOrgWidth)}
}

func (l layout) headerLine(st *styles) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", markerWidth))
	b.WriteString(pad(orgColumn.header, l.orgWidth))
	for _, c := range l.cols {
		b.WriteString(strings.Repeat(" ", gap))
		if c.right {
			b.WriteString(padLeft(c.header, c.width))
		} else {
			b.WriteString(pad(c.header, c.width))
		}
	}
	return st.header.Render(strings.TrimRight(b.String(), " "))
}

// row draws one org. The selected row is drawn in reverse video without
// colors inside it, so one style covers the whole line.
func (l layout) row(st *styles, o *console.OrgView, now time.Time, selected bool) string {
	var b strings.Builder
	if selected {
		b.WriteString("› ")
	} else {
		b.WriteString("  ")
	}
	b.WriteString(pad(orgColumn.cell(o, now), l.orgWidth))
	for _, c := range l.cols {
		b.WriteString(strings.Repeat(" ", gap))
		text := c.cell(o, now)
		var cell string
		if c.right {
			cell = padLeft(text, c.width)
		} else {
			cell = pad(text, c.width)
		}
		if c.paint != nil && !selected {
			// Pad first and paint the text only, so colors never shift columns.
			fitted := fit(text, c.width)
			cell = strings.Replace(cell, fitted, c.paint(st, o, fitted), 1)
		}
		b.WriteString(cell)
	}
	if selected {
		return st.selected.Render(b.String())
	}
	return b.String()
}
