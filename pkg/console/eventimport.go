package console

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/events"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// EventImportOptions tune ImportEvents.
type EventImportOptions struct {
	// SkipInvalid imports the valid lines and reports the bad ones instead
	// of refusing the whole input.
	SkipInvalid bool
	// BatchSize is how many lines one transaction applies (default
	// DefaultEventBatch).
	BatchSize int
	// Progress, when set, is called with the bytes read so far.
	Progress func(bytesRead int64)
}

// EventImportResult summarises an import.
type EventImportResult struct {
	Lines      int
	Imported   int
	Duplicates int
	Skipped    int
	Invalid    []LineError // the first few invalid lines
}

// ImportEvents feeds a JSON Lines stream into the org counters.
//
// Without SkipInvalid it reads the input twice: first to validate every
// line (nothing is written if any is bad), then to apply it. Input that can't
// seek (stdin) is spooled to a temporary file during the first pass. Lines are
// applied in batches, each in one transaction that also records the batch's
// event ids, so an interrupted import re-run ends with exact counters.
func (c *Console) ImportEvents(r io.Reader, opts EventImportOptions) (EventImportResult, error) {
	var res EventImportResult
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultEventBatch
	}
	// The access check runs before reading any input.
	if err := c.asAdmin(func(store.Tx, string) error { return nil }); err != nil {
		return res, err
	}
	src := r
	in := &importState{unkeyed: map[string]*orgSlot{}, states: map[string]*orgState{}}
	if !opts.SkipInvalid {
		rs, cleanup, err := c.validateEvents(r, in)
		if err != nil {
			return res, err
		}
		defer cleanup()
		src = rs
	}
	return c.applyEvents(src, in, opts)
}

// validateChunk is how many lines the validation pass parses ahead of
// resolving their orgs: small, since validation keeps nothing of a line.
const validateChunk = 4096

// DefaultEventBatch is how many lines one import transaction applies. Each
// commit costs two fsyncs and rewrites every page the batch touched (with
// 100k orgs, most of the org records), so batches are large; memory stays
// bounded by the batch, not by the file.
const DefaultEventBatch = 100000

// importState is what one import remembers across its passes and batches:
// the org keys resolved so far (bounded by the number of orgs) and the
// parser's interned strings. A line's org is found through the parser's
// OrgKey, a slice index, rather than through maps: map lookups were 15% of
// the import's CPU.
type importState struct {
	parser  events.Parser
	slots   []orgSlot           // by events.Event.OrgKey
	unkeyed map[string]*orgSlot // orgs the parser gave no key
	states  map[string]*orgState
}

var errUnknownOrg = errors.New("unknown org")

type orgSlot struct {
	done bool
	st   *orgState // nil: not a live customer org
}

// orgState is one org during an import; several keys (id, ref) share it.
type orgState struct {
	id  string
	org *domain.Org // loaded for the current batch only
	gen int         // the batch that loaded org
}

func (in *importState) resolve(tx store.Tx, e *events.Event) (*orgState, error) {
	var slot *orgSlot
	if e.OrgKey > 0 {
		for len(in.slots) <= e.OrgKey {
			in.slots = append(in.slots, orgSlot{})
		}
		slot = &in.slots[e.OrgKey]
	} else if slot = in.unkeyed[e.Org]; slot == nil {
		slot = &orgSlot{}
		if len(in.unkeyed) < 1<<16 {
			in.unkeyed[e.Org] = slot
		}
	}
	if !slot.done {
		id, err := liveOrgID(tx, e.Org)
		if err != nil {
			return nil, err
		}
		var st *orgState
		if id != "" {
			if st = in.states[id]; st == nil {
				st = &orgState{id: id}
				in.states[id] = st
			}
		}
		*slot = orgSlot{done: true, st: st}
	}
	if slot.st == nil {
		return nil, fmt.Errorf("%w %q", errUnknownOrg, e.Org)
	}
	return slot.st, nil
}

// liveOrgID maps an event's org (id or ref) to a live customer org id, or ""
// when there is none.
func liveOrgID(tx store.Tx, key string) (string, error) {
	if o, err := tx.Org(key); err == nil && o.Live() && !o.Admin {
		return o.ID, nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	id, err := tx.OrgIDByRef(key)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return id, err
}

func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

func (c *Console) validateEvents(r io.Reader, in *importState) (io.Reader, func(), error) {
	cleanup := func() {}
	var spool *os.File
	rs, seekable := r.(io.ReadSeeker)
	if seekable {
		if _, err := rs.Seek(0, io.SeekCurrent); err != nil {
			seekable = false
		}
	}
	start := int64(0)
	if seekable {
		start, _ = rs.Seek(0, io.SeekCurrent)
	} else {
		f, err := os.CreateTemp("", "partnerctl-events-*.jsonl")
		if err != nil {
			return nil, cleanup, fail.Wrap(fail.Internal, err, "cannot spool standard input")
		}
		spool = f
		cleanup = func() { f.Close(); os.Remove(f.Name()) }
		r = io.TeeReader(r, f)
	}
	bad := &InputError{}
	// Reading and parsing run on their own goroutine, one chunk ahead of
	// resolving the orgs, so the two overlap on a machine with two cores.
	chunks := make(chan chunk)
	free := make(chan []parsedLine, 1)
	quit := make(chan struct{})
	defer close(quit)
	go readChunks(r, &in.parser, validateChunk, chunks, free, quit)
	err := c.st.View(func(tx store.Tx) error {
		for ch := range chunks {
			for i := range ch.lines {
				pl := &ch.lines[i]
				if pl.err == nil {
					_, pl.err = in.resolve(tx, &pl.e)
				}
				if pl.err != nil {
					bad.add(pl.num, pl.err.Error())
				}
			}
			if ch.err != nil {
				return ch.err
			}
			clear(ch.lines)
			select {
			case free <- ch.lines[:0]:
			default:
			}
		}
		return nil
	})
	if err != nil {
		cleanup()
		return nil, func() {}, fail.Wrap(fail.Internal, err, "cannot read events")
	}
	if bad.Count > 0 {
		cleanup()
		bad.Summary = fail.Usagef("%d invalid line(s); nothing was imported", bad.Count).
			WithHint("fix them, or pass --skip-invalid to import the valid lines")
		return nil, func() {}, bad
	}
	if spool != nil {
		if _, err := spool.Seek(0, io.SeekStart); err != nil {
			cleanup()
			return nil, func() {}, fail.Wrap(fail.Internal, err, "cannot reread spooled input")
		}
		return spool, cleanup, nil
	}
	if _, err := rs.Seek(start, io.SeekStart); err != nil {
		return nil, cleanup, fail.Wrap(fail.Internal, err, "cannot reread input")
	}
	return rs, cleanup, nil
}

// parsedLine is one non-blank line, parsed by the reading goroutine.
type parsedLine struct {
	e   events.Event
	num int
	err error // why the line is invalid
}

// chunk is BatchSize lines, the input of one transaction.
type chunk struct {
	lines []parsedLine
	last  int   // number of the last line read
	read  int64 // bytes read so far
	err   error // a read error
	done  bool  // the input ended
}

// readChunks reads and parses lines on its own goroutine, so parsing (a
// third of the CPU) overlaps the store work of the previous batch. It stops
// at the end of the input, on a read error, or when quit closes.
func readChunks(r io.Reader, p *events.Parser, size int, out chan<- chunk, free <-chan []parsedLine, quit <-chan struct{}) {
	defer close(out)
	counted := &countingReader{r: r}
	lines := events.NewLines(counted)
	for {
		var c chunk
		select {
		case c.lines = <-free:
		default:
			c.lines = make([]parsedLine, 0, min(size, 1<<16))
		}
		for n := 0; n < size; n++ {
			if !lines.Next() {
				c.done = true
				break
			}
			c.last = lines.Number()
			if isBlank(lines.Bytes()) && !lines.TooLong() {
				continue
			}
			pl := parsedLine{num: lines.Number()}
			if lines.TooLong() {
				pl.err = fmt.Errorf("line longer than %d bytes", events.MaxLineBytes)
			} else {
				pl.e, pl.err = p.Parse(lines.Bytes())
			}
			c.lines = append(c.lines, pl)
		}
		c.err, c.read = lines.Err(), counted.n
		select {
		case out <- c:
		case <-quit:
			return
		}
		if c.done || c.err != nil {
			return
		}
	}
}

func (c *Console) applyEvents(r io.Reader, in *importState, opts EventImportOptions) (EventImportResult, error) {
	var res EventImportResult
	bad := &InputError{}
	batch := &eventBatch{}
	chunks := make(chan chunk) // one chunk parsed ahead: memory is two chunks
	free := make(chan []parsedLine, 1)
	quit := make(chan struct{})
	defer close(quit)
	go readChunks(r, &in.parser, opts.BatchSize, chunks, free, quit)
	for ch := range chunks {
		err := c.st.Update(func(tx store.Tx) error {
			actor, err := c.requireAdmin(tx)
			if err != nil {
				return err
			}
			batch.reset(tx)
			res.Lines = max(res.Lines, ch.last)
			for i := range ch.lines {
				pl := &ch.lines[i]
				var st *orgState
				if pl.err == nil {
					if st, pl.err = in.resolve(tx, &pl.e); pl.err != nil && !errors.Is(pl.err, errUnknownOrg) {
						return pl.err
					}
				}
				if pl.err != nil {
					bad.add(pl.num, pl.err.Error())
					res.Skipped++
					continue
				}
				batch.add(&pl.e, st)
			}
			if ch.err != nil {
				return fail.Wrap(fail.Internal, ch.err, "cannot read events")
			}
			imported, dups, err := batch.commit()
			if err != nil {
				return err
			}
			res.Imported += imported
			res.Duplicates += dups
			if ch.done {
				detail := fmt.Sprintf("imported %d, duplicates %d, skipped %d", res.Imported, res.Duplicates, res.Skipped)
				return c.audit(tx, actor, "events.imported", nil, detail)
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		clear(ch.lines)
		select {
		case free <- ch.lines[:0]:
		default:
		}
		if opts.Progress != nil {
			opts.Progress(ch.read)
		}
	}
	res.Invalid = bad.Lines
	return res, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// eventBatch is one transaction's worth of parsed events. It checks and
// marks their ids in key order (bbolt reads and inserts sorted keys far
// faster than random ones), applies the new ones in file order to orgs held
// in memory, and writes each changed org once. Its ids and counters commit
// in the same transaction, so an interrupted import re-run is exact.
type eventBatch struct {
	tx      store.Tx
	gen     int
	events  []pendingEvent
	byID    []int32 // indexes into events, sorted by id then position
	touched []*orgState
}

type pendingEvent struct {
	*events.Event // in the chunk being applied
	st            *orgState
	dup           bool
}

func (b *eventBatch) reset(tx store.Tx) {
	b.tx = tx
	b.gen++
	clear(b.events) // drop the strings for the collector
	b.events, b.byID, b.touched = b.events[:0], b.byID[:0], b.touched[:0]
}

func (b *eventBatch) add(e *events.Event, st *orgState) {
	b.events = append(b.events, pendingEvent{Event: e, st: st})
}

// commit dedupes, applies and records the batch; it reports how many events
// were new and how many were duplicates (of an earlier import or of an
// earlier line).
func (b *eventBatch) commit() (imported, dups int, err error) {
	for i := range b.events {
		b.byID = append(b.byID, int32(i))
	}
	slices.SortFunc(b.byID, func(x, y int32) int {
		if c := strings.Compare(b.events[x].ID, b.events[y].ID); c != 0 {
			return c
		}
		return int(x - y)
	})
	// A feed numbers its events as they happen, so a new batch usually sorts
	// entirely after every id imported before: then no id needs a lookup.
	maxSeen, err := b.tx.MaxEventID()
	if err != nil {
		return 0, 0, err
	}
	for n, i := range b.byID {
		e := &b.events[i]
		if n > 0 && b.events[b.byID[n-1]].ID == e.ID {
			e.dup = true // a repeat within this batch: the first line wins
			continue
		}
		if e.ID > maxSeen {
			continue // and so are all the ids after it
		}
		seen, err := b.tx.EventSeen(e.ID)
		if err != nil {
			return 0, 0, err
		}
		e.dup = seen
	}
	// Load the orgs of the new events in key order, apply the events in
	// file order, write each org once, again in key order.
	for i := range b.events {
		if e := &b.events[i]; !e.dup && e.st.gen != b.gen {
			e.st.gen = b.gen
			b.touched = append(b.touched, e.st)
		}
	}
	slices.SortFunc(b.touched, func(x, y *orgState) int { return strings.Compare(x.id, y.id) })
	for _, st := range b.touched {
		o, err := b.tx.Org(st.id)
		if err != nil {
			return 0, 0, err
		}
		st.org = &o
	}
	for i := range b.events {
		e := &b.events[i]
		if e.dup {
			dups++
			continue
		}
		if err := applyEvent(b.tx, e.st.org, *e.Event); err != nil {
			return 0, 0, err
		}
		imported++
	}
	for _, i := range b.byID {
		if e := &b.events[i]; !e.dup {
			if err := b.tx.MarkEventSeen(e.ID); err != nil {
				return 0, 0, err
			}
		}
	}
	for _, st := range b.touched {
		if err := b.tx.PutOrg(*st.org); err != nil {
			return 0, 0, err
		}
		st.org = nil
	}
	return imported, dups, nil
}

// applyEvent changes an org's counters for one event. Counters never go
// below zero; a device counts once, in its latest state.
func applyEvent(tx store.Tx, o *domain.Org, e events.Event) error {
	dec := func(n *int) {
		if *n > 0 {
			*n--
		}
	}
	switch e.Type {
	case events.SessionStarted:
		o.AddSession(e.At)
	case events.KnowledgeAdded:
		o.DataSources++
	case events.KnowledgeRemoved:
		dec(&o.DataSources)
	case events.IntegrationConnected:
		o.Integrations++
	case events.IntegrationDisconnect:
		dec(&o.Integrations)
	case events.AIInstructionsUpdated:
		o.AITrained = true
	case events.MessageSent:
		o.Messages++
	case events.ContactCreated:
		o.Subscribers++
	case events.MemberAdded:
		return addMember(tx, o, domain.Membership{OrgID: o.ID, Email: e.Email, Role: domain.RoleMember, LoginMethod: "any", JoinedAt: e.At})
	case events.MemberRemoved:
		return removeMember(tx, o, e.Email)
	default:
		if e.Type.IsDevice() {
			return moveDevice(tx, o, e)
		}
		return fmt.Errorf("no rule for event type %q", e.Type)
	}
	return nil
}

func moveDevice(tx store.Tx, o *domain.Org, e events.Event) error {
	prev, err := tx.DeviceState(o.ID, e.Device)
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if known && prev.At.After(e.At) {
		return nil // an older event than the state we hold
	}
	if known {
		countDevice(&o.Devices, prev.State, -1)
	}
	next := e.Type.DeviceState()
	countDevice(&o.Devices, next, +1)
	return tx.PutDeviceState(o.ID, e.Device, domain.DeviceState{State: next, At: e.At})
}

func countDevice(d *domain.Devices, state string, delta int) {
	var n *int
	switch state {
	case "registered":
		n = &d.Registered
	case "onboarded":
		n = &d.Onboarded
	case "provisioned":
		n = &d.Provisioned
	default:
		return // removed devices are not counted
	}
	*n = max(0, *n+delta)
	d.Total = max(0, d.Total+delta)
}
