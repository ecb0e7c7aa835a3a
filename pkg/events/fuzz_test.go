package events

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: Parse never panics, and what it accepts is a complete, valid
// event whose error-free fields survive as given.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"id":"evt_1","org":"CUST-0042","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
		`{"id":"e2","org":"org_000002","type":"member.added","email":"A@B.example","at":"2026-11-20T10:00:00+02:00"}`,
		`{"id":"e3","org":"x","type":"device.onboarded","device":"d-1","at":"2026-11-20T10:00:00Z"}`,
		`{"id":"e4","org":"x","type":"device.state","device":"d-1","state":"onboarding_in_progress","at":"2026-11-20T10:00:00Z"}`,
		`{"id":1}`, `[]`, `null`, `{"id":"\ud800"}`, "{\"id\":\"\xff\"}", `{"at":"2026-13-40T99:00:00Z"}`, ``,
		`{"id":"e","org":"o","type":"session.started","at":"9999-12-31T23:59:59-23:59"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		e, err := Parse(line)
		if err != nil {
			if msg := err.Error(); msg == "" || strings.Contains(msg, "\n") {
				t.Fatalf("error %q must be one non-empty line", msg)
			}
			return
		}
		if !utf8.Valid(line) {
			t.Fatalf("accepted invalid UTF-8 %q", line)
		}
		if strings.TrimSpace(e.ID) == "" || len(e.ID) > MaxIDLength || strings.TrimSpace(e.Org) == "" || !e.Type.Known() || e.At.IsZero() || e.At.Location().String() != "UTC" {
			t.Fatalf("accepted an incomplete event %+v from %q", e, line)
		}
		if len(e.Org) > MaxOrgLength || len(e.Device) > MaxDeviceLength || len(e.Email) > MaxEmailLength ||
			e.At.Year() < 1 || e.At.Year() > 9999 {
			t.Fatalf("accepted an event that can't be stored %+v from %q", e, line)
		}
		if (e.Type == MemberAdded || e.Type == MemberRemoved) && e.Email == "" {
			t.Fatalf("member event without email: %q", line)
		}
		if e.Type.IsDevice() && strings.TrimSpace(e.Device) == "" {
			t.Fatalf("device event without device: %q", line)
		}
		if e.Type.IsDevice() && !ValidState(e.DeviceState()) {
			t.Fatalf("device event moving to state %q: %q", e.DeviceState(), line)
		}
	})
}

// FuzzLines: the reader never panics, never returns a line longer than
// MaxLineBytes or containing a newline, and counts lines like the input has
// them.
func FuzzLines(f *testing.F) {
	f.Add([]byte("a\nb\r\nc"), uint16(0))
	f.Add([]byte("\n\n\n"), uint16(3))
	f.Add([]byte{}, uint16(1))
	f.Add([]byte("x"), uint16(1<<15))
	f.Fuzz(func(t *testing.T, data []byte, pad uint16) {
		// pad makes one line around the buffer and line limits without
		// needing megabytes of corpus.
		in := append(bytes.Repeat([]byte{'y'}, int(pad)*40), data...)
		l := NewLines(bytes.NewReader(in))
		n := 0
		for l.Next() {
			n++
			if l.Number() != n {
				t.Fatalf("Number() = %d, want %d", l.Number(), n)
			}
			if len(l.Bytes()) > MaxLineBytes || bytes.ContainsRune(l.Bytes(), '\n') {
				t.Fatalf("line %d: %d bytes or a newline", n, len(l.Bytes()))
			}
			if l.TooLong() && len(l.Bytes()) != 0 {
				t.Fatalf("a too-long line keeps %d bytes", len(l.Bytes()))
			}
		}
		if l.Err() != nil {
			t.Fatal(l.Err())
		}
		want := bytes.Count(in, []byte{'\n'})
		if len(in) > 0 && in[len(in)-1] != '\n' {
			want++
		}
		if n != want {
			t.Fatalf("%d lines, want %d", n, want)
		}
	})
}
