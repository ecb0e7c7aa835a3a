package output

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
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
	// TTY: stdout is a terminal, so tables are drawn for a person.
	TTY   bool
	Color bool
	Now   time.Time
	// CSVRaw turns off CSV formula neutralisation (--csv-raw), for machines.
	CSVRaw bool
}

// Terminal reports whether output is a table drawn for a person.
func (o Options) Terminal() bool { return o.Format == FormatTable && o.TTY }

func (o Options) context() Context { return Context{Style: Style{Color: o.Color}, Now: o.Now} }

// PrintList writes rows in the chosen format: a JSON array ([] when empty),
// CSV, a drawn table on a terminal, or TAB-separated lines otherwise.
func PrintList[T any](w io.Writer, t Table[T], rows []T, o Options) error {
	cols, err := columnsFor(t, o)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	switch {
	case o.Format == FormatJSON:
		err = writeJSONList(bw, cols, rows)
	case o.Format == FormatCSV:
		err = writeCSV(bw, cols, rows, o.NoHeaders, o.CSVRaw)
	case o.TTY:
		err = writeDrawn(bw, cols, rows, o)
	default:
		err = writePlain(bw, cols, rows, o.NoHeaders)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// PrintOne writes one object: a JSON object, a one-row CSV or plain table, or
// on a terminal a two-column field/value listing.
func PrintOne[T any](w io.Writer, t Table[T], row T, o Options) error {
	if o.Format == FormatJSON {
		cols, err := t.Select(o.Fields)
		if err != nil {
			return err
		}
		bw := bufio.NewWriter(w)
		if err := writeJSONObject(bw, cols, row); err != nil {
			return err
		}
		bw.WriteByte('\n')
		return bw.Flush()
	}
	if !o.Terminal() {
		return PrintList(w, t, []T{row}, o)
	}
	cols, err := t.Select(o.Fields)
	if err != nil {
		return err
	}
	ctx := o.context()
	width := 0
	for _, c := range cols {
		width = max(width, len(c.Header))
	}
	bw := bufio.NewWriter(w)
	for _, c := range cols {
		bw.WriteString(ctx.Style.Bold(padRight(c.Header, width)) + "  " + safeHumanCell(c, row, ctx) + "\n")
	}
	return bw.Flush()
}

func padRight(s string, n int) string { return s + strings.Repeat(" ", max(0, n-len(s))) }

func columnsFor[T any](t Table[T], o Options) ([]Column[T], error) {
	if o.Terminal() && len(o.Fields) == 0 && t.Terminal != nil {
		return t.Terminal, nil
	}
	return t.Select(o.Fields)
}

func writeJSONObject[T any](w *bufio.Writer, cols []Column[T], row T) error {
	var buf [64]byte
	w.WriteByte('{')
	for i, c := range cols {
		if i > 0 {
			w.WriteByte(',')
		}
		writeJSONString(w, c.Key)
		w.WriteByte(':')
		if err := writeJSONValue(w, buf[:0], c.Value(row)); err != nil {
			return err
		}
	}
	w.WriteByte('}')
	return nil
}

// writeJSONValue writes the usual column values directly (listing 100k orgs
// spent more time in json.Marshal than in the store) and hands anything else
// to encoding/json. The bytes are exactly json.Marshal's.
func writeJSONValue(w *bufio.Writer, buf []byte, v any) error {
	switch x := v.(type) {
	case nil:
		w.WriteString("null")
	case string:
		writeJSONString(w, x)
	case int:
		w.Write(strconv.AppendInt(buf, int64(x), 10))
	case bool:
		w.Write(strconv.AppendBool(buf, x))
	case time.Time:
		if x.IsZero() {
			w.WriteString("null")
			break
		}
		w.Write(appendJSONTime(buf, x))
	case *time.Time:
		if x == nil {
			w.WriteString("null")
			break
		}
		w.Write(appendJSONTime(buf, *x))
	default:
		val, err := marshalJSON(jsonValue(v))
		if err != nil {
			return err
		}
		w.Write(val)
	}
	return nil
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

// writeJSONString writes s quoted; a string needing any escape (quotes,
// backslashes, control bytes, DEL, non-ASCII) goes through encoding/json,
// then safeJSON.
func writeJSONString(w *bufio.Writer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			val, _ := marshalJSON(s)
			w.Write(val)
			return
		}
	}
	w.WriteByte('"')
	w.WriteString(s)
	w.WriteByte('"')
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

func writeJSONList[T any](w *bufio.Writer, cols []Column[T], rows []T) error {
	if len(rows) == 0 {
		_, err := w.WriteString("[]\n")
		return err
	}
	w.WriteString("[\n")
	for i, r := range rows {
		w.WriteString("  ")
		if err := writeJSONObject(w, cols, r); err != nil {
			return err
		}
		if i < len(rows)-1 {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
	}
	_, err := w.WriteString("]\n")
	return err
}

func writeCSV[T any](w io.Writer, cols []Column[T], rows []T, noHeaders, raw bool) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(cols))
	if !noHeaders {
		for i, c := range cols {
			rec[i] = c.Key
		}
		cw.Write(rec)
	}
	for _, r := range rows {
		for i, c := range cols {
			rec[i] = csvCell(c.Value(r), raw)
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
func writePlain[T any](w *bufio.Writer, cols []Column[T], rows []T, noHeaders bool) error {
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
	for _, r := range rows {
		for i, c := range cols {
			if i > 0 {
				w.WriteByte('\t')
			}
			w.WriteString(SafeText(clean.Replace(plainCell(c.Value(r)))))
		}
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}

func humanCell[T any](c Column[T], row T, ctx Context) string {
	if c.Human != nil {
		return c.Human(row, ctx)
	}
	switch v := c.Value(row).(type) {
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

// writeDrawn draws a table for a person.
func writeDrawn[T any](w io.Writer, cols []Column[T], rows []T, o Options) error {
	ctx := o.context()
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
	)
	if !o.NoHeaders {
		headers := make([]string, len(cols))
		for i, c := range cols {
			headers[i] = ctx.Style.Bold(c.Header)
		}
		table.Header(headers)
	}
	for _, r := range rows {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = safeHumanCell(c, r, ctx)
		}
		if err := table.Append(cells); err != nil {
			return err
		}
	}
	return table.Render()
}

// PrintJSON writes v as indented JSON, for results with a nested shape.
func PrintJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(safeJSON(b.Bytes()))
	return err
}
