package output

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

type row struct {
	Name string
	N    int
	OK   bool
	At   *time.Time
}

var at = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CET", 3600))

var rows = Table[row]{
	Columns: []Column[row]{
		{Key: "name", Header: "NAME", Value: func(r *row) any { return r.Name }},
		{Key: "n", Header: "N", Value: func(r *row) any { return r.N }},
		{Key: "ok", Header: "OK", Value: func(r *row) any { return r.OK }},
		{Key: "at", Header: "AT", Value: func(r *row) any { return r.At }},
	},
	Default: []string{"name", "n", "ok", "at"},
}

var data = []row{{Name: "a\tb, \"c\"\nd", N: 3, OK: true, At: &at}, {Name: "plain"}}

func render(t *testing.T, o Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := PrintList(&buf, rows, data, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestFormatsAreDerivedFromOneDeclaration(t *testing.T) {
	cases := []struct {
		o    Options
		want string
	}{
		{Options{Format: FormatTable}, "NAME\tN\tOK\tAT\na b, \"c\" d\t3\ttrue\t2026-11-23T09:00:00Z\nplain\t0\tfalse\t\n"},
		{Options{Format: FormatJSON}, "[{\"name\":\"a\\tb, \\\"c\\\"\\nd\",\"n\":3,\"ok\":true,\"at\":\"2026-11-23T09:00:00Z\"},{\"name\":\"plain\",\"n\":0,\"ok\":false,\"at\":null}]\n"},
		{Options{Format: FormatJSON, TTY: true, Fields: []string{"name", "n"}}, "[\n  {\n    \"name\": \"a\\tb, \\\"c\\\"\\nd\",\n    \"n\": 3\n  },\n  {\n    \"name\": \"plain\",\n    \"n\": 0\n  }\n]\n"},
		{Options{Format: FormatCSV}, "name,n,ok,at\n\"a\tb, \"\"c\"\"\nd\",3,true,2026-11-23T09:00:00Z\nplain,0,false,\n"},
		{Options{Format: FormatCSV, Fields: []string{"ok", "name"}, NoHeaders: true}, "true,\"a\tb, \"\"c\"\"\nd\"\nfalse,plain\n"},
		{Options{Format: FormatTable, Fields: []string{"n"}, NoHeaders: true}, "3\n0\n"},
	}
	for _, c := range cases {
		if got := render(t, c.o); got != c.want {
			t.Errorf("%+v:\ngot  %q\nwant %q", c.o, got, c.want)
		}
	}
}

func TestEmptyJSONListIsAnArray(t *testing.T) {
	var buf bytes.Buffer
	if err := PrintList(&buf, rows, nil, Options{Format: FormatJSON}); err != nil || buf.String() != "[]\n" {
		t.Fatalf("%q %v", buf.String(), err)
	}
}

func TestUnknownFieldListsTheValidOnes(t *testing.T) {
	err := PrintList(&bytes.Buffer{}, rows, data, Options{Format: FormatJSON, Fields: []string{"name", "nope"}})
	if !fail.Is(err, fail.Usage) || err.Error() != `unknown field "nope"; valid fields: name,n,ok,at` {
		t.Fatalf("err = %v", err)
	}
}

func TestTerminalRendering(t *testing.T) {
	now := at.Add(2 * time.Hour)
	got := render(t, Options{Format: FormatTable, TTY: true, Now: now})
	for _, want := range []string{"NAME", "2 hours ago", "yes", "—"} {
		if !bytes.Contains([]byte(got), []byte(want)) {
			t.Errorf("terminal table lacks %q:\n%s", want, got)
		}
	}
	if bytes.Contains([]byte(got), []byte("\x1b[")) {
		t.Error("color codes without Color")
	}
	colored := render(t, Options{Format: FormatTable, TTY: true, Color: true, Now: now})
	if !bytes.Contains([]byte(colored), []byte("\x1b[1mNAME\x1b[0m")) {
		t.Errorf("bold header missing:\n%q", colored)
	}
}

// The direct JSON writer must produce encoding/json's bytes exactly (without
// HTML escaping: "<a&b>" stays as it is).
func TestJSONValuesMatchEncodingJSON(t *testing.T) {
	if got, _ := marshalJSON("<a&b>"); string(got) != `"<a&b>"` {
		t.Fatalf("HTML escaping: %s", got)
	}
	at := time.Date(2026, 11, 20, 10, 0, 0, 123, time.FixedZone("X", 3600))
	values := []any{nil, "", "plain", `q"uote`, `back\slash`, "tab\t", "<a&b>", "héllo", "\u2028", "bad\xff",
		0, -7, 1 << 40, true, false, at, time.Time{}, &at, (*time.Time)(nil), 3.5, []string{"x"}}
	plain := "plain"
	values = append(values, &plain)
	for _, v := range values {
		got, err := appendJSONValue([]byte("x"), v)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := marshalJSON(jsonValue(v))
		if string(got) != "x"+string(want) {
			t.Errorf("%#v: wrote %s, want x%s", v, got, want)
		}
	}
}

func BenchmarkWriteJSONList(b *testing.B) {
	type row struct {
		Name string
		N    int
		At   *time.Time
	}
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	t := Table[row]{Columns: []Column[row]{
		{Key: "name", Value: func(r *row) any { return r.Name }},
		{Key: "n", Value: func(r *row) any { return r.N }},
		{Key: "at", Value: func(r *row) any { return r.At }},
	}, Default: []string{"name", "n", "at"}}
	rows := make([]row, 10000)
	for i := range rows {
		rows[i] = row{Name: "Acme Bakery", N: i, At: &at}
	}
	for b.Loop() {
		if err := PrintList(io.Discard, t, rows, Options{Format: FormatJSON}); err != nil {
			b.Fatal(err)
		}
	}
}

// A column may give a field of the row by address (*string), which boxes
// without allocating; every format prints it as the string itself.
func TestStringFieldByAddressPrintsAsTheString(t *testing.T) {
	byAddress := Table[row]{Columns: []Column[row]{{Key: "name", Header: "NAME", Value: func(r *row) any { return &r.Name }}}}
	byValue := Table[row]{Columns: []Column[row]{{Key: "name", Header: "NAME", Value: func(r *row) any { return r.Name }}}}
	for _, o := range []Options{{Format: FormatTable}, {Format: FormatJSON}, {Format: FormatCSV}, {Format: FormatTable, TTY: true}, {Format: FormatJSON, JQ: ".[].name"}} {
		var got, want bytes.Buffer
		if err := PrintList(&got, byAddress, data, o); err != nil {
			t.Fatal(err)
		}
		if err := PrintList(&want, byValue, data, o); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() || !bytes.Contains(got.Bytes(), []byte("plain")) {
			t.Errorf("%+v:\ngot  %q\nwant %q", o, got.String(), want.String())
		}
	}
}

// A plain table's cells are appended (appendPlainCell), cleaned only when
// not printable ASCII: each must be what cleaning plainCell's string gives.
func TestPlainCellsAppendAsTheyPrint(t *testing.T) {
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	s := "héllo\tworld\x1b[31m"
	values := []any{nil, "", "plain", "tab\tnew\nline\r", "\x1b]0;x\x07", "héllo", "bad\xff", "\u2028", &s,
		0, -7, 1 << 40, true, false, at, time.Time{}, &at, (*time.Time)(nil), 3.5, []string{"x"}}
	for _, v := range values {
		want := SafeText(clean.Replace(plainCell(v)))
		b := appendPlainCell([]byte("x"), v)
		got := string(b[1:])
		if !printableASCII(b[1:]) {
			got = SafeText(clean.Replace(got))
		}
		if got != want {
			t.Errorf("%#v: %q, want %q", v, got, want)
		}
	}
}
