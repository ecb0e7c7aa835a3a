package output

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

type person struct{ ID, Name, Email, Note, State string }

var people = Table[person]{
	Columns: []Column[person]{
		{Key: "id", Header: "ID", Value: func(p *person) any { return p.ID }},
		{Key: "name", Header: "NAME", Value: func(p *person) any { return p.Name }, Truncate: true},
		{Key: "email", Header: "EMAIL", Value: func(p *person) any { return p.Email }, Truncate: true, Drop: 2},
		{Key: "note", Header: "NOTE", Value: func(p *person) any { return p.Note }, Truncate: true, Drop: 1},
		{Key: "state", Header: "STATE", Value: func(p *person) any { return p.State }},
	},
	Default: []string{"id", "name", "email", "note", "state"},
	Noun:    "people",
}

var crowd = []person{
	{"p_000001", "Ada Lovelace", "ada@analytical-engine.example", "first programmer, wrote the notes on the engine", "active"},
	{"p_000002", "Grace Brewster Murray Hopper", "grace@navy.example", "", "retired"},
}

func drawn(t *testing.T, rows []person, o Options) string {
	t.Helper()
	o.Format, o.TTY = FormatTable, true
	var buf bytes.Buffer
	if err := PrintList(&buf, people, rows, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// Exact layouts: wide enough shows everything; narrower cuts the widest free
// text first, evenly, down to 20 columns, then drops NOTE (Drop 1) before
// EMAIL (Drop 2); ID and STATE are never cut or dropped.
func TestFitLayouts(t *testing.T) {
	cases := []struct {
		width int
		want  string
	}{
		{0, `
 ID        NAME                          EMAIL                          NOTE                                             STATE   
─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
 p_000001  Ada Lovelace                  ada@analytical-engine.example  first programmer, wrote the notes on the engine  active  
 p_000002  Grace Brewster Murray Hopper  grace@navy.example             —                                                retired 
`},
		{100, `
 ID        NAME                       EMAIL                      NOTE                       STATE   
────────────────────────────────────────────────────────────────────────────────────────────────────
 p_000001  Ada Lovelace               ada@analytical-engine.ex…  first programmer, wrote …  active  
 p_000002  Grace Brewster Murray Ho…  grace@navy.example         —                          retired 
`},
		{80, `
 ID        NAME                          EMAIL                          STATE   
────────────────────────────────────────────────────────────────────────────────
 p_000001  Ada Lovelace                  ada@analytical-engine.example  active  
 p_000002  Grace Brewster Murray Hopper  grace@navy.example             retired 
`},
		{50, `
 ID        NAME                          STATE   
─────────────────────────────────────────────────
 p_000001  Ada Lovelace                  active  
 p_000002  Grace Brewster Murray Hopper  retired 
`},
		{40, `
 ID        NAME                 STATE   
────────────────────────────────────────
 p_000001  Ada Lovelace         active  
 p_000002  Grace Brewster Mur…  retired 
`},
	}
	for _, c := range cases {
		if got := drawn(t, crowd, Options{Width: c.width}); "\n"+got != c.want {
			t.Errorf("width %d:\n%s\nwant:%s", c.width, got, c.want)
		}
	}
}

// Columns chosen with --fields are never dropped: they are cut instead.
func TestFitKeepsChosenFields(t *testing.T) {
	got := drawn(t, crowd, Options{Width: 60, Fields: []string{"id", "email", "note"}})
	for _, want := range []string{"EMAIL", "NOTE", "ada@analytical-engine.…"} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
	assertFits(t, got, 60)
}

// Whatever the data and the width (down to 20 columns), no line is wider
// than the terminal: a table never wraps. Colors don't count as width.
func TestFitNeverWraps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		n := rng.IntN(40)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteRune([]rune("abcdefghijklmnopqrstuvwxyz -éü漢●")[rng.IntN(32)])
		}
		return b.String()
	}
	for i := 0; i < 200; i++ {
		rows := make([]person, 1+rng.IntN(4))
		for r := range rows {
			rows[r] = person{fmt.Sprintf("p_%06d", r), word(), word(), word(), word()}
		}
		width := 20 + rng.IntN(140)
		assertFits(t, drawn(t, rows, Options{Width: width, Color: rng.IntN(2) == 0}), width)
	}
}

func assertFits(t *testing.T, out string, width int) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if w := twwidth.Width(line); w > width {
			t.Fatalf("line %d columns wide at width %d: %q", w, width, line)
		}
	}
}

// Off a terminal nothing is cut or dropped, whatever the width.
func TestPlainIgnoresWidth(t *testing.T) {
	var buf bytes.Buffer
	if err := PrintList(&buf, people, crowd, Options{Format: FormatTable, Width: 40}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "first programmer, wrote the notes on the engine") {
		t.Fatalf("plain output was cut:\n%s", buf.String())
	}
}

func TestEmptyListOnATerminal(t *testing.T) {
	var out, diag bytes.Buffer
	if err := PrintList(&out, people, nil, Options{Format: FormatTable, TTY: true, Width: 80, Diag: &diag}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "" || diag.String() != "No people to show\n" {
		t.Fatalf("stdout %q, diag %q", out.String(), diag.String())
	}
	out.Reset()
	diag.Reset()
	PrintList(&out, people, nil, Options{Format: FormatTable, TTY: true, Diag: &diag, Empty: "No people match; try less"})
	if out.String() != "" || diag.String() != "No people match; try less\n" {
		t.Fatalf("stdout %q, diag %q", out.String(), diag.String())
	}
}

func TestDetailWrapsLongValues(t *testing.T) {
	var buf bytes.Buffer
	err := PrintOne(&buf, people, crowd[0], Options{Format: FormatTable, TTY: true, Width: 40})
	if err != nil {
		t.Fatal(err)
	}
	want := `ID     p_000001
NAME   Ada Lovelace
EMAIL  ada@analytical-engine.example
NOTE   first programmer, wrote the notes
       on the engine
STATE  active
`
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
