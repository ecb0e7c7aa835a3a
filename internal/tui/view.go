package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// chromeLines are the lines around the table rows: header card, controls,
// a blank line, the table header, footer, flash line and key hints.
const chromeLines = 7

// View implements tea.Model: the full screen, in the alternate screen
// buffer, which the program leaves on every exit.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Screen())
	v.AltScreen = true
	return v
}

// Screen is the console as text: exactly height lines, none wider than
// width (the test and the README capture read it).
func (m *Model) Screen() (s string) {
	defer func() {
		if r := recover(); r != nil {
			m.crash(r)
			if m.quitProgram != nil {
				m.quitProgram()
			}
			s = ""
		}
	}()
	if injectPanic == "view" && m.panicInView {
		panic("injected panic in View (test build)")
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.headerCard(), m.controls(), "")
	body := max(1, m.height-chromeLines+1) // the table header is body too
	if m.pane == paneTable {
		lines = append(lines, m.table(body)...)
	} else {
		lines = append(lines, m.paneView(body)...)
	}
	lines = append(lines, m.footer(), m.flashLine(), m.hints())
	for i := range lines {
		lines[i] = fit(lines[i], m.width)
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

// headerCard is the partner's name and support email, and the connected
// count: the card `orgs list` prints on a terminal.
func (m *Model) headerCard() string {
	p := m.snap.Partner
	left := m.st.bold.Render(clean(p.Name)) + " · " + clean(p.SupportEmail)
	right := "Connected orgs: " + m.st.bold.Render(fmt.Sprint(p.ConnectedOrgs))
	return spread(left, right, m.width)
}

// controls is the search box and the two filters.
func (m *Model) controls() string {
	search := m.search.View()
	if !m.searching && m.search.Value() != "" {
		search = m.st.bold.Render(m.search.Prompt) + clean(m.search.Value())
	}
	f := m.filters
	status := "Status (s): " + m.filterValue(f.statusLabel(), f.status != 0)
	license := "License (l): " + m.filterValue(f.licenseLabel(), f.license != 0)
	return search + "   " + status + "   " + license
}

func (m *Model) filterValue(label string, set bool) string {
	if set {
		return m.st.title.Render(label)
	}
	return label
}

// table is the header and the rows of the current page that fit.
func (m *Model) table(height int) []string {
	out := make([]string, 0, height)
	if m.list.len() == 0 {
		out = append(out, "")
		switch {
		case len(m.list.all) == 0:
			out = append(out, "  No connected orgs yet: `partnerctl orgs create` or `orgs import` adds them.")
		default:
			out = append(out, "  No org matches. Press x to clear the search and filters.")
		}
		return padLines(out, height)
	}
	l := layoutFor(m.width)
	out = append(out, l.headerLine(&m.st))
	p := m.pager()
	now := m.snap.Now
	for i := m.top; i < p.end() && len(out) < height; i++ {
		out = append(out, l.row(&m.st, m.list.at(i), now, i == m.sel))
	}
	return padLines(out, height)
}

func padLines(lines []string, height int) []string {
	for len(lines) < height {
		lines = append(lines, "")
	}
	return lines[:height]
}

// footer is "Showing 1–5 of 5 matches (10000 total)" as `orgs list` words
// it, then the rows per page and the page chevrons.
func (m *Model) footer() string {
	p := m.pager()
	span := "0"
	if p.n > 0 {
		span = fmt.Sprintf("%d–%d", p.start()+1, p.end())
	}
	left := fmt.Sprintf("Showing %s of %d orgs", span, p.n)
	if m.filters.active() {
		noun := "matches"
		if p.n == 1 {
			noun = "match"
		}
		left = fmt.Sprintf("Showing %s of %d %s (%d total)", span, p.n, noun, len(m.list.all))
	}
	chevron := func(s string, enabled bool) string {
		if enabled {
			return m.st.bold.Render(s)
		}
		return m.st.faint.Render(s)
	}
	right := fmt.Sprintf("Rows (r): %d   %s %s Page %d of %d %s %s", m.perPage,
		chevron("«", !p.isFirst()), chevron("‹", !p.isFirst()), p.page()+1, p.pages(),
		chevron("›", !p.isLast()), chevron("»", !p.isLast()))
	return spread(left, right, m.width)
}

// flashLine says what is in flight, or what happened last.
func (m *Model) flashLine() string {
	switch {
	case m.busy != "":
		return m.st.faint.Render(m.busy)
	case m.flashIsErr:
		return m.st.errText.Render(m.flash)
	}
	return m.st.okText.Render(m.flash)
}

// hints are the keys that work now, cut at the screen's width.
func (m *Model) hints() string {
	var bs []key.Binding
	switch {
	case m.pane == paneHelp:
		bs = []key.Binding{m.keys.Help, m.keys.Quit}
	case m.pane == paneDetails:
		bs = []key.Binding{m.keys.Open, m.keys.Link, m.keys.Quit}
		bs[2].SetHelp("esc", "back")
	case m.pane == paneEmail:
		bs = []key.Binding{m.keys.Submit, m.keys.Cancel}
	case m.pane == paneResult:
		bs = []key.Binding{m.keys.Quit}
		bs[0].SetHelp("esc/enter", "back")
	case m.searching:
		bs = []key.Binding{m.keys.LeaveSearch, m.keys.Up, m.keys.Down, m.keys.ForceQuit}
	default:
		bs = m.keys.tableHints()
	}
	parts := make([]string, 0, len(bs))
	for _, b := range bs {
		h := b.Help()
		parts = append(parts, m.st.key.Render(h.Key)+" "+h.Desc)
	}
	return strings.Join(parts, m.st.faint.Render(" · "))
}
