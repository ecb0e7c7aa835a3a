package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/partnerctl/partnerctl/internal/clipboard"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// DefaultPerPage is the rows per page the console starts with, as
// `orgs list` on a terminal.
const DefaultPerPage = 25

// Options configure a console.
type Options struct {
	Console   Console
	Clipboard clipboard.Clipboard
	// Snapshot is the list to start with (loaded before the screen is taken,
	// so a failure to load is an ordinary error with its exit code).
	Snapshot Snapshot
	Color    bool
	Search   string // initial search
	PerPage  int    // initial rows per page; 0 = DefaultPerPage
}

// pane is what fills the body of the screen.
type pane int

const (
	paneTable   pane = iota
	paneDetails      // one org, with the --explain text
	paneEmail        // asking for the login link's email
	paneResult       // what Open or Login link did
	paneHelp         // the keys
)

// Model is the console's state. It is a pointer model: one keystroke over
// 100,000 orgs must not copy the list.
type Model struct {
	opts   Options
	keys   keyMap
	st     styles
	width  int
	height int

	snap    Snapshot
	list    orgList
	filters filters
	perPage int
	sel     int // selected match, absolute
	top     int // first match drawn, absolute (a page may be taller than the screen)

	search      textinput.Model
	searching   bool // the search box has the keyboard
	email       textinput.Model
	pane        pane
	target      *console.OrgView // the org a pane acts on
	details     *console.OrgView
	result      result
	busy        string // the core call in flight, "" when none
	flash       string // one line about the last thing that happened
	flashIsErr  bool
	uncopied    []console.NewLink // links the clipboard could not take: printed on quit
	fatal       error             // a recovered panic: the command returns it
	panicInView bool              // test builds only: see panic.go
	quitProgram func()            // asks the running program to quit (set by Run)
}

// result is the outcome of Open or Login link, shown in a pane.
type result struct {
	title string
	lines []string
	url   string // shown whole, hard-wrapped, never truncated
	err   bool
}

// New builds a console over opts.Snapshot.
func New(opts Options) *Model {
	m := &Model{opts: opts, keys: defaultKeys(), st: newStyles(opts.Color), width: 80, height: 24}
	m.perPage = DefaultPerPage
	if slices.Contains(pageSizes, opts.PerPage) {
		m.perPage = opts.PerPage
	}
	m.search = m.newInput("Search: ", "/ name or ref", 100)
	m.email = m.newInput("Email: ", "who the link signs in", 254)
	m.setSnapshot(opts.Snapshot)
	if opts.Search != "" {
		m.search.SetValue(opts.Search)
		m.applyFilters()
	}
	return m
}

func (m *Model) newInput(prompt, placeholder string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.CharLimit = limit
	state := textinput.StyleState{Prompt: m.st.bold, Text: m.st.plain, Placeholder: m.st.faint, Suggestion: m.st.faint}
	// A static cursor, drawn in reverse video (no color): a blinking one is
	// a timer message every half second, redrawing for nothing.
	in.SetStyles(textinput.Styles{Focused: state, Blurred: state, Cursor: textinput.CursorStyle{Blink: false}})
	return in
}

func (m *Model) setSnapshot(s Snapshot) {
	m.snap = s
	m.list = newOrgList(s.Orgs)
	m.applyFilters()
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// Messages from the core calls, which run off the update loop.
type (
	loadedMsg struct {
		snap Snapshot
		err  error
	}
	shownMsg struct {
		org console.OrgView
		err error
	}
	openedMsg struct {
		active console.ActiveOrg
		err    error
	}
	linkMsg struct {
		link    console.NewLink
		err     error
		copyErr error // nil: copied
	}
	panicMsg struct{ err error }
)

// Update implements tea.Model. A panic anywhere in it (or in View, or in a
// core call) is caught, ends the program through its normal exit so the
// terminal is restored, and becomes the command's error.
func (m *Model) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			m.crash(r)
			model, cmd = m, tea.Quit
		}
	}()
	return m, m.update(msg)
}

func (m *Model) crash(r any) {
	if m.fatal == nil {
		m.fatal = fail.Internalf("the console stopped on an internal error: %v", r)
	}
}

// Err is the error the console ended with: a recovered panic, or nil.
func (m *Model) Err() error { return m.fatal }

// Uncopied are the links made in this session that the clipboard could not
// take; the command prints their URLs once the terminal is restored.
func (m *Model) Uncopied() []console.NewLink { return m.uncopied }

func (m *Model) update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && injectPanic != "" && k.String() == panicKey {
		if injectPanic == "update" {
			panic("injected panic in Update (test build)")
		}
		m.panicInView = true
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.search.SetWidth(max(10, min(40, m.width/3)))
		m.email.SetWidth(max(10, min(60, m.width-20)))
		m.keepVisible()
		return nil
	case panicMsg:
		if m.fatal == nil {
			m.fatal = msg.err
		}
		return tea.Quit
	case loadedMsg:
		m.busy = ""
		if msg.err != nil {
			m.setFlash("Reload failed: "+errorText(msg.err), true)
			return nil
		}
		id := m.selectedID()
		m.setSnapshot(msg.snap)
		m.selectID(id)
		m.setFlash(fmt.Sprintf("Reloaded %d orgs", len(msg.snap.Orgs)), false)
		return nil
	case shownMsg:
		m.busy = ""
		if m.pane != paneDetails {
			return nil
		}
		if msg.err != nil {
			m.showResult(result{title: "Could not show the org", lines: []string{errorText(msg.err)}, err: true})
			return nil
		}
		m.details = &msg.org
		return nil
	case openedMsg:
		m.busy = ""
		m.onOpened(msg)
		return nil
	case linkMsg:
		m.busy = ""
		m.onLink(msg)
		return nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	}
	if m.searching { // a paste, or the input's own messages
		var cmd tea.Cmd
		m.search, cmd = m.search.Update(msg)
		if m.search.Value() != m.filters.search {
			m.applyFilters()
		}
		return cmd
	}
	if m.pane == paneEmail {
		var cmd tea.Cmd
		m.email, cmd = m.email.Update(msg)
		return cmd
	}
	return nil
}

func (m *Model) onKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.ForceQuit):
		return tea.Quit
	case key.Matches(k, m.keys.Suspend):
		return tea.Suspend
	}
	switch m.pane {
	case paneHelp:
		if key.Matches(k, m.keys.Help, m.keys.Quit, m.keys.Details) {
			m.pane = paneTable
		}
		return nil
	case paneDetails:
		return m.onDetailsKey(k)
	case paneEmail:
		return m.onEmailKey(k)
	case paneResult:
		if key.Matches(k, m.keys.Quit, m.keys.Details) {
			m.pane = paneTable
		}
		return nil
	}
	if m.searching {
		return m.onSearchKey(k)
	}
	return m.onTableKey(k)
}

func (m *Model) onTableKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Quit):
		return tea.Quit
	case key.Matches(k, m.keys.Help):
		m.pane = paneHelp
	case key.Matches(k, m.keys.Search):
		m.searching = true
		return m.search.Focus()
	case key.Matches(k, m.keys.Status):
		m.filters.status = (m.filters.status + 1) % 5
		m.applyFilters()
	case key.Matches(k, m.keys.License):
		m.filters.license = (m.filters.license + 1) % len(licenseFilters)
		m.applyFilters()
	case key.Matches(k, m.keys.Clear):
		m.search.SetValue("")
		m.filters = filters{}
		m.applyFilters()
	case key.Matches(k, m.keys.Rows):
		i := slices.Index(pageSizes, m.perPage)
		m.perPage = pageSizes[(i+1)%len(pageSizes)]
		m.keepVisible()
	case key.Matches(k, m.keys.Reload):
		if m.busy == "" {
			m.busy = "Reloading…"
			c := m.opts.Console
			return m.call(func() tea.Msg { s, err := c.Load(); return loadedMsg{s, err} })
		}
	case key.Matches(k, m.keys.Details):
		if o := m.selected(); o != nil {
			m.target, m.details, m.pane = o, nil, paneDetails
			return m.showDetails(o.ID)
		}
	case key.Matches(k, m.keys.Open):
		if o := m.selected(); o != nil {
			m.target = o
			return m.open()
		}
	case key.Matches(k, m.keys.Link):
		if o := m.selected(); o != nil {
			m.target = o
			m.askEmail()
			return m.email.Focus()
		}
	default:
		m.move(k)
	}
	return nil
}

// move handles the keys that move the selection, in the table or while
// typing a search.
func (m *Model) move(k tea.KeyPressMsg) {
	p := m.pager()
	switch {
	case key.Matches(k, m.keys.Up):
		m.sel = max(0, m.sel-1)
	case key.Matches(k, m.keys.Down):
		m.sel = max(0, min(p.n-1, m.sel+1))
	case key.Matches(k, m.keys.PrevPage):
		m.sel = p.firstOf(p.page() - 1)
	case key.Matches(k, m.keys.NextPage):
		if !p.isLast() {
			m.sel = p.firstOf(p.page() + 1)
		}
	case key.Matches(k, m.keys.FirstPage):
		m.sel = 0
	case key.Matches(k, m.keys.LastPage):
		m.sel = p.firstOf(p.pages() - 1)
	default:
		return
	}
	m.keepVisible()
}

func (m *Model) onSearchKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "enter", "esc", "tab":
		m.searching = false
		m.search.Blur()
		return nil
	case "up", "down", "pgup", "pgdown":
		m.move(k)
		return nil
	}
	var cmd tea.Cmd
	m.search, cmd = m.search.Update(k)
	if v := m.search.Value(); v != m.filters.search {
		m.applyFilters()
	}
	return cmd
}

func (m *Model) onDetailsKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Quit, m.keys.Details), k.String() == "backspace":
		m.pane = paneTable
	case key.Matches(k, m.keys.Open):
		return m.open()
	case key.Matches(k, m.keys.Link):
		m.askEmail()
		return m.email.Focus()
	}
	return nil
}

func (m *Model) onEmailKey(k tea.KeyPressMsg) tea.Cmd {
	if m.busy != "" {
		return nil // the link is being made: the prompt waits for the answer
	}
	switch k.String() {
	case "esc":
		m.email.Blur()
		m.pane = paneTable
		m.result = result{}
		return nil
	case "enter":
		email := strings.TrimSpace(m.email.Value())
		if email == "" {
			m.result = result{lines: []string{"Type the email address the link signs in, or esc to cancel"}, err: true}
			return nil
		}
		return m.createLink(email)
	}
	var cmd tea.Cmd
	m.email, cmd = m.email.Update(k)
	return cmd
}

func (m *Model) askEmail() {
	m.pane = paneEmail
	m.email.SetValue("")
	m.result = result{}
}

// call runs a core call off the update loop; a panic in it comes back as a
// message instead of killing the program with the terminal in raw mode.
func (m *Model) call(fn func() tea.Msg) tea.Cmd {
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{fail.Internalf("the console stopped on an internal error: %v", r)}
			}
		}()
		return fn()
	}
}

func (m *Model) showDetails(id string) tea.Cmd {
	m.busy = "Reading the org…"
	c := m.opts.Console
	return m.call(func() tea.Msg { v, err := c.ShowOrg(id); return shownMsg{v, err} })
}

func (m *Model) open() tea.Cmd {
	if m.busy != "" {
		return nil
	}
	o := m.target
	m.busy = "Opening " + clean(o.Name) + "…"
	c := m.opts.Console
	id := o.ID
	return m.call(func() tea.Msg { a, err := c.OpenOrg(id); return openedMsg{a, err} })
}

func (m *Model) onOpened(msg openedMsg) {
	if msg.err != nil {
		m.showResult(result{title: "Not opened", lines: []string{errorText(msg.err)}, err: true})
		return
	}
	a := msg.active
	m.showResult(result{
		title: fmt.Sprintf("Opened %s (%s) as %s", clean(a.OrgName), a.OrgID, clean(a.Role)),
		lines: []string{
			"It is your active org now: what you do is recorded in its activity, as you.",
			"`partnerctl orgs close` returns to the admin org.",
			"Inbox:",
		},
		url: a.InboxURL,
	})
	m.setFlash("Active org: "+clean(a.OrgName), false)
}

func (m *Model) createLink(email string) tea.Cmd {
	m.busy = "Making the login link…"
	c, clip, id := m.opts.Console, m.opts.Clipboard, m.target.ID
	return m.call(func() tea.Msg {
		l, err := c.CreateLink(console.LinkParams{Org: id, Email: email})
		if err != nil {
			return linkMsg{err: err}
		}
		copyErr := errors.New("no clipboard was given")
		if clip != nil {
			copyErr = clipboard.Copy(clip, l.URL)
		}
		return linkMsg{link: l, copyErr: copyErr}
	})
}

func (m *Model) onLink(msg linkMsg) {
	if msg.err != nil {
		if fail.Is(msg.err, fail.Usage) && m.pane == paneEmail {
			// A bad address: keep the prompt open to fix it.
			m.result = result{lines: []string{errorText(msg.err)}, err: true}
			return
		}
		m.email.Blur()
		m.showResult(result{title: "No login link made", lines: []string{errorText(msg.err)}, err: true})
		return
	}
	m.email.Blur()
	l := msg.link
	r := result{title: fmt.Sprintf("Login link %s for %s into %s", l.ID, clean(l.Email), clean(l.OrgName))}
	until := "It works once, until " + l.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC") + "."
	if msg.copyErr == nil {
		r.lines = []string{"Copied the URL to the clipboard. " + until}
		m.setFlash("Copied a login link for "+clean(l.Email)+" to the clipboard", false)
	} else {
		r.lines = []string{"Not copied: " + msg.copyErr.Error() + ". Copy the URL below; it is printed again when you quit. " + until}
		r.url = l.URL
		m.uncopied = append(m.uncopied, l)
		m.setFlash("Made a login link for "+clean(l.Email)+" (not copied: no clipboard)", false)
	}
	m.showResult(r)
}

func (m *Model) showResult(r result) {
	m.result = r
	m.pane = paneResult
}

func (m *Model) setFlash(s string, isErr bool) { m.flash, m.flashIsErr = s, isErr }

// applyFilters re-filters the list after the search or a filter changed,
// and goes back to the first row, as the seed's table does.
func (m *Model) applyFilters() {
	m.filters.search = m.search.Value()
	m.list.filter(m.filters.query())
	m.sel, m.top = 0, 0
	m.keepVisible()
}

func (m *Model) pager() pager { return pager{n: m.list.len(), perPage: m.perPage, sel: m.sel} }

func (m *Model) selected() *console.OrgView {
	if m.sel < 0 || m.sel >= m.list.len() {
		return nil
	}
	return m.list.at(m.sel)
}

func (m *Model) selectedID() string {
	if o := m.selected(); o != nil {
		return o.ID
	}
	return ""
}

// selectID selects the match with this id, if it is still listed.
func (m *Model) selectID(id string) {
	for i := 0; i < m.list.len(); i++ {
		if m.list.at(i).ID == id {
			m.sel = i
			break
		}
	}
	m.keepVisible()
}

// tableRows is how many org rows the table shows at this height: the
// screen less the header card, controls, blank line, table header, footer,
// flash line and hints.
func (m *Model) tableRows() int { return max(1, m.height-chromeLines) }

// keepVisible keeps the selection inside its page and on screen when a
// page is taller than the screen.
func (m *Model) keepVisible() {
	p := m.pager()
	if p.n == 0 {
		m.sel, m.top = 0, 0
		return
	}
	m.sel = max(0, min(m.sel, p.n-1))
	p.sel = m.sel
	rows := m.tableRows()
	start, end := p.start(), p.end()
	if m.top < start || m.top >= end {
		m.top = start
	}
	if m.sel < m.top {
		m.top = m.sel
	}
	if m.sel >= m.top+rows {
		m.top = m.sel - rows + 1
	}
	m.top = max(start, min(m.top, max(start, end-rows)))
}

// errorText is a core error as the commands print it, with its hint.
func errorText(err error) string {
	msg := err.Error()
	if h := fail.HintOf(err); h != "" {
		msg += "; " + h
	}
	return clean(strings.ReplaceAll(msg, "\n", " "))
}
