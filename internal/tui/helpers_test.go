package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/health"
)

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

var (
	firstNames = []string{"Acme", "Bluebird", "Cobalt", "Driftwood", "Evergreen", "Foxglove", "Granite", "Harbor", "Ironwood", "Juniper"}
	lastNames  = []string{"Bakery", "Dental", "Fitness", "Legal", "Logistics", "Plumbing", "Realty", "Studios"}
)

// fixtureOrg builds the i-th test org; its status cycles through all four
// and every third org has no license.
func fixtureOrg(i int, name string) console.OrgView {
	ago := func(d time.Duration) *time.Time { t := testNow.Add(-d); return &t }
	o := domain.Org{ID: fmt.Sprintf("org_%06d", i+2), Seq: uint64(i + 2), Name: name,
		RefID: fmt.Sprintf("CUST-%04d", i+1), CreatedAt: testNow.AddDate(0, -2, 0)}
	switch i % 4 {
	case 0: // healthy
		o.DataSources, o.Integrations, o.Users, o.AITrained = 3, 1, 4, true
		o.SessionsTotal, o.LastActiveAt = 40+i, ago(2*time.Hour)
		o.SessionDays = []domain.DayCount{{Day: domain.DayOf(testNow), Count: 5}}
	case 1: // setup incomplete
		o.Users = 1
	case 2: // inactive
		o.DataSources, o.SessionsTotal, o.LastActiveAt = 2, 7, ago(60*24*time.Hour)
	case 3: // new
		o.CreatedAt = testNow.Add(-48 * time.Hour)
	}
	v := console.OrgView{Org: o, Verdict: health.Evaluate(&o, testNow), Sessions30d: o.SessionsLast30Days(testNow),
		LicenseStatus: console.OrgLicenseActive}
	if i%3 == 2 {
		v.LicenseStatus = console.OrgLicenseNone
	}
	return v
}

// fixture is n orgs in the core's name order (case-insensitive, then seq).
func fixture(n int) []console.OrgView {
	orgs := make([]console.OrgView, n)
	for i := range orgs {
		name := firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames))%len(lastNames)]
		if i >= len(firstNames)*len(lastNames) {
			name += fmt.Sprintf(" %d", i)
		}
		orgs[i] = fixtureOrg(i, name)
	}
	sortByName(orgs)
	return orgs
}

func sortByName(orgs []console.OrgView) {
	type keyed struct {
		lower string
		org   console.OrgView
	}
	ks := make([]keyed, len(orgs))
	for i := range orgs {
		ks[i] = keyed{strings.ToLower(orgs[i].Name), orgs[i]}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.lower, b.lower); c != 0 {
			return c
		}
		return int(a.org.Seq) - int(b.org.Seq)
	})
	for i := range ks {
		orgs[i] = ks[i].org
	}
}

func snapshot(orgs []console.OrgView) Snapshot {
	p := console.PartnerView{ConnectedOrgs: len(orgs)}
	p.Name, p.SupportEmail = "Northwind Partners", "support@northwind.example"
	return Snapshot{Partner: p, Orgs: orgs, Now: testNow}
}

// fakeConsole answers like the core over a fixed list and records calls.
type fakeConsole struct {
	mu      sync.Mutex
	snap    Snapshot
	loads   int
	shown   []string
	opened  []string
	links   []console.LinkParams
	openErr error
	loadErr error
	panicOn string // a method name that panics
}

func (f *fakeConsole) Load() (Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loads++
	return f.snap, f.loadErr
}

func (f *fakeConsole) find(id string) (console.OrgView, error) {
	for _, o := range f.snap.Orgs {
		if o.ID == id {
			return o, nil
		}
	}
	return console.OrgView{}, fail.NotFoundf("no org %q", id)
}

func (f *fakeConsole) ShowOrg(id string) (console.OrgView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shown = append(f.shown, id)
	return f.find(id)
}

func (f *fakeConsole) OpenOrg(id string) (console.ActiveOrg, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.panicOn == "OpenOrg" {
		panic("boom in OpenOrg")
	}
	f.opened = append(f.opened, id)
	if f.openErr != nil {
		return console.ActiveOrg{}, f.openErr
	}
	o, err := f.find(id)
	return console.ActiveOrg{OrgID: o.ID, OrgName: o.Name, RefID: o.RefID, Role: "partner",
		InboxURL: "https://login.example.com/orgs/" + o.ID + "/inbox"}, err
}

func (f *fakeConsole) CreateLink(p console.LinkParams) (console.NewLink, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.links = append(f.links, p)
	if _, err := domain.ParseEmail(p.Email); err != nil {
		return console.NewLink{}, err
	}
	o, err := f.find(p.Org)
	if err != nil {
		return console.NewLink{}, err
	}
	id := fmt.Sprintf("lnk_%06d", len(f.links))
	return console.NewLink{
		LinkView: console.LinkView{ID: id, OrgID: o.ID, OrgName: o.Name, Email: p.Email, CreatedAt: testNow, ExpiresAt: testNow.Add(15 * time.Minute)},
		URL:      "https://login.example.com/magic?token=plk_" + strings.Repeat("A", 43),
	}, nil
}

// fakeClipboard records what was copied.
type fakeClipboard struct {
	mu        sync.Mutex
	supported bool
	err       error
	copied    []string
}

func (c *fakeClipboard) Supported() bool { return c.supported }
func (c *fakeClipboard) WriteAll(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.copied = append(c.copied, s)
	return c.err
}

// harness drives a model as the program would, running each command it
// returns and feeding the message back, synchronously.
type harness struct {
	t     *testing.T
	m     *Model
	core  *fakeConsole
	clip  *fakeClipboard
	quit  bool
	other []tea.Msg // messages from commands the harness does not loop back
}

func newHarness(t *testing.T, orgs []console.OrgView, opts ...func(*Options)) *harness {
	t.Helper()
	core := &fakeConsole{snap: snapshot(orgs)}
	clip := &fakeClipboard{supported: true}
	o := Options{Console: core, Clipboard: clip, Snapshot: core.snap}
	for _, f := range opts {
		f(&o)
	}
	h := &harness{t: t, m: New(o), core: core, clip: clip}
	h.resize(80, 24)
	return h
}

func (h *harness) resize(w, ht int) { h.send(tea.WindowSizeMsg{Width: w, Height: ht}) }

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.QuitMsg:
		h.quit = true
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case loadedMsg, shownMsg, openedMsg, linkMsg, panicMsg:
		h.send(msg)
	default:
		h.other = append(h.other, msg)
	}
}

// keyMsg turns a key name (as tea prints it) into a key press.
func keyMsg(k string) tea.KeyPressMsg {
	special := map[string]rune{"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"backspace": tea.KeyBackspace}
	if r, ok := special[k]; ok {
		return tea.KeyPressMsg{Code: r}
	}
	if rest, ok := strings.CutPrefix(k, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// press sends each key in turn.
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyMsg(k))
	}
}

// typeText types s one character at a time.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// screen is the view without styles.
func (h *harness) screen() string { return ansi.Strip(h.m.Screen()) }

func (h *harness) line(i int) string { return strings.Split(h.screen(), "\n")[i] }

func (h *harness) footer() string {
	lines := strings.Split(h.screen(), "\n")
	return strings.TrimSpace(lines[len(lines)-3])
}

func (h *harness) flash() string {
	lines := strings.Split(h.screen(), "\n")
	return strings.TrimSpace(lines[len(lines)-2])
}

func (h *harness) hints() string {
	lines := strings.Split(h.screen(), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// selectedRow is the table row marked › (the selection).
func (h *harness) selectedRow() string {
	for _, l := range strings.Split(h.screen(), "\n") {
		if strings.HasPrefix(l, "› ") {
			return l
		}
	}
	return ""
}

func (h *harness) mustContain(want ...string) {
	h.t.Helper()
	s := h.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			h.t.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

func (h *harness) mustNotContain(bad ...string) {
	h.t.Helper()
	s := h.screen()
	for _, b := range bad {
		if strings.Contains(s, b) {
			h.t.Fatalf("screen has %q:\n%s", b, s)
		}
	}
}

var errBoom = errors.New("exit status 1")
