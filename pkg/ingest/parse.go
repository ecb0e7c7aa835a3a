package ingest

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/partnerctl/partnerctl/pkg/events"
)

// parsedLine is one non-blank line of a feed, parsed.
type parsedLine struct {
	e      events.Event
	orgKey int // the parser's number for e.Org, from 1; 0 for none (see tabledOrgs)
	num    int
	err    error // why the line is invalid
	// claimed is set on a valid line whose id was claimed before its batch
	// (see txRun.markClaimed): a duplicate whose org is not looked up.
	claimed bool
}

// parsedChunk is a run of consecutive lines, parsed by one worker. The
// consumer receives chunks in input order and waits on ready.
type parsedChunk struct {
	*rawLines     // the lines as read
	count     int // lines in the chunk, blank ones included
	worker    int // which parser: the lines' orgKey numbers are its own
	first     int // number of the first line
	last      int // number of the last line read, blank ones included
	lines     []parsedLine
	long      map[int]bool // lines (by index) longer than events.MaxLineBytes
	end       int64        // offset in the feed after the chunk's last line
	err       error        // a read error after the chunk's lines
	ready     chan struct{}
}

// parseChunkLines is the usual chunk size: large enough that handing chunks
// between goroutines costs nothing, small enough that the chunks in flight
// stay a few megabytes.
const parseChunkLines = 4096

// parseFeed reads r line by line on one goroutine and parses the lines on
// others (one per CPU), so parsing — most of the CPU a large import spends
// outside the store — runs in parallel. The first line of r is line
// firstLine; chunks hold up to chunkLines lines and come out in input
// order; numbers says how each parser numbers the lines' orgs. The
// channel closes at the end of the input, after a read error
// (carried by the last chunk), or when quit closes. A few chunks per worker
// are in flight at most.
func parseFeed(r io.Reader, firstLine, chunkLines int, numbers orgNumbers, quit <-chan struct{}) <-chan *parsedChunk {
	workers := max(1, runtime.GOMAXPROCS(0))
	out := make(chan *parsedChunk, workers)
	work := make(chan *parsedChunk, workers)
	for w := range workers {
		go func() {
			p := events.Parser{NoIntern: true}
			var keys *keyTable
			if numbers == tabledOrgs {
				keys = newKeyTable()
			}
			for ch := range work {
				ch.worker = w
				ch.parse(&p, keys)
				close(ch.ready)
			}
		}()
	}
	go func() {
		defer close(out)
		defer close(work)
		lines := events.NewLines(r)
		for {
			ch := &parsedChunk{ready: make(chan struct{}), first: firstLine + lines.Number(), rawLines: rawPool.Get().(*rawLines)}
			for len(ch.ends) < chunkLines && lines.Next() {
				if lines.TooLong() {
					if ch.long == nil {
						ch.long = map[int]bool{}
					}
					ch.long[len(ch.ends)] = true
				}
				ch.raw = append(ch.raw, lines.Bytes()...)
				ch.ends = append(ch.ends, len(ch.raw))
			}
			ch.count = len(ch.ends)
			ch.err, ch.end, ch.last = lines.Err(), lines.Offset(), firstLine+lines.Number()-1
			end := len(ch.ends) < chunkLines
			if len(ch.ends) > 0 || ch.err != nil {
				select {
				case work <- ch:
				case <-quit:
					return
				}
				select {
				case out <- ch:
				case <-quit:
					return
				}
			}
			if end {
				return
			}
		}
	}()
	return out
}

// orgNumbers is how a feed's parsers number the orgs of their lines
// (parsedLine.orgKey, from 1; 0 for none), for the resolver's slots.
type orgNumbers int

const (
	// tabledOrgs: a keyTable per parser, up to maxTabledOrgs keys, and
	// every line's org a string of its own (garbage without pointers),
	// rather than events.Parser's interning map (two pointers an org for
	// the collector to mark, and its growth rehashed). Paired, 10M events
	// into a million orgs (in ranges): 39.4 / 37.5 s → 38.4 / 36.5 s idle,
	// 46.7 / 46.3 s → 45.8 / 40.1 s with one core busy; 1M events into
	// 100k orgs (one pass): 2.85–2.92 s → 2.63–2.89 s idle, 3.01–3.09 s →
	// 2.86–2.92 s with one core busy.
	tabledOrgs orgNumbers = iota
	// unnumberedOrgs: no numbers (the planning read keeps its own table).
	unnumberedOrgs
)

// maxTabledOrgs bounds a parser's keyTable, so memory stays flat on a feed
// of endless distinct (invalid) org keys: past it a line's org has no
// number (the resolver then looks it up by name). A million-org store's
// keys fit.
const maxTabledOrgs = 1 << 20

func (ch *parsedChunk) parse(p *events.Parser, keys *keyTable) {
	ch.lines = (*linesPool.Get().(*[]parsedLine))[:0]
	start := 0
	for i, end := range ch.ends {
		line := ch.raw[start:end]
		start = end
		pl := parsedLine{num: ch.first + i}
		switch {
		case ch.long[i]:
			pl.err = fmt.Errorf("line longer than %d bytes", events.MaxLineBytes)
		case isBlank(line):
			continue
		default:
			pl.e, pl.orgKey, pl.err = p.ParseKeyed(line)
			if keys != nil && pl.err == nil {
				pl.orgKey = keys.Find(pl.e.Org) + 1
				if pl.orgKey == 0 && keys.Len() < maxTabledOrgs {
					pl.orgKey = keys.Add(pl.e.Org) + 1
				}
			}
		}
		ch.lines = append(ch.lines, pl)
	}
}

// rawLines is a chunk's text: the lines end to end, and where each ends.
type rawLines struct {
	raw  []byte
	ends []int
}

// The buffers of chunks are recycled: a million-line import otherwise
// allocates a quarter of a gigabyte of them, and collecting that was a
// tenth of its CPU.
var (
	rawPool   = sync.Pool{New: func() any { return &rawLines{raw: make([]byte, 0, 512<<10)} }}
	linesPool = sync.Pool{New: func() any { s := make([]parsedLine, 0, parseChunkLines); return &s }}
)

// releaseRaw recycles the chunk's text.
func (ch *parsedChunk) releaseRaw() {
	if r := ch.rawLines; r != nil {
		r.raw, r.ends = r.raw[:0], r.ends[:0]
		rawPool.Put(r)
		ch.rawLines = nil
	}
}

// releaseLines recycles the parsed lines; nothing may point into them after.
func (ch *parsedChunk) releaseLines() {
	clear(ch.lines) // drop the events' strings for the collector
	lines := ch.lines[:0]
	linesPool.Put(&lines)
	ch.lines = nil
}

func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }
