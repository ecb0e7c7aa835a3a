package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"

	"github.com/itchyny/gojq"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// writeJSON is the one way JSON leaves partnerctl: compact when stdout is
// not a terminal (one line, for scripts and jq), indented on a terminal, or
// through --jq or --template. write produces the compact document.
func writeJSON(w io.Writer, o Options, write func(*bufio.Writer) error) error {
	if !o.TTY && o.JQ == "" && o.Template == "" {
		return flushed(w, func(bw *bufio.Writer) error {
			if err := write(bw); err != nil {
				return err
			}
			return bw.WriteByte('\n')
		})
	}
	var buf bytes.Buffer
	if err := flushed(&buf, write); err != nil {
		return err
	}
	switch {
	case o.JQ != "":
		return runJQ(w, buf.Bytes(), o)
	case o.Template != "":
		return runTemplate(w, buf.Bytes(), o)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}

// CheckFilters compiles --jq and --template before any work is done, so a
// typo is a usage error (exit 2) that changes nothing.
func CheckFilters(o Options) error {
	if o.JQ != "" && o.Template != "" {
		return fail.Usagef("--jq and --template can't be combined")
	}
	if o.JQ != "" {
		if _, err := compileJQ(o.JQ); err != nil {
			return err
		}
	}
	if o.Template != "" {
		if _, err := parseTemplate(o.Template, o); err != nil {
			return err
		}
	}
	return nil
}

func compileJQ(expr string) (*gojq.Code, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, fail.Usagef("invalid --jq %q: %v", expr, err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, fail.Usagef("invalid --jq %q: %v", expr, err)
	}
	return code, nil
}

// runJQ prints each result of the expression on its own line as gh does:
// strings raw, anything else as JSON (indented on a terminal).
func runJQ(w io.Writer, data []byte, o Options) error {
	code, err := compileJQ(o.JQ)
	if err != nil {
		return err
	}
	input, err := decodeJSON(data)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	iter := code.Run(input)
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, isErr := v.(error); isErr {
			if h, halt := err.(*gojq.HaltError); halt && h.Value() == nil {
				break
			}
			bw.Flush()
			return fail.Usagef("--jq %q: %v", o.JQ, err)
		}
		if s, isString := v.(string); isString {
			bw.WriteString(SafeText(s)) // printed raw: no control sequence may pass
		} else {
			text, err := jqValueJSON(v, o.TTY)
			if err != nil {
				return err
			}
			bw.Write(text)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

func jqValueJSON(v any, indent bool) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return safeJSON(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// decodeJSON reads our own output back as plain Go values, numbers as
// int when they are whole (gojq and templates print them without ".0").
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return normalizeNumbers(v), nil
}

func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = normalizeNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalizeNumbers(x[k])
		}
	}
	return v
}

// runTemplate executes a Go text/template over the JSON document, with
// gh's helpers (see templateFuncs). Its output is printed as is, but for
// control sequences from the data, shown escaped (SafeText).
func runTemplate(w io.Writer, data []byte, o Options) error {
	t, err := parseTemplate(o.Template, o)
	if err != nil {
		return err
	}
	input, err := decodeJSON(data)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(SafeWriter(w))
	if err := t.Execute(bw, input); err != nil {
		bw.Flush()
		return fail.Usagef("--template: %v", err)
	}
	return bw.Flush()
}

func parseTemplate(text string, o Options) (*template.Template, error) {
	t, err := template.New("--template").Option("missingkey=zero").Funcs(templateFuncs(o)).Parse(text)
	if err != nil {
		return nil, fail.Usagef("invalid --template: %v", err)
	}
	return t, nil
}

// templateFuncs are the helpers gh's --template offers that make sense
// here: join, pluck, truncate, timeago and timefmt.
func templateFuncs(o Options) template.FuncMap {
	return template.FuncMap{
		"join": func(sep string, list []any) string {
			parts := make([]string, len(list))
			for i, v := range list {
				parts[i] = fmt.Sprint(v)
			}
			return strings.Join(parts, sep)
		},
		"pluck": func(key string, list []any) []any {
			var out []any
			for _, v := range list {
				if m, ok := v.(map[string]any); ok {
					out = append(out, m[key])
				}
			}
			return out
		},
		"truncate": func(n int, v any) string {
			s := fmt.Sprint(v)
			if v == nil {
				s = ""
			}
			return truncateCell(s, n)
		},
		"timeago": func(v any) (string, error) {
			t, err := templateTime(v)
			if err != nil || t.IsZero() {
				return "", err
			}
			return RelativeTime(t, o.Now), nil
		},
		"timefmt": func(layout string, v any) (string, error) {
			t, err := templateTime(v)
			if err != nil || t.IsZero() {
				return "", err
			}
			return t.Format(layout), nil
		},
	}
}

func templateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if v == nil || (ok && s == "") {
		return time.Time{}, nil
	}
	if !ok {
		return time.Time{}, fmt.Errorf("not a time: %v", v)
	}
	return time.Parse(time.RFC3339, s)
}
