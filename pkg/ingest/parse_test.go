package ingest

import (
	"fmt"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/events"
)

// chunkOf is a chunk of the lines, numbered from 1.
func chunkOf(lines ...string) *parsedChunk {
	ch := &parsedChunk{rawLines: &rawLines{}, first: 1}
	for _, l := range lines {
		ch.raw = append(ch.raw, l...)
		ch.ends = append(ch.ends, len(ch.raw))
	}
	return ch
}

func sessionLine(id, org string) string {
	return fmt.Sprintf(`{"id":%q,"org":%q,"type":"session.started","at":"2026-11-20T10:00:00Z"}`, id, org)
}

// A parser numbers the orgs of its lines from 1 in its keyTable; once the
// table holds maxTabledOrgs keys, a new org gets no number (0) and the
// orgs it holds keep theirs.
func TestParsersNumberOrgsUpToTheirTablesBound(t *testing.T) {
	p := events.Parser{NoIntern: true}
	keys := newKeyTable()
	ch := chunkOf(sessionLine("e1", "AC-1"), sessionLine("e2", "AC-2"), sessionLine("e3", "AC-1"), "not json")
	ch.parse(&p, keys)
	got := []int{}
	for _, pl := range ch.lines {
		got = append(got, pl.orgKey)
	}
	if fmt.Sprint(got) != "[1 2 1 0]" || ch.lines[3].err == nil {
		t.Fatalf("org numbers %v, last line's error %v", got, ch.lines[3].err)
	}

	for i := keys.Len(); i < maxTabledOrgs; i++ {
		keys.Add(fmt.Sprintf("k%d", i))
	}
	ch = chunkOf(sessionLine("e4", "AC-3"), sessionLine("e5", "AC-2"), sessionLine("e6", "k7"))
	ch.parse(&p, keys)
	if k := [3]int{ch.lines[0].orgKey, ch.lines[1].orgKey, ch.lines[2].orgKey}; k != [3]int{0, 2, 8} || keys.Len() != maxTabledOrgs {
		t.Fatalf("at the bound: org numbers %v, %d keys", k, keys.Len())
	}
	if ch.lines[0].err != nil || ch.lines[0].e.Org != "AC-3" {
		t.Fatalf("a line past the bound: %+v", ch.lines[0])
	}
}
