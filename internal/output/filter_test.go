package output

import (
	"bytes"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

func filtered(t *testing.T, o Options) (string, error) {
	t.Helper()
	o.Format = FormatJSON
	var buf bytes.Buffer
	err := PrintList(&buf, people, crowd, o)
	return buf.String(), err
}

func TestJQ(t *testing.T) {
	cases := []struct {
		o    Options
		want string
	}{
		{Options{JQ: ".[].name"}, "Ada Lovelace\nGrace Brewster Murray Hopper\n"},           // strings raw, as gh
		{Options{JQ: "map(.id)"}, `["p_000001","p_000002"]` + "\n"},                         // compact off a terminal
		{Options{JQ: "map(.id)", TTY: true}, "[\n  \"p_000001\",\n  \"p_000002\"\n]\n"},     // indented on one
		{Options{JQ: "length"}, "2\n"},                                                      // numbers stay whole
		{Options{JQ: `.[] | select(.state == "retired") | .email`}, "grace@navy.example\n"}, // filters
		{Options{JQ: ".[0] | {id, state}"}, `{"id":"p_000001","state":"active"}` + "\n"},    // objects
		{Options{Template: `{{range .}}{{.id}} {{truncate 8 .name}}{{"\n"}}{{end}}`}, "p_000001 Ada Lov…\np_000002 Grace B…\n"},
		{Options{Template: `{{join ", " (pluck "state" .)}}`}, "active, retired"},
	}
	for _, c := range cases {
		if err := CheckFilters(c.o); err != nil {
			t.Fatalf("%+v: %v", c.o, err)
		}
		got, err := filtered(t, c.o)
		if err != nil || got != c.want {
			t.Errorf("jq %q template %q: got %q (%v), want %q", c.o.JQ, c.o.Template, got, err, c.want)
		}
	}
}

func TestFilterErrorsAreUsageErrors(t *testing.T) {
	for _, o := range []Options{{JQ: ".["}, {Template: "{{.x"}, {JQ: ".", Template: "x"}} {
		if err := CheckFilters(o); !fail.Is(err, fail.Usage) {
			t.Errorf("%+v: %v, want a usage error", o, err)
		}
	}
	if _, err := filtered(t, Options{JQ: ".[0].name | tonumber"}); !fail.Is(err, fail.Usage) {
		t.Errorf("runtime jq error: %v, want a usage error", err)
	}
}

func TestTemplateTimes(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	o := Options{Format: FormatJSON, Now: now, Template: `{{timeago .at}} / {{timefmt "2006-01-02" .at}}`}
	if err := PrintOne(&buf, rows, data[0], o); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "3 hours ago / 2026-11-23" {
		t.Fatalf("got %q", buf.String())
	}
}
