package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// paneView draws the details, email, result or help pane in a box filling
// the table's place.
func (m *Model) paneView(height int) []string {
	inner := max(1, m.width-4) // border and padding on each side
	var content []string
	switch m.pane {
	case paneDetails:
		content = m.detailsPane(inner)
	case paneEmail:
		content = m.emailPane(inner)
	case paneResult:
		content = m.resultPane(inner)
	case paneHelp:
		content = m.helpPane(inner)
	}
	rows := max(1, height-2)
	if len(content) > rows {
		content = content[:rows]
	}
	for i := range content {
		content[i] = pad(content[i], inner)
	}
	content = padLines(content, rows)
	for i := len(content) - 1; i >= 0 && content[i] == ""; i-- {
		content[i] = strings.Repeat(" ", inner)
	}
	box := m.st.box.Render(strings.Join(content, "\n"))
	return padLines(strings.Split(box, "\n"), height)
}

func (m *Model) orgTitle(o *console.OrgView) string {
	t := clean(o.Name)
	if o.RefID != "" {
		t += " · " + clean(o.RefID)
	}
	return m.st.title.Render(t)
}

// detailsPane is one org with the explanation `orgs show --explain` gives.
func (m *Model) detailsPane(width int) []string {
	if m.details == nil {
		return []string{m.orgTitle(m.target), "", m.st.faint.Render("Reading…")}
	}
	o := m.details
	now := m.snap.Now
	when := func(t *time.Time) string {
		if t == nil {
			return "Never"
		}
		return output.RelativeTime(*t, now) + " (" + t.UTC().Format(time.RFC3339) + ")"
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	status := m.st.status[o.Status()].Render("● " + o.Status().Label())
	rows := [][2]string{
		{"ID", o.ID},
		{"Status", status},
		{"Why", fmt.Sprintf("rule %d: %s", o.Verdict.Rule, clean(o.Verdict.Reason))},
		{"Users", fmt.Sprint(o.Users)},
		{"Data sources", fmt.Sprint(o.DataSources)},
		{"AI trained", yes(o.AITrained)},
		{"Integrations", fmt.Sprint(o.Integrations)},
		{"Sessions", fmt.Sprintf("%d in the last 30 days, %d in all", o.Sessions30d, o.SessionsTotal)},
		{"Last active", when(o.LastActiveAt)},
		{"Created", when(&o.CreatedAt)},
		{"License", licenseText(o.LicenseStatus, o.LicenseReason)},
		{"Messages", fmt.Sprintf("%d · subscribers %d", o.Messages, o.Subscribers)},
		{"Devices", fmt.Sprintf("%d (registered %d, onboarded %d, provisioned %d)",
			o.Devices.Total, o.Devices.Registered, o.Devices.Onboarded, o.Devices.Provisioned)},
	}
	out := []string{m.orgTitle(o), ""}
	for _, r := range rows {
		label := m.st.bold.Render(pad(r[0], 13))
		// The explanation may be long: it wraps under itself, never off screen.
		for i, part := range wrapText(r[1], max(10, width-14)) {
			if i > 0 {
				label = strings.Repeat(" ", 13)
			}
			out = append(out, label+" "+part)
		}
	}
	return out
}

// emailPane asks who the login link signs in.
func (m *Model) emailPane(width int) []string {
	out := []string{
		m.st.title.Render("Login link into ") + m.orgTitle(m.target),
		"",
		"A one-time URL that signs this address into the org once, within 15 minutes.",
		"",
		m.email.View(),
		"",
	}
	switch {
	case m.busy != "":
		out = append(out, m.st.faint.Render(m.busy))
	case len(m.result.lines) > 0:
		for _, l := range wrapText(m.result.lines[0], width) {
			out = append(out, m.st.errText.Render(l))
		}
	}
	return out
}

// resultPane is what Open or Login link did. A URL is shown whole, broken
// over lines if it must be: cutting it would make it useless.
func (m *Model) resultPane(width int) []string {
	r := m.result
	title := m.st.title
	if r.err {
		title = m.st.errText
	}
	out := []string{title.Render(clean(r.title)), ""}
	for _, l := range r.lines {
		out = append(out, wrapText(l, width)...)
	}
	if r.url != "" {
		out = append(out, "")
		for len(r.url) > 0 {
			part := ansi.Cut(r.url, 0, width)
			out = append(out, m.st.bold.Render(part))
			r.url = r.url[len(part):]
		}
	}
	return out
}

// helpPane lists every key, by group, in two columns when they fit.
func (m *Model) helpPane(width int) []string {
	groups := m.keys.helpGroups()
	column := func(gs []helpGroup) []string {
		var out []string
		for _, g := range gs {
			out = append(out, m.st.bold.Render(g.title))
			for _, e := range g.entries {
				out = append(out, "  "+m.st.key.Render(pad(e.keys, 14))+" "+e.desc)
			}
		}
		return out
	}
	out := []string{m.st.title.Render("Keys") + " · the search narrows the list as you type", ""}
	half := len(groups) / 2
	if width < 64 {
		return append(out, column(groups)...)
	}
	left, right := column(groups[:half]), column(groups[half:])
	for i := 0; i < max(len(left), len(right)); i++ {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out = append(out, pad(l, width/2)+r)
	}
	return out
}

// licenseText is the license row of the details: the status, and why an
// org without an active license matters (what --explain says).
func licenseText(status, reason string) string {
	if reason == "" {
		return status
	}
	return status + ": " + clean(reason)
}
