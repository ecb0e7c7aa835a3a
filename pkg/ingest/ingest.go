// Package ingest is the events import pipeline: it reads a JSON Lines feed
// (chunking, parsing on every CPU, holding a stream on the side), resolves
// each event's org, de-duplicates event ids against the store, and hands the
// fresh events to the core's rules in transactions of bounded size. The
// rules themselves (what an event does to an org) are the core's, behind
// Rules; this package knows only their shape.
//
// All or nothing: without SkipInvalid, one bad line anywhere writes
// nothing. An input longer than one transaction is checked to its end before
// the first transaction commits; each transaction records its event ids with
// the changes it made, so an interrupted import, run again, ends with exact
// counters. Every transaction function reads its lines again from the input
// when the store runs it again.
//
// A large feed into a large store (see store.ImportRanges) is read once to
// plan, then applied one range of org ids at a time (ranges.go).
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/events"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Options tune Run.
type Options struct {
	// SkipInvalid imports the valid lines and reports the bad ones instead
	// of refusing the whole input.
	SkipInvalid bool
	// BatchSize is how many lines are deduped and applied together
	// (default DefaultBatch).
	BatchSize int
	// TxLines is how many lines one transaction applies at most (default
	// DefaultTxLines); the next transaction starts at a batch boundary.
	TxLines int
	// OrgsPerTx is how many of the store's orgs one range of an import in
	// org ranges covers (see ranges.go): 0 for the store's
	// store.ImportRanges (none: one pass), below 0 for one pass always.
	OrgsPerTx int
	// Progress, when set, is called with how many bytes of the input have
	// been applied.
	Progress func(applied int64)
	// InRanges, when set, is called once an import goes in org ranges,
	// before the first range, with the store's org count and the input's
	// size: a caller may size its memory to them (the CLI's pacing does).
	InRanges func(storeOrgs int, inputBytes int64)
	// MemoryInput and MaxSpool bound what a stream (not a regular file)
	// may take: up to MemoryInput bytes are held in memory, then up to
	// MaxSpool bytes in a temporary file (pkg/tempfile) in TempDir
	// (defaults DefaultMemoryInput, DefaultMaxSpool, os.TempDir()). The
	// store's folder is the usual TempDir: doctor finds a killed import's
	// spool there.
	MemoryInput, MaxSpool int64
	TempDir               string
}

// DefaultBatch is how many lines are deduped and applied together: the
// batch's parsed lines are the import's main memory besides the orgs. At
// 100,000 they were a quarter of a re-import's live heap (15 MB parsed,
// as much read), which the collector's pacing doubles in RSS; at 50,000 the
// per-batch work (a sort, one store call per kind) costs no more CPU.
const DefaultBatch = 50000

// DefaultTxLines is how many lines one transaction applies at most. A
// backend keeps what a transaction changed until it commits; a month of a
// large partner's feed (1M events) fits in one.
const DefaultTxLines = 4_000_000

// Result summarises an import.
type Result struct {
	Lines      int
	Imported   int
	Duplicates int
	Skipped    int
	Invalid    []fail.LineError // the first few invalid lines
}

// Event is a valid event of the feed, its org resolved to a live org id.
type Event struct {
	*events.Event
	OrgID string
	// OrgIndex numbers the transaction's distinct orgs from 0, so a Work
	// can keep per-org state in a slice instead of a map.
	OrgIndex int
}

// Rules is the core's side of an import.
type Rules interface {
	// Begin starts one transaction's work (checking access, say).
	Begin(ctx context.Context, tx store.Tx) (Work, error)
}

// Viewer is a Work that reads the store through a view of its own (a
// scoped teammate's): the import resolves each event's org through it, so
// an org the view hides is unknown.
type Viewer interface {
	View() store.Tx
}

// Work is one transaction's unit of work.
type Work interface {
	// Apply applies fresh events, in feed order. The events are valid
	// only during the call.
	Apply(ctx context.Context, evs []Event) error
	// Commit writes what Apply changed. last says whether the input ends
	// with this transaction; so far is the import's summary including it.
	Commit(ctx context.Context, last bool, so_far Result) error
}

// Run imports the feed r into st. A stream r is read to its end before
// the first transaction; an Input from Prepare is used as it is.
func Run(ctx context.Context, st store.Store, r io.Reader, rules Rules, opts Options) (Result, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatch
	}
	if opts.TxLines <= 0 {
		opts.TxLines = DefaultTxLines
	}
	src, owned, err := sourceOf(r, opts)
	if err != nil {
		return Result{}, err
	}
	if owned {
		defer src.close()
	}
	imp := &importer{st: st, src: src, rules: rules, opts: opts, checked: opts.SkipInvalid}
	plan, err := imp.plan(ctx)
	if err != nil {
		return Result{}, err
	}
	if plan != nil {
		return imp.runRanged(ctx, plan)
	}
	err = imp.run(ctx)
	return imp.res, err
}

// run applies the input in transactions of up to TxLines lines.
func (imp *importer) run(ctx context.Context) error {
	seg := segment{line: 1}
	for {
		next, more, err := imp.transaction(ctx, seg)
		if err != nil || !more {
			return err
		}
		seg, imp.checked = next, true
	}
}

// segment is where a transaction's lines start.
type segment struct {
	off  int64
	line int
}

type importer struct {
	st    store.Store
	src   *source
	rules Rules
	opts  Options
	res   Result // of the committed transactions
	// checked is true once every line to the end of the input has been
	// checked (or need not be: SkipInvalid).
	checked bool
	// followed: later ranges follow this input (see runRanged), so its
	// last transaction is not the import's last.
	followed bool
	// planned: the input is a range's spool. The planning read found every
	// line valid, its id unclaimed and larger than the line before's, so
	// markClaimed need not look the ids up again (claim still claims
	// them).
	planned bool
	// answers: the planning read's answers to the org keys (a range).
	answers *planAnswers
}

// transaction applies batches from seg on until the input ends or TxLines
// lines, in one write transaction; it reports where the next one starts.
func (imp *importer) transaction(ctx context.Context, seg segment) (next segment, more bool, err error) {
	var done Result
	err = imp.st.Update(ctx, func(tx store.Tx) error {
		// Everything below starts afresh when the store runs fn again.
		t, work, err := imp.begin(ctx, tx)
		if err != nil {
			return err
		}
		feed := t.open(seg)
		defer feed.stop()
		var b batch
		defer b.reset()
		for lines := 0; ; {
			n, ended, err := t.gather(ctx, feed, &b)
			if err != nil {
				return err
			}
			if t.bad.Count > 0 && !imp.opts.SkipInvalid {
				return t.refuse(ctx, feed)
			}
			fresh, err := b.claim(ctx, tx, &t.res, t.stage)
			if err != nil {
				return err
			}
			if err := work.Apply(ctx, fresh); err != nil {
				return err
			}
			b.reset()
			if lines += n; ended {
				more = false
				break
			} else if lines >= imp.opts.TxLines {
				more, next = true, segment{off: seg.off + feed.end, line: feed.last + 1}
				break
			}
		}
		if more && !imp.checked {
			if err := t.checkRest(ctx, next); err != nil {
				return err
			}
		}
		t.res.Invalid = t.bad.Lines
		if t.stage != nil && !more && !imp.followed {
			if err := t.stage.ClaimStagedEvents(ctx); err != nil {
				return err
			}
		}
		// The org keys and the batch's buffers are done with: let the
		// collector have them while the work writes what it changed.
		t.resolved, b = resolver{}, batch{}
		if err := work.Commit(ctx, !more && !imp.followed, t.res); err != nil {
			return err
		}
		done = t.res
		return nil
	})
	if err == nil {
		imp.res = done
		if imp.answers != nil {
			imp.answers.commits++
		}
	}
	return next, more, err
}

// begin starts one run of a transaction function: the rules' work, and
// org keys resolved through the view the work reads the store by.
func (imp *importer) begin(ctx context.Context, tx store.Tx) (*txRun, Work, error) {
	work, err := imp.rules.Begin(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	t := &txRun{imp: imp, tx: tx, res: imp.res, bad: &fail.InputError{}, resolved: resolver{tx: tx}}
	if v, ok := work.(Viewer); ok {
		t.resolved = resolver{tx: v.View()}
	}
	if imp.answers.validIn(tx) {
		if imp.answers.keys != nil {
			t.resolved.known = imp.answers.id
		}
		// A range stages its ids; the last range's last transaction
		// claims every staged id (see transaction).
		if imp.planned {
			t.stage, _ = tx.(store.EventStager)
		}
	}
	return t, work, nil
}

// txRun is one run of a transaction function.
type txRun struct {
	imp      *importer
	tx       store.Tx
	res      Result
	bad      *fail.InputError
	resolved resolver
	// stage, when set, claims the batches' ids: the planning read found
	// them unclaimed and only this import has committed since. Staged ids
	// are claimed all the same; the store only merges them later.
	stage store.EventStager
}

// feed is a parse of the input from one offset.
type feed struct {
	chunks  <-chan *parsedChunk
	quit    chan struct{}
	end     int64 // offset after the last line taken
	last    int   // number of the last line taken
	base    int64 // where this feed starts in the input
	stopped bool
}

// open starts parsing the input from seg, its parsers numbering orgs in
// keyTables (see tabledOrgs).
func (t *txRun) open(seg segment) *feed {
	return t.openFeed(seg, tabledOrgs)
}

// openFeed is open with the parsers numbering orgs as numbers says.
func (t *txRun) openFeed(seg segment, numbers orgNumbers) *feed {
	f := &feed{quit: make(chan struct{}), base: seg.off}
	f.chunks = parseFeed(t.imp.src.from(seg.off), seg.line, min(parseChunkLines, t.imp.opts.BatchSize), numbers, f.quit)
	t.resolved.newFeed()
	return f
}

func (f *feed) stop() {
	if !f.stopped {
		close(f.quit)
		f.stopped = true
	}
}

// gather fills b with the valid events of up to BatchSize lines, noting
// the invalid ones; it reports how many lines it took and whether the input
// ended.
func (t *txRun) gather(ctx context.Context, f *feed, b *batch) (lines int, ended bool, err error) {
	if lines, ended, err = t.take(ctx, f, b); err != nil {
		return lines, false, err
	}
	if err := t.resolveBatch(ctx, b); err != nil {
		return lines, false, err
	}
	t.progress(f)
	return lines, ended, ctx.Err()
}

// take adds up to BatchSize parsed lines of f to b; it reports how many
// lines it took and whether the input ended.
func (t *txRun) take(ctx context.Context, f *feed, b *batch) (lines int, ended bool, err error) {
	for lines < t.imp.opts.BatchSize {
		ch, ok := <-f.chunks
		if !ok {
			ended = true
			break
		}
		<-ch.ready
		ch.releaseRaw()
		b.chunks = append(b.chunks, ch)
		lines += ch.count
		f.end, f.last = ch.end, ch.last
		t.res.Lines = max(t.res.Lines, ch.last)
		if ch.err != nil {
			return lines, false, fail.Wrap(fail.Internal, ch.err, "cannot read events")
		}
	}
	return lines, ended, nil
}

// progress reports the input read up to f's last batch.
func (t *txRun) progress(f *feed) {
	if p := t.imp.opts.Progress; p != nil {
		p(f.base + f.end)
	}
}

// resolveBatch resolves the orgs of the batch's parsed lines, in one store
// call for the keys not seen before, and keeps the valid events.
func (t *txRun) resolveBatch(ctx context.Context, b *batch) error {
	if err := t.markClaimed(ctx, b); err != nil {
		return err
	}
	for _, ch := range b.chunks {
		for i := range ch.lines {
			if pl := &ch.lines[i]; pl.err == nil && !pl.claimed {
				t.resolved.want(ch.worker, pl)
			}
		}
	}
	if err := t.resolved.lookup(ctx); err != nil {
		return err
	}
	t.markRepeats(b)
	for _, ch := range b.chunks {
		for i := range ch.lines {
			pl := &ch.lines[i]
			if pl.err == nil && pl.claimed {
				b.events = append(b.events, pending{Event: Event{Event: &pl.e}, claimed: true})
				continue
			}
			if pl.err == nil {
				var org resolvedOrg
				if org, pl.err = t.resolved.get(ch.worker, pl); pl.err == nil {
					b.events = append(b.events, pending{Event: Event{Event: &pl.e, OrgID: org.id, OrgIndex: org.index}})
					continue
				}
			}
			t.bad.Add(pl.num, pl.err.Error())
			t.res.Skipped++
		}
	}
	return nil
}

// markClaimed sets claimed on the batch's valid lines whose id was claimed
// before (by an earlier import, or earlier in this one): those are
// duplicates whatever their org says, so a replayed feed costs a lookup of
// its ids and none of its orgs. The store only reads here; the fresh ids
// are claimed after their orgs resolve (claim), so a line skipped as
// invalid never claims its id. A range's lines skip the lookup: the
// planning read found their ids unclaimed (importer.planned).
func (t *txRun) markClaimed(ctx context.Context, b *batch) error {
	lines := b.valid[:0]
	for _, ch := range b.chunks {
		for i := range ch.lines {
			if pl := &ch.lines[i]; pl.err == nil {
				lines = append(lines, pl)
			}
		}
	}
	b.valid = lines
	if len(lines) == 0 || t.imp.planned {
		return nil
	}
	byID := func(x, y *parsedLine) int { return strings.Compare(x.e.ID, y.e.ID) }
	if !slices.IsSortedFunc(lines, byID) {
		slices.SortStableFunc(lines, byID)
	}
	ids := make([]string, 0, len(lines))
	for n, pl := range lines {
		if n == 0 || lines[n-1].e.ID != pl.e.ID {
			ids = append(ids, pl.e.ID)
		}
	}
	claimed := make([]bool, len(ids))
	if err := t.tx.EventsClaimed(ctx, ids, claimed); err != nil {
		return err
	}
	k := -1
	for n, pl := range lines {
		if n == 0 || lines[n-1].e.ID != pl.e.ID {
			k++
		}
		pl.claimed = claimed[k]
	}
	return nil
}

// markRepeats sets claimed on the lines of the batch that repeat the id of
// an earlier line whose org resolved (the line that claims the id): they
// are duplicates whatever their own org says, as they would be in a later
// batch. It walks markClaimed's list, sorted by id and in feed order
// within an id; an id on one line only, the usual case, costs nothing.
func (t *txRun) markRepeats(b *batch) {
	lines := b.valid
	for start := 0; start < len(lines); {
		end := start + 1
		for end < len(lines) && lines[end].e.ID == lines[start].e.ID {
			end++
		}
		if end-start > 1 && !lines[start].claimed {
			for _, pl := range lines[start:end] {
				if _, err := t.resolved.lookedUp(pl); err == nil {
					// pl claims the id: every later line with it repeats it.
					for _, later := range lines[start:end] {
						later.claimed = later.num > pl.num
					}
					break
				}
			}
		}
		start = end
	}
}

// refuse reads the rest of the input to count its invalid lines, and
// returns the error that rolls the import back.
func (t *txRun) refuse(ctx context.Context, f *feed) error {
	if err := t.drain(ctx, f); err != nil {
		return err
	}
	t.bad.Summary = fail.Usagef("%d invalid line(s); nothing was imported", t.bad.Count).WithCode(fail.CodeInvalidLines)
	return t.bad
}

// checkRest checks every line from next to the end of the input before
// the first transaction commits.
func (t *txRun) checkRest(ctx context.Context, next segment) error {
	f := t.open(next)
	defer f.stop()
	if err := t.drain(ctx, f); err != nil {
		return err
	}
	if t.bad.Count > 0 {
		return t.refuse(ctx, f)
	}
	return nil
}

// drain checks every remaining line of f.
func (t *txRun) drain(ctx context.Context, f *feed) error {
	for {
		var b batch
		_, ended, err := t.gather(ctx, f, &b)
		b.reset()
		if err != nil {
			return err
		}
		if ended {
			return nil
		}
	}
}

// batch is up to BatchSize lines of one transaction: their chunks, and the
// valid events among them.
type batch struct {
	chunks []*parsedChunk
	events []pending
	// valid is markClaimed's list of the valid lines, its storage reused.
	valid []*parsedLine
	// fresh is claim's result, its storage reused by the next batch.
	fresh []Event
}

type pending struct {
	Event
	dup bool
	// claimed: the id was claimed before the batch (no OrgID was resolved).
	claimed bool
}

func (b *batch) reset() {
	for _, ch := range b.chunks {
		ch.releaseLines()
	}
	clear(b.chunks)
	clear(b.events)
	clear(b.fresh)
	clear(b.valid)
	b.chunks, b.events, b.fresh, b.valid = b.chunks[:0], b.events[:0], b.fresh[:0], b.valid[:0]
}

// claim de-duplicates the batch: a repeat of an id within it is a
// duplicate (the first line wins), and so is an id an earlier import
// claimed. It returns the fresh events in feed order. With stage, the ids
// are known unclaimed and staged (store.EventStager).
func (b *batch) claim(ctx context.Context, tx store.Tx, res *Result, stage store.EventStager) ([]Event, error) {
	order := make([]int32, len(b.events))
	sorted := true
	for i := range b.events {
		order[i] = int32(i)
		if i > 0 && b.events[i-1].ID > b.events[i].ID {
			sorted = false
		}
	}
	if !sorted {
		slices.SortStableFunc(order, func(x, y int32) int { return strings.Compare(b.events[x].ID, b.events[y].ID) })
	}
	ids := make([]string, 0, len(order))
	first := make([]int32, 0, len(order))
	for n, i := range order {
		if b.events[i].claimed || n > 0 && b.events[order[n-1]].ID == b.events[i].ID {
			b.events[i].dup = true
			continue
		}
		ids, first = append(ids, b.events[i].ID), append(first, i)
	}
	fresh := make([]bool, len(ids))
	if stage != nil {
		if err := stage.StageEvents(ctx, ids); err != nil {
			return nil, err
		}
		for n := range fresh {
			fresh[n] = true
		}
	} else if err := tx.ClaimEvents(ctx, ids, fresh); err != nil {
		return nil, err
	}
	for n, i := range first {
		b.events[i].dup = !fresh[n]
	}
	out := b.fresh[:0] // grown by appending: a feed read again is all duplicates
	for _, e := range b.events {
		if e.dup {
			res.Duplicates++
			continue
		}
		out = append(out, e.Event)
		res.Imported++
	}
	b.fresh = out
	return out, nil
}

// resolver maps an event's org (an id or a ref, as written) to a live
// customer org id, remembering each key's answer for the transaction.
type resolver struct {
	tx store.Tx
	// slots caches answers by parser and the parser's org number: a slice
	// index instead of a map lookup per event (a sixth of an import's
	// critical path). The numbering is per feed, so a new feed resets it.
	slots [][]slot
	keys  map[string]*resolvedOrg // answers for keys looked up; nil unknown
	todo  []string
	// known answers keys without the store, when it can (planAnswers).
	known func(key string) (id string, ok bool)
	// index numbers the distinct org ids found (Event.OrgIndex).
	index map[string]*resolvedOrg
}

type resolvedOrg struct {
	id    string
	index int
}

type slot struct {
	done bool
	org  *resolvedOrg // nil when the key names no live customer org
}

// maxUnknownKeys bounds the keys remembered, so memory stays flat on a feed
// of endless distinct (invalid) org keys.
const maxUnknownKeys = 1 << 16

var errUnknownOrg = errors.New("unknown org")

func (r *resolver) newFeed() { r.slots = nil }

func (r *resolver) slot(parser int, pl *parsedLine) *slot {
	if pl.orgKey <= 0 {
		return nil
	}
	for len(r.slots) <= parser {
		r.slots = append(r.slots, nil)
	}
	if n := pl.orgKey + 1 - len(r.slots[parser]); n > 0 {
		r.slots[parser] = append(r.slots[parser], make([]slot, n)...)
	}
	return &r.slots[parser][pl.orgKey]
}

// want notes that pl's org needs resolving.
func (r *resolver) want(parser int, pl *parsedLine) {
	if s := r.slot(parser, pl); s != nil && s.done {
		return
	}
	if _, ok := r.keys[pl.e.Org]; ok {
		return
	}
	if r.keys == nil {
		r.keys, r.index = map[string]*resolvedOrg{}, map[string]*resolvedOrg{}
	}
	if len(r.keys) > len(r.index)*2+maxUnknownKeys {
		r.forgetUnknown()
	}
	r.keys[pl.e.Org] = nil
	r.todo = append(r.todo, pl.e.Org)
}

// lookup resolves the keys wanted since the last call.
func (r *resolver) lookup(ctx context.Context) error {
	if len(r.todo) == 0 {
		return nil
	}
	ids, err := r.answers(ctx)
	if err != nil {
		return err
	}
	for i, key := range r.todo {
		if ids[i] == "" {
			continue
		}
		org := r.index[ids[i]]
		if org == nil {
			org = &resolvedOrg{id: ids[i], index: len(r.index)}
			r.index[ids[i]] = org
		}
		r.keys[key] = org
	}
	r.todo = r.todo[:0]
	return nil
}

// answers are the ids of the keys to do: known ones as known, the others
// from the store.
func (r *resolver) answers(ctx context.Context) ([]string, error) {
	if r.known == nil {
		return r.tx.LiveOrgIDs(ctx, r.todo)
	}
	ids := make([]string, len(r.todo))
	var ask []string
	var at []int
	for i, key := range r.todo {
		if id, ok := r.known(key); ok {
			ids[i] = id
		} else {
			ask, at = append(ask, key), append(at, i)
		}
	}
	if len(ask) > 0 {
		found, err := r.tx.LiveOrgIDs(ctx, ask)
		if err != nil {
			return nil, err
		}
		for j, id := range found {
			ids[at[j]] = id
		}
	}
	return ids, nil
}

// lookedUp is get without the parser's slot: the answer of a key looked up
// in this transaction (every key that names an org stays remembered).
func (r *resolver) lookedUp(pl *parsedLine) (resolvedOrg, error) {
	if org := r.keys[pl.e.Org]; org != nil {
		return *org, nil
	}
	return resolvedOrg{}, errUnknownOrg
}

func (r *resolver) get(parser int, pl *parsedLine) (resolvedOrg, error) {
	s := r.slot(parser, pl)
	if s == nil || !s.done {
		org, ok := r.keys[pl.e.Org]
		if !ok {
			return resolvedOrg{}, fmt.Errorf("org %q was not looked up", pl.e.Org) // a bug, not the feed's fault
		}
		if s != nil {
			*s = slot{done: true, org: org}
		}
		if org == nil {
			return resolvedOrg{}, fmt.Errorf("%w %q", errUnknownOrg, pl.e.Org)
		}
		return *org, nil
	}
	if s.org == nil {
		return resolvedOrg{}, fmt.Errorf("%w %q", errUnknownOrg, pl.e.Org)
	}
	return *s.org, nil
}

// forgetUnknown drops the keys that named no org; it runs before a batch's
// keys are noted, never between noting and reading them.
func (r *resolver) forgetUnknown() {
	for k, org := range r.keys {
		if org == nil {
			delete(r.keys, k)
		}
	}
}
