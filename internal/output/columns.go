// Package output prints every command's results. A result type declares its
// columns once (a Table); table, plain, JSON and CSV output are all derived
// from that declaration, so a field can't be in one format and not another.
package output

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// Column is one field of a result.
type Column[T any] struct {
	// Key is the JSON key, the CSV header and the --fields name.
	Key string
	// Header is the column title in table output.
	Header string
	// Value is the field's data: string, *string (a field of the row, not
	// copied into the interface), int, bool, time.Time, *time.Time or nil
	// for none. JSON and CSV print it as is, plain tables nearly so.
	// Printers hand it the address of their own copy of the row and use
	// what it returns before they copy the next row there.
	Value func(*T) any
	// Human, when set, renders the cell on a terminal (humanized, colored).
	Human func(T, Context) string
	// Drop is the column's place in the order columns leave a terminal
	// table too wide for the window: 1 goes first, then 2, and so on; 0
	// never goes (the columns that say which row is which).
	Drop int
	// Truncate lets a terminal cut the cell with "…" to make the table fit:
	// free text such as names, emails and reasons. Ids, counts, times and
	// states are shown whole or dropped, never cut.
	Truncate bool
	// Cut, when set, renders the cell in at most width display columns
	// instead of cutting the end off: "Acme Bak… · CUST-0042" keeps the ref
	// one types. It must return a cell of at most width columns.
	Cut func(row T, ctx Context, width int) string
}

// Context is what a terminal rendering may use.
type Context struct {
	Style Style
	Now   time.Time
}

// Table is the declaration of a result type's columns.
//
// Without --fields, JSON and CSV carry every column (they are for machines,
// which ignore what they don't need); a list drawn as a table, on a terminal
// or TAB-separated, shows Default; one object shown as a table shows Detail.
type Table[T any] struct {
	Columns []Column[T]
	// Default lists the keys of a list's table when --fields is not given.
	Default []string
	// Detail lists the keys of one object's table; nil means every column.
	Detail []string
	// Noun names the rows ("orgs"), for "No orgs to show" on a terminal.
	Noun string
	// Terminal, when set, replaces the default columns on a terminal, for
	// cells that combine fields (an org's name and ref in one column).
	Terminal []Column[T]
}

// Keys lists every valid field name.
func (t Table[T]) Keys() []string {
	keys := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		keys[i] = c.Key
	}
	return keys
}

// Select returns the columns named by fields, in that order, or the default
// ones. An unknown name is a usage error that lists the valid ones.
func (t Table[T]) Select(fields []string) ([]Column[T], error) {
	if len(fields) == 0 {
		fields = t.Default
	}
	return t.pick(fields)
}

// pick returns the columns named by fields, in that order; none means all.
func (t Table[T]) pick(fields []string) ([]Column[T], error) {
	if len(fields) == 0 {
		return t.Columns, nil
	}
	out := make([]Column[T], 0, len(fields))
	for _, f := range fields {
		i := slices.IndexFunc(t.Columns, func(c Column[T]) bool { return c.Key == f })
		if i < 0 {
			return nil, fail.Usagef("unknown field %q; valid fields: %s", f, strings.Join(t.Keys(), ","))
		}
		out = append(out, t.Columns[i])
	}
	return out, nil
}

// Prints reports whether output with o shows the field key: of a list, or
// of one object. With --jq or --template nobody can tell, so it is false.
func (t Table[T]) Prints(key string, o Options, list bool) bool {
	var keys []string
	switch {
	case o.JQ != "" || o.Template != "":
		return false
	case len(o.Fields) > 0:
		keys = o.Fields
	case o.Format == FormatJSON || o.Format == FormatCSV:
		keys = t.Keys()
	case list && o.TTY && t.Terminal != nil:
		return false
	case list:
		keys = t.Default
	case t.Detail != nil:
		keys = t.Detail
	default:
		keys = t.Keys()
	}
	return slices.Contains(keys, key)
}

// plainCell renders a value for plain (non-terminal) tables and CSV: times in
// RFC 3339 UTC, empty for none.
func plainCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case *string:
		return *x
	case int: // strconv, not fmt: a million rows of counts spent 0.3 s in fmt
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.UTC().Format(time.RFC3339)
	case *time.Time:
		if x == nil {
			return ""
		}
		return x.UTC().Format(time.RFC3339)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// appendPlainCell appends plainCell(v) without making the string first.
func appendPlainCell(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return b
	case string:
		return append(b, x...)
	case *string:
		return append(b, *x...)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case bool:
		return strconv.AppendBool(b, x)
	case time.Time:
		if x.IsZero() {
			return b
		}
		return x.UTC().AppendFormat(b, time.RFC3339)
	case *time.Time:
		if x == nil {
			return b
		}
		return x.UTC().AppendFormat(b, time.RFC3339)
	}
	return append(b, plainCell(v)...)
}
