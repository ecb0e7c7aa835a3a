package events

import (
	"reflect"
	"strings"
	"testing"
)

var parserSeeds = []string{
	`{"id":"evt_1","org":"CUST-1","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	` { "id" : "evt_1" , "org":"org_000002","type":"message.sent","at":"2026-11-20T10:00:00Z" } `,
	`{"id":"e","org":"o","type":"member.added","email":" Ann@X.example ","at":"2024-02-29T23:59:59Z"}`,
	`{"id":"e","org":"o","type":"member.removed","email":"x","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.onboarded","device":"d1","email":"a@b.c","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.onboarded","device":" ","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T10:00:00+01:00"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T10:00:00.5Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-02-29T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-04-31T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T24:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T10:60:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T10:00:60Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-13-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-00-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-00T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-2xT10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20 10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T10:00:00z"}`,
	`{"id":"e","org":"o","type":"session.exploded","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"","at":"2026-11-20T10:00:00Z"}`,
	`{"id":" ","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"  ","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started"}`,
	`{"id":"e","org":"o","type":"session.started","at":""}`,
	`{"ID":"e","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","id":"f","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z","extra":1}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z","email":null}`,
	`{"id":"e\u0041","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"é","org":"ö","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	"{\"id\":\"\xff\",\"org\":\"o\",\"type\":\"session.started\",\"at\":\"2026-11-20T10:00:00Z\"}",
	"{\"id\":\"a\tb\",\"org\":\"o\",\"type\":\"session.started\",\"at\":\"2026-11-20T10:00:00Z\"}",
	`{"id":1,"org":"o","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z"} x`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z"`,
	`{"id":"e","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z",}`,
	`{"id":"e" "org":"o"}`,
	`{"id":"e","org":"o","type":"session.started","at":"0000-01-01T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"0001-01-01T00:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"0001-01-01T00:00:01Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"9999-12-31T23:59:59Z"}`,
	`{"id":"e","org":"o","type":"session.started","at":"9999-12-31T23:59:59-23:59"}`,
	`{"id":"e","org":"` + strings.Repeat("o", 201) + `","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"` + strings.Repeat("o", 200) + `","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.removed","device":"` + strings.Repeat("d", 201) + `","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.removed","device":"` + strings.Repeat("d", 200) + `","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","device":"` + strings.Repeat("d", 201) + `","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","email":"` + strings.Repeat("e", 255) + `","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","state":"onboarding_in_progress","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","state":"registered","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","state":"","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","state":"Onboarding","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","state":"in progress","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","state":"9lives","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","state":"a` + strings.Repeat("b", 63) + `","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","state":"a` + strings.Repeat("b", 64) + `","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","state":null,"at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","device":"d1","state":"a","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.state","state":"x","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"session.started","state":"Whatever Else","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"e","org":"o","type":"device.removed","device":"d1","state":"onboarded","at":"2026-11-20T10:00:00Z"}`,
	`{}`, `[1,2]`, ``, `"x"`, `null`,
	`{"id":"` + strings.Repeat("x", 200) + `","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	`{"id":"` + strings.Repeat("x", 201) + `","org":"o","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
}

// The fast path must agree with Parse on every input: same event, same error.
func checkSameAsParse(t *testing.T, p *Parser, line string) {
	want, werr := Parse([]byte(line))
	got, key, gerr := p.ParseKeyed([]byte(line))
	if gerr == nil && (key == 0) != p.NoIntern {
		t.Fatalf("%q: org key %d with NoIntern %v", line, key, p.NoIntern)
	}
	if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
		t.Fatalf("%q: error %v, Parse says %v", line, gerr, werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %#v\nwant %#v", line, got, want)
	}
}

func TestParserAgreesWithParse(t *testing.T) {
	var p Parser
	for _, line := range parserSeeds {
		checkSameAsParse(t, &p, line)
		checkSameAsParse(t, &p, line) // the second time through the interned org
	}
	if _, _, ok := p.fast([]byte(parserSeeds[0])); !ok {
		t.Fatal("the usual line shape took the slow path")
	}
	plain := Parser{NoIntern: true}
	for _, line := range parserSeeds {
		checkSameAsParse(t, &plain, line)
	}
	if plain.orgs != nil {
		t.Fatalf("a NoIntern parser interned %d org(s)", len(plain.orgs))
	}
}

func FuzzParserAgreesWithParse(f *testing.F) {
	for _, s := range parserSeeds {
		f.Add(s)
	}
	var p Parser
	f.Fuzz(func(t *testing.T, line string) { checkSameAsParse(t, &p, line) })
}

func BenchmarkParse(b *testing.B) {
	line := []byte(`{"id":"evt_00000042","org":"CUST-004217","type":"session.started","at":"2026-11-20T10:00:00Z"}`)
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			if _, err := Parse(line); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fast", func(b *testing.B) {
		var p Parser
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			if _, err := p.Parse(line); err != nil {
				b.Fatal(err)
			}
		}
	})
}
