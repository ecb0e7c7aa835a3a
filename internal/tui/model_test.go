package tui

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/partnerctl/partnerctl/internal/clipboard"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

var update = flag.Bool("update", false, "rewrite the golden screens in testdata from the actual output (then review the diff)")

// golden compares the screen with testdata/name; the 80x24 one is also the
// README's capture of the console.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/tui -update to create it)", err)
	}
	if got != string(want) {
		t.Fatalf("screen differs from %s (go test ./internal/tui -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// trimmed is the screen with trailing spaces dropped, as a text file keeps it.
func trimmed(s string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestFirstScreenAt80x24(t *testing.T) {
	h := newHarness(t, fixture(60))
	golden(t, "console-80x24.txt", trimmed(h.screen()))
	if got := h.footer(); !strings.HasPrefix(got, "Showing 1–25 of 60 orgs") || !strings.HasSuffix(got, "« ‹ Page 1 of 3 › »") {
		t.Fatalf("footer %q", got)
	}
}

func TestWideScreenShowsEveryColumn(t *testing.T) {
	h := newHarness(t, fixture(60))
	h.resize(132, 30)
	golden(t, "console-132x30.txt", trimmed(h.screen()))
	h.mustContain("SESSIONS 30D/ALL", "USERS", "DATA", "AI", "ACTIONS")
}

// TestEverySizeFits: exactly height lines, none wider than the terminal, at
// the smallest supported size and beyond, in every pane.
func TestEverySizeFits(t *testing.T) {
	long := fixture(30)
	long[3].Name = strings.Repeat("Very Long Organization Name ", 8)
	sizes := [][2]int{{80, 24}, {81, 25}, {100, 30}, {120, 40}, {200, 60}, {60, 15}, {40, 10}}
	for _, pane := range []string{"table", "details", "email", "result", "help", "search"} {
		h := newHarness(t, long)
		h.press("down", "down", "down")
		switch pane {
		case "details":
			h.press("enter")
		case "email":
			h.press("c")
		case "result":
			h.press("o")
		case "help":
			h.press("?")
		case "search":
			h.press("/")
			h.typeText("very")
		}
		for _, sz := range sizes {
			h.resize(sz[0], sz[1])
			lines := strings.Split(h.m.Screen(), "\n")
			if len(lines) != sz[1] {
				t.Fatalf("%s at %dx%d: %d lines", pane, sz[0], sz[1], len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Fatalf("%s at %dx%d: line %d is %d wide: %q", pane, sz[0], sz[1], i, w, ansi.Strip(l))
				}
			}
		}
	}
}

func TestColumnsDropInPriorityOrderAndTruncate(t *testing.T) {
	orgs := fixture(5)
	orgs[0].Name = "A Very Long Organization Name That Will Not Fit"
	h := newHarness(t, orgs)
	header := h.line(3)
	for _, col := range []string{"ORGANIZATION", "STATUS", "LAST ACTIVE", "LICENSE"} {
		if !strings.Contains(header, col) {
			t.Fatalf("80 columns: header %q lacks %s", header, col)
		}
	}
	for _, col := range []string{"SESSIONS", "USERS", "ACTIONS"} {
		if strings.Contains(header, col) {
			t.Fatalf("80 columns: header %q should drop %s", header, col)
		}
	}
	if row := h.selectedRow(); !strings.Contains(row, "› A Very Long Organization Name Th…  ● Healthy") {
		t.Fatalf("long name not cut with …: %q", row)
	}
	h.resize(100, 24)
	if header := h.line(3); !strings.Contains(header, "SESSIONS 30D/ALL") || !strings.Contains(header, "USERS") || strings.Contains(header, "ACTIONS") {
		t.Fatalf("100 columns: %q", header)
	}
	h.resize(68, 24) // narrower than supported: columns still go, nothing wraps
	if header := h.line(3); strings.Contains(header, "LICENSE") || !strings.Contains(header, "LAST ACTIVE") {
		t.Fatalf("68 columns: %q", header)
	}
}

func TestSearchNarrowsAsYouType(t *testing.T) {
	h := newHarness(t, fixture(60))
	h.press("/")
	if !h.m.searching {
		t.Fatal("/ did not focus the search box")
	}
	steps := []struct{ key, footer string }{
		{"c", "Showing 1–25 of 60 matches (60 total)"}, // every ref is CUST-…
		{"o", "Showing 1–6 of 6 matches (60 total)"},
		{"b", "Showing 1–6 of 6 matches (60 total)"},
		{"q", "Showing 0 of 0 matches (60 total)"}, // typed, not quit
	}
	for _, s := range steps {
		h.typeText(s.key)
		if got := h.footer(); !strings.HasPrefix(got, s.footer) {
			t.Fatalf("after %q: footer %q, want %q", h.m.search.Value(), got, s.footer)
		}
	}
	if h.quit {
		t.Fatal("q in the search box quit")
	}
	h.mustContain("No org matches. Press x to clear the search and filters.")
	h.press("backspace")
	if got := h.footer(); !strings.HasPrefix(got, "Showing 1–6 of 6 matches (60 total)") {
		t.Fatalf("backspace: %q", got)
	}
	if row := h.selectedRow(); !strings.Contains(row, "Cobalt Bakery") {
		t.Fatalf("first match not selected: %q", row)
	}
	h.press("down") // arrows move the selection while typing
	if row := h.selectedRow(); !strings.Contains(row, "Cobalt Dental") {
		t.Fatalf("down in the search box: %q", row)
	}
	h.press("enter")
	if h.m.searching || h.m.search.Value() != "cob" {
		t.Fatalf("enter: searching %v, value %q", h.m.searching, h.m.search.Value())
	}
	h.mustContain("Search: cob")
	h.press("/", "esc")
	if h.m.searching || h.m.search.Value() != "cob" {
		t.Fatal("esc must leave the box and keep the search")
	}
	h.press("/", "tab")
	if h.m.searching {
		t.Fatal("tab must leave the box")
	}
}

func TestPasteIntoSearchAndEmail(t *testing.T) {
	h := newHarness(t, fixture(60))
	h.press("/")
	h.send(tea.PasteMsg{Content: "acme"})
	if !strings.HasPrefix(h.footer(), "Showing 1–6 of 6 matches (60 total)") {
		t.Fatalf("paste did not narrow: %q", h.footer())
	}
	h.press("enter", "c")
	h.send(tea.PasteMsg{Content: "ceo@bakery.example"})
	h.press("enter")
	if len(h.core.links) != 1 || h.core.links[0].Email != "ceo@bakery.example" {
		t.Fatalf("pasted email: %+v", h.core.links)
	}
}

// TestSearchIsTheCoresSearch: ref IDs match, case is ignored beyond ASCII,
// exactly as orgs list --search (the matcher is the core's own).
func TestSearchIsTheCoresSearch(t *testing.T) {
	orgs := fixture(12)
	orgs[0].Name, orgs[1].Name = "ÉCOLE Lumière", "Straße Café"
	sortByName(orgs)
	h := newHarness(t, orgs)
	for _, c := range []struct {
		search string
		n      int
	}{{"école", 1}, {"LUMIÈRE", 1}, {"straße", 1}, {"STRASSE", 0}, {"cust-000", 9}, {"CUST-0012", 1}, {"e", 12}} {
		h.press("x", "/")
		h.typeText(c.search)
		q := console.OrgQuery{Search: c.search}
		match := q.Matcher()
		want := 0
		for i := range orgs {
			if match(&orgs[i]) {
				want++
			}
		}
		if h.m.list.len() != c.n || want != c.n {
			t.Fatalf("search %q: console %d, core matcher %d, want %d", c.search, h.m.list.len(), want, c.n)
		}
		h.press("enter")
	}
}

func TestStatusAndLicenseFilters(t *testing.T) {
	h := newHarness(t, fixture(60)) // 15 of each status; 20 unlicensed
	wants := []struct{ label, footer string }{
		{"Status (s): New", "of 15 matches"},
		{"Status (s): Setup incomplete", "of 15 matches"},
		{"Status (s): Inactive", "of 15 matches"},
		{"Status (s): Healthy", "of 15 matches"},
		{"Status (s): All", "Showing 1–25 of 60 orgs"},
	}
	for _, w := range wants {
		h.press("s")
		h.mustContain(w.label)
		if !strings.Contains(h.footer(), w.footer) {
			t.Fatalf("%s: footer %q", w.label, h.footer())
		}
	}
	h.press("l")
	h.mustContain("License (l): Active")
	if !strings.Contains(h.footer(), "of 40 matches") {
		t.Fatalf("license active: %q", h.footer())
	}
	h.press("l")
	h.mustContain("License (l): None")
	if !strings.Contains(h.footer(), "of 20 matches") {
		t.Fatalf("license none: %q", h.footer())
	}
	h.press("s") // both filters at once: new and unlicensed
	if !strings.Contains(h.footer(), "of 5 matches") {
		t.Fatalf("new + none: %q", h.footer())
	}
	for i := 0; i < h.m.list.len(); i++ {
		if o := h.m.list.at(i); o.Status() != "new" || o.LicenseStatus != console.OrgLicenseNone {
			t.Fatalf("filter kept %s %s", o.Status(), o.LicenseStatus)
		}
	}
	h.press("l")
	h.mustContain("License (l): All")
	h.press("/")
	h.typeText("acme")
	h.press("enter", "x")
	if h.m.filters.active() || h.m.search.Value() != "" || !strings.HasPrefix(h.footer(), "Showing 1–25 of 60 orgs") {
		t.Fatalf("x did not clear: %+v %q", h.m.filters, h.footer())
	}
}

func TestPaging(t *testing.T) {
	h := newHarness(t, fixture(60))
	steps := []struct{ key, footer string }{
		{"right", "Showing 26–50 of 60 orgs"},
		{"right", "Showing 51–60 of 60 orgs"},
		{"right", "Showing 51–60 of 60 orgs"}, // the last page stays
		{"left", "Showing 26–50 of 60 orgs"},
		{"home", "Showing 1–25 of 60 orgs"},
		{"end", "Showing 51–60 of 60 orgs"},
		{"g", "Showing 1–25 of 60 orgs"},
		{"G", "Showing 51–60 of 60 orgs"},
		{"pgup", "Showing 26–50 of 60 orgs"},
		{"pgdown", "Showing 51–60 of 60 orgs"},
		{"r", "Showing 51–60 of 60 orgs"}, // 50 rows: the selection stays on screen, page 2
		{"home", "Showing 1–50 of 60 orgs"},
		{"r", "Showing 1–60 of 60 orgs"},
		{"r", "Showing 1–10 of 60 orgs"},
		{"end", "Showing 51–60 of 60 orgs"},
		{"r", "Showing 51–60 of 60 orgs"}, // back to 25: row 51 is on page 3
	}
	for i, s := range steps {
		h.press(s.key)
		if got := h.footer(); !strings.HasPrefix(got, s.footer) {
			t.Fatalf("step %d (%s): footer %q, want %q", i, s.key, got, s.footer)
		}
	}
	if h.m.perPage != 25 {
		t.Fatalf("rows cycle 25, 50, 100, 10, 25: at %d", h.m.perPage)
	}
	h.press("home")
	if !strings.HasSuffix(h.footer(), "Rows (r): 25   « ‹ Page 1 of 3 › »") {
		t.Fatalf("footer %q", h.footer())
	}
}

func TestRowsMoveAcrossPagesAndScroll(t *testing.T) {
	h := newHarness(t, fixture(60))
	h.press("up")
	if h.m.sel != 0 {
		t.Fatal("up at the top moved")
	}
	for i := 0; i < 25; i++ {
		h.press("down")
	}
	if h.m.sel != 25 || !strings.HasPrefix(h.footer(), "Showing 26–50") {
		t.Fatalf("down past the page: sel %d, %q", h.m.sel, h.footer())
	}
	h.press("k")
	if h.m.sel != 24 || !strings.HasPrefix(h.footer(), "Showing 1–25") {
		t.Fatalf("k back: sel %d, %q", h.m.sel, h.footer())
	}
	h.press("G")
	for i := 0; i < 20; i++ {
		h.press("j")
	}
	if h.m.sel != 59 {
		t.Fatalf("down at the end: sel %d", h.m.sel)
	}
	// 100 rows a page on a 24-line screen: the selection scrolls into view.
	h.press("home", "r", "r")
	if h.m.perPage != 100 {
		t.Fatalf("per page %d", h.m.perPage)
	}
	for i := 0; i < 40; i++ {
		h.press("down")
		if h.selectedRow() == "" {
			t.Fatalf("row %d selected but not on screen", h.m.sel)
		}
	}
	want := h.m.list.at(40).Name
	if row := h.selectedRow(); !strings.Contains(row, want) {
		t.Fatalf("selected row %q, want %s", row, want)
	}
	h.resize(80, 40) // a taller screen shows more of the page, selection still on it
	if !strings.Contains(h.selectedRow(), want) {
		t.Fatal("selection lost on resize")
	}
}

func TestDetailsShowTheExplanation(t *testing.T) {
	h := newHarness(t, fixture(8))
	h.press("down", "enter")
	sel := h.m.list.at(1)
	if len(h.core.shown) != 1 || h.core.shown[0] != sel.ID {
		t.Fatalf("ShowOrg calls %v, want [%s]", h.core.shown, sel.ID)
	}
	h.mustContain(sel.Name+" · "+sel.RefID, "ID            "+sel.ID, "Why           rule ", sel.Verdict.Reason, "Sessions      ")
	if !strings.HasPrefix(h.hints(), "o open · c login link · esc back") {
		t.Fatalf("hints %q", h.hints())
	}
	h.press("esc")
	for _, back := range []string{"esc", "q", "enter", "backspace"} {
		h.press("enter")
		if h.m.pane != paneDetails {
			t.Fatal("enter did not show details")
		}
		h.press(back)
		if h.m.pane != paneTable || h.quit {
			t.Fatalf("%s did not go back to the table (quit %v)", back, h.quit)
		}
	}
	h.press("enter", "o")
	if len(h.core.opened) != 1 || h.core.opened[0] != sel.ID {
		t.Fatalf("o in details opened %v", h.core.opened)
	}
	h.press("esc", "enter", "c")
	if h.m.pane != paneEmail || h.m.target.ID != sel.ID {
		t.Fatal("c in details did not ask for the email")
	}
}

func TestDetailsOfAnOrgDeletedMeanwhile(t *testing.T) {
	h := newHarness(t, fixture(4))
	h.core.snap.Orgs = nil // deleted since the list was read
	h.press("enter")
	h.mustContain("Could not show the org", "no org")
}

func TestOpen(t *testing.T) {
	h := newHarness(t, fixture(8))
	h.press("down", "down", "o")
	sel := h.m.list.at(2)
	if len(h.core.opened) != 1 || h.core.opened[0] != sel.ID {
		t.Fatalf("OpenOrg calls %v, want [%s]", h.core.opened, sel.ID)
	}
	h.mustContain("Opened "+sel.Name+" ("+sel.ID+") as partner", "partnerctl orgs close", "https://login.example.com/orgs/"+sel.ID+"/inbox")
	if h.flash() != "Active org: "+sel.Name {
		t.Fatalf("flash %q", h.flash())
	}
	h.press("enter")
	if h.m.pane != paneTable {
		t.Fatal("enter did not close the result")
	}
}

func TestOpenRefused(t *testing.T) {
	h := newHarness(t, fixture(4))
	h.core.openErr = fail.Deniedf("you are not a member of the admin org Acme HQ").WithHint("ask an admin")
	h.press("o")
	h.mustContain("Not opened", "you are not a member of the admin org Acme HQ; ask an admin")
}

func TestOneActionAtATime(t *testing.T) {
	h := newHarness(t, fixture(4))
	// Hold the first call's answer: press o, don't run the command yet.
	_, cmd := h.m.Update(keyMsg("o"))
	if cmd == nil || h.m.busy == "" {
		t.Fatal("o started nothing")
	}
	h.mustContain("Opening " + h.m.list.at(0).Name + "…")
	if _, again := h.m.Update(keyMsg("o")); again != nil {
		t.Fatal("a second open started while the first was in flight")
	}
	h.run(cmd)
	if len(h.core.opened) != 1 || h.m.busy != "" {
		t.Fatalf("opened %v busy %q", h.core.opened, h.m.busy)
	}
}

func TestLoginLinkCopied(t *testing.T) {
	h := newHarness(t, fixture(8))
	h.press("down", "c")
	sel := h.m.list.at(1)
	h.mustContain("Login link into "+sel.Name, "Email:")
	if h.hints() != "enter make the link · esc cancel" {
		t.Fatalf("hints %q", h.hints())
	}
	h.typeText("q") // typed into the email, not quit
	h.press("backspace")
	h.typeText("ceo@bakery.example")
	h.press("enter")
	if len(h.core.links) != 1 || h.core.links[0] != (console.LinkParams{Org: sel.ID, Email: "ceo@bakery.example"}) {
		t.Fatalf("CreateLink calls %+v", h.core.links)
	}
	if len(h.clip.copied) != 1 || !strings.HasPrefix(h.clip.copied[0], "https://login.example.com/magic?token=plk_") {
		t.Fatalf("copied %v", h.clip.copied)
	}
	h.mustContain("Login link lnk_000001 for ceo@bakery.example into "+sel.Name, "Copied the URL to the clipboard. It works once, until 2026-11-23 12:15 UTC.")
	h.mustNotContain("token=plk_") // copied: the screen need not show it
	if h.flash() != "Copied a login link for ceo@bakery.example to the clipboard" {
		t.Fatalf("flash %q", h.flash())
	}
	if len(h.m.Uncopied()) != 0 || h.quit {
		t.Fatal("a copied link is not printed on quit")
	}
}

func TestLoginLinkWithoutClipboard(t *testing.T) {
	for _, c := range []struct {
		name string
		clip *fakeClipboard
		why  string
	}{
		{"no clipboard", &fakeClipboard{supported: false}, "Not copied: " + strings.Split(clipboard.ErrUnsupported.Error(), " (")[0]},
		{"failing clipboard", &fakeClipboard{supported: true, err: errBoom}, "Not copied: the clipboard failed (exit status 1)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, fixture(4), func(o *Options) { o.Clipboard = c.clip })
			h.press("c")
			h.typeText("ops@acme.example")
			h.press("enter")
			url := "https://login.example.com/magic?token=plk_" + strings.Repeat("A", 43)
			// The URL is shown whole, broken over lines if it must be.
			joined := strings.ReplaceAll(h.screen(), " │\n│ ", "")
			if !strings.Contains(joined, url) {
				t.Fatalf("URL not shown whole:\n%s", h.screen())
			}
			h.mustContain(c.why)
			if u := h.m.Uncopied(); len(u) != 1 || u[0].URL != url {
				t.Fatalf("uncopied %+v", u)
			}
		})
	}
}

func TestLoginLinkBadOrEmptyEmail(t *testing.T) {
	h := newHarness(t, fixture(4))
	h.press("c", "enter")
	h.mustContain("Type the email address the link signs in, or esc to cancel")
	if len(h.core.links) != 0 {
		t.Fatal("an empty email reached the core")
	}
	h.typeText("not-an-email")
	h.press("enter")
	if h.m.pane != paneEmail {
		t.Fatal("a bad email closed the prompt")
	}
	h.mustContain("invalid email")
	h.press("ctrl+u") // textinput: delete to the start
	h.typeText("ok@acme.example")
	h.press("enter")
	if len(h.core.links) != 2 || h.m.pane != paneResult {
		t.Fatalf("fixed email: calls %d pane %d", len(h.core.links), h.m.pane)
	}
}

func TestLoginLinkCancelled(t *testing.T) {
	h := newHarness(t, fixture(4))
	h.press("c")
	h.typeText("ceo@bakery.example")
	h.press("esc")
	if h.m.pane != paneTable || len(h.core.links) != 0 || h.quit {
		t.Fatalf("esc: pane %d, links %d, quit %v", h.m.pane, len(h.core.links), h.quit)
	}
	h.press("c") // the prompt starts empty again
	if h.m.email.Value() != "" {
		t.Fatalf("email kept %q", h.m.email.Value())
	}
}

func TestHelp(t *testing.T) {
	h := newHarness(t, fixture(4))
	for _, closeKey := range []string{"?", "esc", "q", "enter"} {
		h.press("?")
		h.mustContain("Keys · the search narrows the list as you type", "copy a login link", "cycle license filter", "quit from anywhere")
		h.press(closeKey)
		if h.m.pane != paneTable || h.quit {
			t.Fatalf("%s: pane %d quit %v", closeKey, h.m.pane, h.quit)
		}
	}
}

func TestQuitKeys(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup []string
		key   string
		quits bool
	}{
		{"q", nil, "q", true},
		{"esc", nil, "esc", true},
		{"ctrl+c", nil, "ctrl+c", true},
		{"ctrl+c in the search", []string{"/"}, "ctrl+c", true},
		{"ctrl+c in the email prompt", []string{"c"}, "ctrl+c", true},
		{"ctrl+c in help", []string{"?"}, "ctrl+c", true},
		{"ctrl+c in details", []string{"enter"}, "ctrl+c", true},
		{"q in the search", []string{"/"}, "q", false},
		{"esc in the search", []string{"/"}, "esc", false},
		{"esc in details", []string{"enter"}, "esc", false},
		{"esc in the email prompt", []string{"c"}, "esc", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, fixture(4))
			h.press(c.setup...)
			h.press(c.key)
			if h.quit != c.quits {
				t.Fatalf("quit %v, want %v", h.quit, c.quits)
			}
		})
	}
	h := newHarness(t, fixture(4))
	h.press("ctrl+z")
	if len(h.other) != 1 {
		t.Fatalf("ctrl+z gave %v", h.other)
	}
	if _, ok := h.other[0].(tea.SuspendMsg); !ok {
		t.Fatalf("ctrl+z gave %T", h.other[0])
	}
}

func TestReload(t *testing.T) {
	h := newHarness(t, fixture(8))
	h.press("down", "down")
	id := h.m.list.at(2).ID
	h.core.snap = snapshot(fixture(12))
	h.press("ctrl+r")
	if h.core.loads != 1 || len(h.m.list.all) != 12 || h.m.selectedID() != id {
		t.Fatalf("loads %d, orgs %d, selected %s want %s", h.core.loads, len(h.m.list.all), h.m.selectedID(), id)
	}
	if h.flash() != "Reloaded 12 orgs" {
		t.Fatalf("flash %q", h.flash())
	}
	h.core.loadErr = fail.Busyf("the store is busy")
	h.press("ctrl+r")
	if h.flash() != "Reload failed: the store is busy" || len(h.m.list.all) != 12 {
		t.Fatalf("flash %q", h.flash())
	}
}

func TestEmptyStore(t *testing.T) {
	h := newHarness(t, nil)
	h.mustContain("No connected orgs yet", "Showing 0 of 0 orgs", "Page 1 of 1")
	h.press("enter", "o", "c", "down", "end", "right")
	if h.m.pane != paneTable || len(h.core.opened)+len(h.core.links)+len(h.core.shown) != 0 {
		t.Fatal("actions on an empty list did something")
	}
}

func TestStartOptions(t *testing.T) {
	h := newHarness(t, fixture(60), func(o *Options) { o.Search, o.PerPage = "acme", 10 })
	if !strings.HasPrefix(h.footer(), "Showing 1–6 of 6 matches (60 total)") || h.m.perPage != 10 {
		t.Fatalf("footer %q per page %d", h.footer(), h.m.perPage)
	}
	h.mustContain("Search: acme")
}

func TestColorAndNoColor(t *testing.T) {
	colored := newHarness(t, fixture(8), func(o *Options) { o.Color = true })
	plain := newHarness(t, fixture(8))
	if s := colored.m.Screen(); !strings.Contains(s, "\x1b[32m") && !strings.Contains(s, "\x1b[38;5;2m") {
		t.Fatalf("no color with color on: %q", s[:200])
	}
	s := plain.m.Screen()
	for _, code := range []string{"\x1b[3", "\x1b[9", "38;", "48;"} {
		if strings.Contains(s, code) {
			t.Fatalf("color code %q with color off", code)
		}
	}
	if !strings.Contains(s, "\x1b[7m") {
		t.Fatal("the selection must stay visible (reverse video) without color")
	}
	if ansi.Strip(s) != ansi.Strip(colored.m.Screen()) {
		t.Fatal("color must not change the text")
	}
}

func TestHostileTextIsShownEscaped(t *testing.T) {
	orgs := fixture(3)
	orgs[0].Name = "Evil\x1b[2JCorp\u202e"
	orgs[0].RefID = "R\x07F"
	h := newHarness(t, orgs)
	s := h.m.Screen()
	if strings.Contains(s, "\x1b[2J") || strings.Contains(s, "\u202e") || strings.Contains(s, "\x07") {
		t.Fatal("control sequences reached the screen")
	}
	h.mustContain(`Evil\x1b[2JCorp\u202e · R\x07F`)
}

func TestInjectedPanicsQuitCleanly(t *testing.T) {
	defer func() { injectPanic = "" }()

	injectPanic = "update"
	h := newHarness(t, fixture(4))
	model, cmd := h.m.Update(keyMsg("!"))
	if model != h.m {
		t.Fatalf("after a panic Update returned %v, not the model", model)
	}
	h.run(cmd)
	if !h.quit || h.m.Err() == nil || !fail.Is(h.m.Err(), fail.Internal) {
		t.Fatalf("update panic: quit %v err %v", h.quit, h.m.Err())
	}

	injectPanic = "view"
	h = newHarness(t, fixture(4))
	quitAsked := false
	h.m.quitProgram = func() { quitAsked = true }
	h.press("!")
	if s := h.m.Screen(); s != "" || !quitAsked || h.m.Err() == nil {
		t.Fatalf("view panic: screen %q quit %v err %v", s, quitAsked, h.m.Err())
	}

	injectPanic = ""
	h = newHarness(t, fixture(4))
	h.core.panicOn = "OpenOrg"
	h.press("o")
	if !h.quit || h.m.Err() == nil || !strings.Contains(h.m.Err().Error(), "boom in OpenOrg") {
		t.Fatalf("core call panic: quit %v err %v", h.quit, h.m.Err())
	}
}
