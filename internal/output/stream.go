package output

import (
	"bufio"
	"io"
	"iter"
)

// Streams reports whether PrintRows writes rows as they come with o: compact
// JSON, CSV and the TAB-separated table. A table drawn on a terminal (its
// column widths), indented JSON, --jq and --template need every row first.
func Streams(o Options) bool {
	return !o.TTY && o.JQ == "" && o.Template == ""
}

// PrintRows is PrintList for rows read one at a time (from a store's
// cursor): when Streams(o) each row is written as it comes, so memory does
// not grow with the list; otherwise the rows are collected and printed by
// PrintList. The bytes are PrintList's either way.
//
// When rows yields an error PrintRows returns it at once and writes nothing
// more: what was already written stays (output leaves in 64 KB blocks, so
// nothing at all when the error comes first), ends anywhere, even inside a
// row, and a JSON array is never closed, so it can't parse as a complete
// list. The caller's exit status says it failed.
//
// A streamed row is written while the next ones are read (see readAhead):
// once yielded, a row must not change.
func PrintRows[T any](w io.Writer, t Table[T], rows iter.Seq2[T, error], o Options) error {
	if !Streams(o) {
		var all []T
		for r, err := range rows {
			if err != nil {
				return err
			}
			all = append(all, r)
		}
		return PrintList(w, t, all, o)
	}
	var write func(rows iter.Seq2[T, error]) error
	switch o.Format {
	case FormatJSON:
		cols, err := t.pick(o.Fields)
		if err != nil {
			return err
		}
		write = func(rows iter.Seq2[T, error]) error {
			return writeJSON(w, o, func(bw *bufio.Writer) error { return writeJSONList(bw, cols, rows) })
		}
	case FormatCSV:
		cols, err := t.pick(o.Fields)
		if err != nil {
			return err
		}
		write = func(rows iter.Seq2[T, error]) error {
			return flushed(w, func(bw *bufio.Writer) error { return writeCSV(bw, cols, rows, o.NoHeaders, o.CSVRaw) })
		}
	default:
		cols, err := columnsFor(t, o)
		if err != nil {
			return err
		}
		write = func(rows iter.Seq2[T, error]) error {
			return flushed(w, func(bw *bufio.Writer) error { return writePlain(bw, cols, rows, o.NoHeaders) })
		}
	}
	return readAhead(rows, write)
}

// sliceRows yields rows in order, never an error.
func sliceRows[T any](rows []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}
