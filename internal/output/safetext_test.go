package output

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func TestSafeTextEscapesControlsVisibly(t *testing.T) {
	cases := map[string]string{
		"plain é 日本 ✓":                  "plain é 日本 ✓",
		"tab\tand\nnewline stay":        "tab\tand\nnewline stay",
		"\x1b[2J clear":                 `\x1b[2J clear`,
		"\x1b]52;c;aGk=\x07 clipboard":  `\x1b]52;c;aGk=\x07 clipboard`,
		"\x1b]8;;http://x\x1b\\link":    `\x1b]8;;http://x\x1b\link`,
		"cr\rover":                      `cr\x0dover`,
		"del\x7f":                       `del\x7f`,
		"c1 \u009b2J":                   `c1 \u009b2J`,
		"bidi \u202eevil\u202c":         `bidi \u202eevil\u202c`,
		"isolate \u2066x\u2069":         `isolate \u2066x\u2069`,
		"line\u2028sep":                 `line\u2028sep`,
		"bad \xff\xfe utf8":             `bad \xff\xfe utf8`,
		"zero\u200bwidth joins \u200d ": "zero\u200bwidth joins \u200d ",
	}
	for in, want := range cases {
		if got := SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
}

type hostile struct {
	Name string
	N    int
}

var hostileTable = Table[hostile]{
	Columns: []Column[hostile]{
		{Key: "name", Header: "NAME", Value: func(h *hostile) any { return h.Name }},
		{Key: "n", Header: "N", Value: func(h *hostile) any { return h.N }},
	},
	Default: []string{"name", "n"},
	Terminal: []Column[hostile]{
		{Header: "NAME", Human: func(h hostile, c Context) string { return c.Style.Bold(h.Name) + c.Style.Gray(" ·") }},
		{Header: "N", Value: func(h *hostile) any { return h.N }},
	},
}

const evil = "Evil\x1b]52;c;aGk=\x07\u202eCo\u009b"

func TestEveryFormatEscapesHostileText(t *testing.T) {
	row := []hostile{{Name: evil, N: -5}}
	cases := []struct {
		o    Options
		want string
	}{
		{Options{Format: FormatTable}, "NAME\tN\n" + `Evil\x1b]52;c;aGk=\x07\u202eCo\u009b` + "\t-5\n"},
		{Options{Format: FormatCSV}, "name,n\n" + `Evil\x1b]52;c;aGk=\x07\u202eCo\u009b` + ",-5\n"},
		{Options{Format: FormatJSON}, "[{\"name\":\"Evil\\u001b]52;c;aGk=\\u0007\\u202eCo\\u009b\",\"n\":-5}]\n"},
		{Options{Format: FormatJSON, TTY: true}, "[\n  {\n    \"name\": \"Evil\\u001b]52;c;aGk=\\u0007\\u202eCo\\u009b\",\n    \"n\": -5\n  }\n]\n"},
		{Options{Format: FormatTable, TTY: true, Fields: []string{"name"}, NoHeaders: true}, ` Evil\x1b]52;c;aGk=\x07\u202eCo\u009b ` + "\n"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if err := PrintList(&buf, hostileTable, row, c.o); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != c.want {
			t.Errorf("%+v:\ngot  %q\nwant %q", c.o, got, c.want)
		}
	}
	// JSON keeps the exact value: the escapes decode back to it
	var buf bytes.Buffer
	if err := PrintOne(&buf, hostileTable, row[0], Options{Format: FormatJSON}); err != nil {
		t.Fatal(err)
	}
	var back struct{ Name string }
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back.Name != evil {
		t.Fatalf("JSON %s decodes to %q (%v)", buf.String(), back.Name, err)
	}
	buf.Reset()
	if err := PrintJSON(&buf, map[string]string{"name": evil}, Options{Format: FormatJSON}); err != nil {
		t.Fatal(err)
	}
	if want := "{\"name\":\"Evil\\u001b]52;c;aGk=\\u0007\\u202eCo\\u009b\"}\n"; buf.String() != want {
		t.Errorf("PrintJSON:\ngot  %q\nwant %q", buf.String(), want)
	}
}

// A terminal cell that mixes a row's text with the style's colors keeps the
// colors for clean text and drops them (escaping the text) for hostile text.
func TestTerminalCellsKeepTheirColorsOnly(t *testing.T) {
	o := Options{Format: FormatTable, TTY: true, Color: true, NoHeaders: true}
	var buf bytes.Buffer
	if err := PrintList(&buf, hostileTable, []hostile{{Name: "Fine", N: 1}}, o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\x1b[1mFine\x1b[0m\x1b[90m ·\x1b[0m") {
		t.Errorf("clean text lost its colors: %q", buf.String())
	}
	buf.Reset()
	if err := PrintList(&buf, hostileTable, []hostile{{Name: "\x1b[1mFake", N: 1}}, o); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); strings.Contains(got, "\x1b") || !strings.Contains(got, `\x1b[1mFake ·`) {
		t.Errorf("hostile text reached the terminal: %q", got)
	}
	buf.Reset()
	if err := PrintOne(&buf, hostileTable, hostile{Name: evil}, Options{Format: FormatTable, TTY: true}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); strings.Contains(got, "\x1b") || strings.Contains(got, "\u202e") {
		t.Errorf("PrintOne let control text through: %q", got)
	}
}

func TestCSVNeutralisesFormulaTextOnly(t *testing.T) {
	var rows []hostile
	for _, name := range []string{"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", "", "safe"} {
		rows = append(rows, hostile{Name: name, N: -7})
	}
	render := func(raw bool) string {
		var buf bytes.Buffer
		if err := PrintList(&buf, hostileTable, rows, Options{Format: FormatCSV, NoHeaders: true, CSVRaw: raw}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	want := "'=1+1,-7\n'+1,-7\n'-1,-7\n'@SUM(A1),-7\n'\tx,-7\n\\x0dx,-7\na=b,-7\n,-7\nsafe,-7\n"
	if got := render(false); got != want {
		t.Errorf("csv:\ngot  %q\nwant %q", got, want)
	}
	// --csv-raw: cells as stored (control characters are still escaped)
	want = "=1+1,-7\n+1,-7\n-1,-7\n@SUM(A1),-7\n\"\tx\",-7\n\\x0dx,-7\na=b,-7\n,-7\nsafe,-7\n"
	if got := render(true); got != want {
		t.Errorf("csv raw:\ngot  %q\nwant %q", got, want)
	}
}

func TestSafeWriter(t *testing.T) {
	var buf bytes.Buffer
	w := SafeWriter(&buf)
	msg := "partnerctl: org \"\x1b[2J\u202e\" not found\n"
	if n, err := w.Write([]byte(msg)); err != nil || n != len(msg) {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if want := `partnerctl: org "\x1b[2J\u202e" not found` + "\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
	if RawWriter(w) != &buf || RawWriter(&buf) != &buf {
		t.Error("RawWriter must return the writer underneath")
	}
}

// Clean text, the usual case, costs one scan and no allocation.
func BenchmarkPlainAndCSVOfCleanText(b *testing.B) {
	rows := make([]hostile, 10000)
	for i := range rows {
		rows[i] = hostile{Name: "Acme Bakery & Café", N: i}
	}
	for _, f := range []Format{FormatTable, FormatCSV} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if err := PrintList(io.Discard, hostileTable, rows, Options{Format: f}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
