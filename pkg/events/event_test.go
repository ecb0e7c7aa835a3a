package events

import (
	"bytes"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	e, err := Parse([]byte(`{"id":"evt_1","org":"CUST-1","type":"member.added","email":" Ann@X.example ","at":"2026-11-20T11:00:00+01:00","extra":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "evt_1" || e.Org != "CUST-1" || e.Type != MemberAdded || e.Email != "ann@x.example" || e.At.Format("15:04Z07:00") != "10:00Z" {
		t.Fatalf("parsed %+v", e)
	}
	bad := map[string]string{
		`{"id":1,"org":"o","type":"session.started","at":"2026-11-20T10:00:00Z"}`:                                                 `field "id" must be a string`,
		`{"id":"1","type":"session.started","at":"2026-11-20T10:00:00Z"}`:                                                         `missing org`,
		`{"id":"1","org":"o","at":"2026-11-20T10:00:00Z"}`:                                                                        `missing type`,
		`{"id":"1","org":"o","type":"session.started"}`:                                                                           `missing at`,
		`{"id":"1","org":"o","type":"device.onboarded","at":"2026-11-20T10:00:00Z"}`:                                              `device.onboarded needs a device`,
		`{"id":"1","org":"o","type":"member.removed","email":"x","at":"2026-11-20T10:00:00Z"}`:                                    `invalid email "x"`,
		`{"id":"` + strings.Repeat("x", 201) + `","org":"o","type":"t","at":"2026-11-20T10:00:00Z"}`:                              `id longer than 200 characters`,
		`{"id":"1","org":"` + strings.Repeat("o", 201) + `","type":"session.started","at":"2026-11-20T10:00:00Z"}`:                `org longer than 200 bytes`,
		`{"id":"1","org":"o","type":"device.registered","device":"` + strings.Repeat("d", 201) + `","at":"2026-11-20T10:00:00Z"}`: `device longer than 200 bytes`,
		`{"id":"1","org":"o","type":"session.started","email":"` + strings.Repeat("e", 255) + `","at":"2026-11-20T10:00:00Z"}`:    `email longer than 254 bytes`,
		`{"id":"1","org":"o","type":"session.started","at":"9999-12-31T23:59:59-23:59"}`:                                          `at "9999-12-31T23:59:59-23:59" is outside 0001-01-01T00:00:01Z to 9999-12-31T23:59:59Z (UTC)`,
		`{"id":"1","org":"o","type":"session.started","at":"0000-06-01T00:00:00Z"}`:                                               `at "0000-06-01T00:00:00Z" is outside 0001-01-01T00:00:01Z to 9999-12-31T23:59:59Z (UTC)`,
		`{"id":"1","org":"o","type":"session.started","at":"0001-01-01T00:00:00Z"}`:                                               `at "0001-01-01T00:00:00Z" is outside 0001-01-01T00:00:01Z to 9999-12-31T23:59:59Z (UTC)`,
		`{"id":"1","org":"o","type":"session.started","at":"0001-01-01T00:30:00+01:00"}`:                                          `at "0001-01-01T00:30:00+01:00" is outside 0001-01-01T00:00:01Z to 9999-12-31T23:59:59Z (UTC)`,
		`[1,2]`: `want a JSON object, got array`,
		``:      `invalid JSON: unexpected end of JSON input`,
	}
	for line, want := range bad {
		if _, err := Parse([]byte(line)); err == nil || err.Error() != want {
			t.Errorf("Parse(%.50q) error = %v, want %q", line, err, want)
		}
	}
}

// The bounds themselves are valid times.
func TestParseAcceptsTheEdgesOfTheTimeRange(t *testing.T) {
	for _, at := range []string{"0001-01-01T00:00:01Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59+01:00", "0001-01-01T02:00:00+01:00"} {
		if _, err := Parse([]byte(`{"id":"1","org":"o","type":"session.started","at":"` + at + `"}`)); err != nil {
			t.Errorf("at %s: %v", at, err)
		}
	}
	long := `{"id":"` + strings.Repeat("i", MaxIDLength) + `","org":"` + strings.Repeat("o", MaxOrgLength) +
		`","type":"device.registered","device":"` + strings.Repeat("d", MaxDeviceLength) + `","at":"2026-11-20T10:00:00Z"}`
	if _, err := Parse([]byte(long)); err != nil {
		t.Errorf("fields at their limits: %v", err)
	}
}

func TestLinesBoundsMemoryAndNumbersLines(t *testing.T) {
	long := strings.Repeat("x", 20<<20) // a 20 MB line
	input := "first\r\n" + long + "\nthird\nlast-no-newline"
	l := NewLines(strings.NewReader(input))
	var got []string
	for l.Next() {
		switch {
		case l.TooLong():
			got = append(got, "TOO LONG")
		default:
			got = append(got, string(l.Bytes()))
		}
		if cap(l.line) > MaxLineBytes+64<<10 {
			t.Fatalf("line buffer grew to %d bytes", cap(l.line))
		}
	}
	if l.Err() != nil || strings.Join(got, "|") != "first|TOO LONG|third|last-no-newline" || l.Number() != 4 {
		t.Fatalf("got %q (line %d, err %v)", got, l.Number(), l.Err())
	}
	empty := NewLines(bytes.NewReader(nil))
	if empty.Next() {
		t.Fatal("an empty input has no lines")
	}
}
