package views

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
)

// fill sets every string reachable in v (fields, embedded structs, string
// pointers, string slices and maps' values are left alone) to s, as if every
// text a user or a feed supplied were s.
func fill(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(s)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), s)
			}
		}
	case reflect.Pointer:
		if v.Type().Elem().Kind() == reflect.String && v.CanSet() {
			p := reflect.New(v.Type().Elem())
			p.Elem().SetString(s)
			v.Set(p)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct && v.CanSet() {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			fill(v.Index(0), s)
		}
	}
}

func filled[T any](s string) T {
	var row T
	fill(reflect.ValueOf(&row).Elem(), s)
	return row
}

// sgr is the only escape sequence a printer may write: its own colors.
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// leaks reports the first byte offset of a control sequence, C1 control,
// bidi control or invalid UTF-8 in out, once the printer's own colors are
// taken out; -1 when there is none.
func leaks(out []byte) int {
	out = sgr.ReplaceAll(out, nil)
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRune(out[i:])
		switch {
		case r == utf8.RuneError && size <= 1,
			r < 0x20 && r != '\t' && r != '\n',
			r >= 0x7f && r <= 0x9f,
			r == 0x2028, r == 0x2029,
			r >= 0x202a && r <= 0x202e,
			r >= 0x2066 && r <= 0x2069:
			return i
		}
		i += size
	}
	return -1
}

var formats = []output.Options{
	{Format: output.FormatTable},
	{Format: output.FormatTable, TTY: true},
	{Format: output.FormatTable, TTY: true, Color: true},
	{Format: output.FormatJSON},
	{Format: output.FormatCSV},
	{Format: output.FormatCSV, CSVRaw: true},
}

func checkTable[T any](t *testing.T, name string, tab output.Table[T], s string) {
	t.Helper()
	row := filled[T](s)
	for _, o := range formats {
		o.Now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		// every column; on a terminal also the terminal's own columns
		sets := [][]string{tab.Keys()}
		if o.TTY {
			sets = append(sets, nil)
		}
		for _, fields := range sets {
			o.Fields = fields
			var list, one bytes.Buffer
			if err := output.PrintList(&list, tab, []T{row, row}, o); err != nil {
				t.Fatalf("%s %+v: %v", name, o, err)
			}
			if o.TTY || o.Format == output.FormatJSON { // else PrintOne is PrintList
				if err := output.PrintOne(&one, tab, row, o); err != nil {
					t.Fatalf("%s %+v: %v", name, o, err)
				}
			}
			for _, out := range [][]byte{list.Bytes(), one.Bytes()} {
				if i := leaks(out); i >= 0 {
					t.Fatalf("%s %+v printed a control from %q at byte %d:\n%q", name, o, s, i, out)
				}
				if o.Format == output.FormatJSON && len(out) > 0 && !json.Valid(out) {
					t.Fatalf("%s printed invalid JSON from %q:\n%s", name, s, out)
				}
			}
		}
	}
	var nested bytes.Buffer
	if err := output.PrintJSON(&nested, row, output.Options{Format: output.FormatJSON}); err != nil {
		t.Fatal(err)
	}
	if i := leaks(nested.Bytes()); i >= 0 || !json.Valid(nested.Bytes()) {
		t.Fatalf("%s PrintJSON from %q: %q", name, s, nested.Bytes())
	}
}

// FuzzViewsNeverEmitControls: whatever text a store holds, no view prints a
// terminal control sequence (ESC, C1, bidi controls, invalid UTF-8) in any
// format, and JSON output stays valid.
func FuzzViewsNeverEmitControls(f *testing.F) {
	for _, s := range []string{"Acme", "\x1b[2J", "\x1b]52;c;aGk=\x07", "\x1b]8;;https://x\x1b\\y\x1b]8;;\x1b\\",
		"\u202eevil", "\u009b31m", "\xff\xfe", "=cmd|' /C calc'!A0", "a\rb\nc\td", "\x7f", "\u2066\u2069", "é\u200d👍"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkTable(t, "Orgs", Orgs, s)
		checkTable(t, "Links", Links, s)
		checkTable(t, "NewLink", NewLink, s)
		checkTable(t, "Redeemed", Redeemed, s)
		checkTable(t, "Audit", Audit, s)
		checkTable(t, "ActiveOrg", ActiveOrg, s)
		checkTable(t, "Partner", Partner, s)
		checkTable(t, "WhoAmI", WhoAmI, s)
		checkTable(t, "Users", Users, s)
		checkTable(t, "Invites", Invites, s)
		checkTable(t, "NewInvites", NewInvites, s)
		checkTable(t, "Licenses", Licenses, s)
		checkTable(t, "LicenseChanges", LicenseChanges, s)
		checkTable(t, "Brand", Brand, s)
		checkTable(t, "LoginMethods", LoginMethods, s)
		checkTable(t, "Stats", Stats, s)
	})
}

// The filler must reach the text the views print, or the fuzz proves nothing.
func TestFillReachesViewText(t *testing.T) {
	o := filled[console.OrgView]("X")
	l := filled[console.LicenseView]("X")
	e := filled[domain.AuditEntry]("X")
	if o.Name != "X" || o.RefID != "X" || l.Reason != "X" || l.OrgName != "X" || e.Detail != "X" {
		t.Fatalf("fill missed fields: %+v %+v %+v", o, l, e)
	}
}
