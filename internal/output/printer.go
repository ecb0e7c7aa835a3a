package output

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// Format is an output format.
type Format string

const (
	FormatTable Format = "table"
	FormatJSON  Format = "json"
	FormatCSV   Format = "csv"
)

// ParseFormat validates -o.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatTable, FormatJSON, FormatCSV:
		return f, nil
	}
	return "", fail.Usagef("invalid --output %q: want table, json or csv", s)
}

// Options are the output settings of one command run.
type Options struct {
	Format    Format
	Fields    []string
	NoHeaders bool
	// TTY: stdout is a terminal, so tables are drawn for a person and JSON
	// is indented.
	TTY   bool
	Color bool
	Now   time.Time
	// Width is the terminal's width in columns; a drawn table is fitted to
	// it. 0 means no limit.
	Width int
	// Diag is where a terminal is told that a list came back empty (stderr).
	Diag io.Writer
	// Empty, when set, replaces "No <noun> to show" for an empty list on a
	// terminal: say what matched nothing and what to try next.
	Empty string
	// JQ and Template filter JSON output (--jq, --template); either one
	// implies the JSON format.
	JQ       string
	Template string
	// CSVRaw turns off CSV formula neutralisation (--csv-raw), for machines.
	CSVRaw bool
}

// Terminal reports whether output is a table drawn for a person.
func (o Options) Terminal() bool { return o.Format == FormatTable && o.TTY }

func (o Options) context() Context { return Context{Style: Style{Color: o.Color}, Now: o.Now} }

// PrintList writes rows in the chosen format: a JSON array ([] when empty),
// CSV, a drawn table on a terminal, or TAB-separated lines otherwise. On a
// terminal an empty list prints nothing on stdout and says so on Diag.
func PrintList[T any](w io.Writer, t Table[T], rows []T, o Options) error {
	switch {
	case o.Format == FormatJSON:
		cols, err := t.pick(o.Fields)
		if err != nil {
			return err
		}
		keys := jsonKeys(cols)
		return writeJSON(w, o, func(bw *bufio.Writer) error {
			bw.WriteByte('[')
			err := writeChunks(bw, rows, func(w *bufio.Writer, at int, rows []T) error {
				return writeJSONObjects(w, cols, keys, sliceRows(rows), at > 0)
			})
			if err != nil {
				return err
			}
			return bw.WriteByte(']')
		})
	case o.Format == FormatCSV:
		cols, err := t.pick(o.Fields)
		if err != nil {
			return err
		}
		return flushed(w, func(bw *bufio.Writer) error {
			if err := writeCSV(bw, cols, sliceRows(rows[:0]), o.NoHeaders, o.CSVRaw); err != nil {
				return err
			}
			return writeChunks(bw, rows, func(w *bufio.Writer, _ int, rows []T) error {
				return writeCSV(w, cols, sliceRows(rows), true, o.CSVRaw)
			})
		})
	}
	cols, err := columnsFor(t, o)
	if err != nil {
		return err
	}
	if o.TTY {
		if len(rows) == 0 {
			return sayEmpty(t, o)
		}
		return flushed(w, func(bw *bufio.Writer) error { return writeDrawn(bw, cols, rows, o) })
	}
	return flushed(w, func(bw *bufio.Writer) error {
		if err := writePlain(bw, cols, sliceRows(rows[:0]), o.NoHeaders); err != nil {
			return err
		}
		return writeChunks(bw, rows, func(w *bufio.Writer, _ int, rows []T) error {
			return writePlain(w, cols, sliceRows(rows), true)
		})
	})
}

// sayEmpty tells a person at a terminal that a list is empty, on Diag so
// that stdout carries results only.
func sayEmpty[T any](t Table[T], o Options) error {
	if o.Diag == nil {
		return nil
	}
	msg := o.Empty
	if msg == "" {
		noun := t.Noun
		if noun == "" {
			noun = "results"
		}
		msg = "No " + noun + " to show"
	}
	_, err := fmt.Fprintln(o.Diag, msg)
	return err
}

func flushed(w io.Writer, write func(*bufio.Writer) error) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// PrintOne writes one object: a JSON object, a one-row CSV or plain table, or
// on a terminal a two-column field/value listing. Without --fields JSON and
// CSV carry every column, the tables the Detail ones.
func PrintOne[T any](w io.Writer, t Table[T], row T, o Options) error {
	switch o.Format {
	case FormatJSON:
		cols, err := t.pick(o.Fields)
		if err != nil {
			return err
		}
		return writeJSON(w, o, func(bw *bufio.Writer) error { return writeJSONObject(bw, cols, jsonKeys(cols), &row) })
	case FormatCSV:
		cols, err := t.pick(o.Fields)
		if err != nil {
			return err
		}
		return flushed(w, func(bw *bufio.Writer) error { return writeCSV(bw, cols, sliceRows([]T{row}), o.NoHeaders, o.CSVRaw) })
	}
	fields := o.Fields
	if len(fields) == 0 {
		fields = t.Detail
	}
	cols, err := t.pick(fields)
	if err != nil {
		return err
	}
	if !o.TTY {
		return flushed(w, func(bw *bufio.Writer) error { return writePlain(bw, cols, sliceRows([]T{row}), o.NoHeaders) })
	}
	return flushed(w, func(bw *bufio.Writer) error { return writeDetail(bw, cols, row, o) })
}

func columnsFor[T any](t Table[T], o Options) ([]Column[T], error) {
	if o.Terminal() && len(o.Fields) == 0 && t.Terminal != nil {
		return t.Terminal, nil
	}
	return t.Select(o.Fields)
}

// writeJSONObject writes row's columns; keys are jsonKeys(cols). The
// object is appended in the writer's free buffer and written at once: a
// list of 100k orgs spent a fifth of its printing in bufio's calls, a few
// for every field.
func writeJSONObject[T any](w *bufio.Writer, cols []Column[T], keys []string, row *T) error {
	b := append(w.AvailableBuffer(), '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, keys[i]...)
		var err error
		if b, err = appendJSONValue(b, c.Value(row)); err != nil {
			return err
		}
	}
	_, err := w.Write(append(b, '}'))
	return err
}

// jsonKeys are the columns' keys as each opens its member (`"id":`),
// quoted once per list rather than once per row and column.
func jsonKeys[T any](cols []Column[T]) []string {
	keys := make([]string, len(cols))
	for i, c := range cols {
		keys[i] = string(append(appendJSONString(nil, c.Key), ':'))
	}
	return keys
}

// appendJSONValue appends the usual column values directly (listing 100k
// orgs spent more time in json.Marshal than in the store) and hands
// anything else to encoding/json. The bytes are exactly json.Marshal's.
func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, x), nil
	case *string:
		return appendJSONString(b, *x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case time.Time:
		if x.IsZero() {
			return append(b, "null"...), nil
		}
		return appendJSONTime(b, x), nil
	case *time.Time:
		if x == nil {
			return append(b, "null"...), nil
		}
		return appendJSONTime(b, *x), nil
	}
	val, err := marshalJSON(jsonValue(v))
	if err != nil {
		return b, err
	}
	return append(b, val...), nil
}

// marshalJSON is json.Marshal without HTML escaping: output is read by
// people and scripts, not embedded in web pages, so "A & B" stays readable.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return safeJSON(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

func appendJSONTime(buf []byte, t time.Time) []byte {
	buf = append(buf, '"')
	buf = t.UTC().AppendFormat(buf, time.RFC3339)
	return append(buf, '"')
}

// appendJSONString appends s quoted; a string needing any escape
// (quotes, backslashes, control bytes, DEL, non-ASCII) goes through
// encoding/json, then safeJSON.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			val, _ := marshalJSON(s)
			return append(b, val...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return x.UTC().Format(time.RFC3339)
	case *time.Time:
		if x == nil {
			return nil
		}
		return x.UTC().Format(time.RFC3339)
	}
	return v
}

// writeJSONList writes the array; its closing bracket only once every row
// is written, so a list cut short by an error is never valid JSON.
func writeJSONList[T any](w *bufio.Writer, cols []Column[T], rows iter.Seq2[T, error]) error {
	w.WriteByte('[')
	if err := writeJSONObjects(w, cols, jsonKeys(cols), rows, false); err != nil {
		return err
	}
	return w.WriteByte(']')
}

// writeJSONObjects writes rows as JSON objects separated by commas, the
// first one preceded by a comma too when comma is set.
func writeJSONObjects[T any](w *bufio.Writer, cols []Column[T], keys []string, rows iter.Seq2[T, error], comma bool) error {
	var row T // one variable for every row: its address escapes to the columns
	for r, err := range rows {
		if err != nil {
			return err
		}
		if comma {
			w.WriteByte(',')
		}
		comma = true
		row = r
		if err := writeJSONObject(w, cols, keys, &row); err != nil {
			return err
		}
	}
	return nil
}

func writeCSV[T any](w io.Writer, cols []Column[T], rows iter.Seq2[T, error], noHeaders, raw bool) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(cols))
	if !noHeaders {
		for i, c := range cols {
			rec[i] = c.Key
		}
		cw.Write(rec)
	}
	var row T // one variable for every row: its address escapes to the columns
	for r, err := range rows {
		if err != nil {
			return err
		}
		row = r
		for i, c := range cols {
			rec[i] = csvCell(c.Value(&row), raw)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writePlain is the scripting table: a header line, then one line a row,
// fields separated by one TAB. Tabs and newlines inside a value become spaces
// so every record stays one line with the same number of fields. Headers are
// the upper-cased JSON keys, so a script's column names match --fields.
func writePlain[T any](w *bufio.Writer, cols []Column[T], rows iter.Seq2[T, error], noHeaders bool) error {
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	if !noHeaders {
		for i, c := range cols {
			if i > 0 {
				w.WriteByte('\t')
			}
			w.WriteString(strings.ToUpper(c.Key))
		}
		w.WriteByte('\n')
	}
	var row T // one variable for every row: its address escapes to the columns
	for r, err := range rows {
		if err != nil {
			return err
		}
		row = r
		// The line is appended in the writer's free buffer and written at
		// once (see writeJSONObject); a cell of printable ASCII alone, most
		// of them, needs no cleaning.
		b := w.AvailableBuffer()
		for i, c := range cols {
			if i > 0 {
				b = append(b, '\t')
			}
			at := len(b)
			if b = appendPlainCell(b, c.Value(&row)); !printableASCII(b[at:]) {
				b = append(b[:at], SafeText(clean.Replace(string(b[at:])))...)
			}
		}
		if _, err := w.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// printableASCII reports whether b is all printable ASCII (space to ~).
func printableASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

func humanCell[T any](c Column[T], row T, ctx Context) string {
	if c.Human != nil {
		return c.Human(row, ctx)
	}
	switch v := c.Value(&row).(type) {
	case nil:
		return "—"
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case *time.Time:
		if v == nil {
			return "—"
		}
		return RelativeTime(*v, ctx.Now)
	case time.Time:
		return RelativeTime(v, ctx.Now)
	default:
		s := SafeText(plainCell(v))
		if s == "" {
			return "—"
		}
		return s
	}
}

// writeDrawn draws a table for a person, fitted to the terminal's width.
func writeDrawn[T any](w io.Writer, cols []Column[T], rows []T, o Options) error {
	ctx := o.context()
	headers := make([]string, len(cols))
	for i, c := range cols {
		headers[i] = c.Header
	}
	cells := make([][]string, len(rows))
	for r, row := range rows {
		cells[r] = make([]string, len(cols))
		for i, c := range cols {
			cells[r][i] = safeHumanCell(c, row, ctx)
		}
	}
	shape := make([]fitColumn, len(cols))
	for i, c := range cols {
		shape[i] = fitColumn{Drop: c.Drop, Truncate: c.Truncate}
	}
	if len(o.Fields) > 0 { // columns asked for by name are never dropped
		for i := range shape {
			shape[i].Drop = 0
		}
	}
	keep, widths := fitWidths(headers, cells, shape, o.Width, !o.NoHeaders)
	if keep != nil {
		headers, cells = cutTable(cols, rows, headers, cells, keep, widths, ctx)
	}
	table := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders:  tw.BorderNone,
			Symbols:  tw.NewSymbols(tw.StyleLight),
			Settings: tw.Settings{Lines: tw.Lines{ShowHeaderLine: tw.On}, Separators: tw.Separators{BetweenColumns: tw.Off}},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
	)
	if !o.NoHeaders {
		for i, h := range headers {
			headers[i] = ctx.Style.Bold(h)
		}
		table.Header(headers)
	}
	for _, r := range cells {
		if err := table.Append(r); err != nil {
			return err
		}
	}
	return table.Render()
}

// cutTable keeps the columns keep, each cut to its width: by the column's
// Cut when it has one, else with "…" at the end.
func cutTable[T any](cols []Column[T], rows []T, headers []string, cells [][]string, keep, widths []int, ctx Context) ([]string, [][]string) {
	outHeaders := make([]string, len(keep))
	for k, i := range keep {
		outHeaders[k] = truncateCell(headers[i], widths[i])
	}
	outRows := make([][]string, len(cells))
	for r, row := range cells {
		out := make([]string, len(keep))
		for k, i := range keep {
			if cut := cols[i].Cut; cut != nil && twwidth.Width(row[i]) > widths[i] {
				out[k] = truncateCell(cut(rows[r], ctx, widths[i]), widths[i])
			} else {
				out[k] = truncateCell(row[i], widths[i])
			}
		}
		outRows[r] = out
	}
	return outHeaders, outRows
}

// TruncateText cuts s to width display columns, the last one "…"; for Cut
// functions.
func TruncateText(s string, width int) string { return truncateCell(s, width) }

// writeDetail lists one object's fields for a person: the header, then the
// value; a value too long for the terminal continues on the next lines,
// under itself.
func writeDetail[T any](w *bufio.Writer, cols []Column[T], row T, o Options) error {
	ctx := o.context()
	label := 0
	for _, c := range cols {
		label = max(label, twwidth.Width(c.Header))
	}
	room := 0
	if o.Width > 0 {
		room = max(o.Width-label-2, minDetailWidth)
	}
	indent := strings.Repeat(" ", label+2)
	for _, c := range cols {
		lines := wrapText(safeHumanCell(c, row, ctx), room)
		w.WriteString(ctx.Style.Bold(padRight(c.Header, label)) + "  " + lines[0] + "\n")
		for _, l := range lines[1:] {
			w.WriteString(indent + l + "\n")
		}
	}
	return nil
}

// PrintJSON writes v as JSON, for results with a nested shape: indented on
// a terminal, compact otherwise, filtered by --jq or --template.
func PrintJSON(w io.Writer, v any, o Options) error {
	data, err := marshalJSON(v)
	if err != nil {
		return err
	}
	return writeJSON(w, o, func(bw *bufio.Writer) error {
		_, err := bw.Write(data)
		return err
	})
}
