// Package output prints every command's results. A result type declares its
// columns once (a Table); table, plain, JSON and CSV output are all derived
// from that declaration, so a field can't be in one format and not another.
package output

import (
	"fmt"
	"slices"
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
	// Value is the field's data: string, int, bool, time.Time, *time.Time or
	// nil for none. JSON and CSV print it as is, plain tables nearly so.
	Value func(T) any
	// Human, when set, renders the cell on a terminal (humanized, colored).
	Human func(T, Context) string
}

// Context is what a terminal rendering may use.
type Context struct {
	Style Style
	Now   time.Time
}

// Table is the declaration of a result type's columns.
type Table[T any] struct {
	Columns []Column[T]
	// Default lists the keys shown when --fields is not given.
	Default []string
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

// plainCell renders a value for plain (non-terminal) tables and CSV: times in
// RFC 3339 UTC, empty for none.
func plainCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
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
