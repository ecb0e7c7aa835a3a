package tui

import "charm.land/bubbles/v2/key"

// keyMap is every key the console answers to. The help screen (?) and the
// hint line are drawn from these bindings, so they can't disagree with
// what the keys do.
type keyMap struct {
	Up, Down                    key.Binding
	PrevPage, NextPage          key.Binding
	FirstPage, LastPage         key.Binding
	Search, Status, License     key.Binding
	Rows, Clear, Reload         key.Binding
	Details, Open, Link         key.Binding
	Help, Quit, ForceQuit       key.Binding
	Suspend                     key.Binding
	LeaveSearch, Submit, Cancel key.Binding
}

func defaultKeys() keyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Up:          b([]string{"up", "k"}, "↑/k", "previous row"),
		Down:        b([]string{"down", "j"}, "↓/j", "next row"),
		PrevPage:    b([]string{"left", "pgup"}, "←", "previous page"),
		NextPage:    b([]string{"right", "pgdown"}, "→", "next page"),
		FirstPage:   b([]string{"home", "g"}, "home/g", "first page"),
		LastPage:    b([]string{"end", "G"}, "end/G", "last page"),
		Search:      b([]string{"/"}, "/", "search"),
		Status:      b([]string{"s"}, "s", "status"),
		License:     b([]string{"l"}, "l", "license"),
		Rows:        b([]string{"r"}, "r", "rows"),
		Clear:       b([]string{"x"}, "x", "clear"),
		Reload:      b([]string{"ctrl+r"}, "ctrl+r", "reload"),
		Details:     b([]string{"enter"}, "enter", "details"),
		Open:        b([]string{"o"}, "o", "open"),
		Link:        b([]string{"c"}, "c", "login link"),
		Help:        b([]string{"?"}, "?", "keys"),
		Quit:        b([]string{"q", "esc"}, "q", "quit"),
		ForceQuit:   b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Suspend:     b([]string{"ctrl+z"}, "ctrl+z", "suspend"),
		LeaveSearch: b([]string{"enter", "esc", "tab"}, "enter/esc", "back to the table"),
		Submit:      b([]string{"enter"}, "enter", "make the link"),
		Cancel:      b([]string{"esc"}, "esc", "cancel"),
	}
}

// tableHints is the hint line under the table, most useful first: it is
// cut at the terminal's width. The filters' keys are in their labels.
func (k keyMap) tableHints() []key.Binding {
	return []key.Binding{k.Search, k.Details, k.Open, k.Link, k.Help, k.Quit, k.Rows, k.PrevPage, k.NextPage}
}

// helpGroups is the help screen (?): every key, by group, with a longer
// description than the hint line has room for.
func (k keyMap) helpGroups() []helpGroup {
	return []helpGroup{
		{"Move", []helpEntry{
			{"↑ ↓  k j", "previous / next row"},
			{"← →  pgup pgdn", "previous / next page"},
			{"home end  g G", "first / last page"},
		}},
		{"Leave", []helpEntry{
			{"esc", "back, or quit"},
			{"q", "quit"},
			{"ctrl+c", "quit from anywhere"},
			{"ctrl+z", "suspend"},
		}},
		{"Narrow", []helpEntry{
			{"/", "search as you type"},
			{"s", "cycle status filter"},
			{"l", "cycle license filter"},
			{"r", "rows per page"},
			{"x", "clear search, filters"},
			{"ctrl+r", "read the list again"},
		}},
		{"The selected row", []helpEntry{
			{"enter", "details (explain)"},
			{"o", "open (orgs open)"},
			{"c", "copy a login link"},
		}},
	}
}

type helpGroup struct {
	title   string
	entries []helpEntry
}

type helpEntry struct{ keys, desc string }
