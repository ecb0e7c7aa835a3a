package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"slices"

	"github.com/partnerctl/partnerctl/pkg/events"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// An import in org ranges (the store's store.ImportRanges, or
// Options.OrgsPerTx): a feed into a store of at least minRanges ranges'
// orgs is read once to plan, then applied one range of org ids at a time
// (a range per OrgsPerTx of the store's orgs), a transaction (or more) per
// range, each over the feed's lines for that range in feed order. A
// transaction of a whole feed holds every org, membership and device it
// touches until its commit, and on bbolt the commit rewrites every page
// they sit on: at a million orgs that was most of the file, three times
// over for 10M events. A range holds a share of that and dirties a share
// of the pages, since records, memberships and devices are all keyed by
// org.
//
// Each org's events are applied in feed order within its range, so its
// counters end as a single pass would leave them; an event only ever
// touches its own org's state. Ranges are used only when the plan proves
// it changes nothing else: every line valid, every org known, and the ids
// strictly ascending (a feed numbered as it happens), so no id repeats and
// the first line with an id is the only one. Anything else imports in one
// pass as before, after the planning read. Lines whose id an earlier
// import claimed are counted as duplicates by the plan and applied by no
// range. Each range claims its own ids with its changes: a range that
// commits is done, and an import run again after a crash finds its lines
// claimed. The last range's last transaction audits the whole import.

// minRangedBytesPerOrg: an input shorter than this many bytes per org of
// a range (250 KB at 62,500 orgs, some 2,500 events) isn't planned; it
// can't dirty much of any store.
const minRangedBytesPerOrg = 4

// minOrgsPerRange: fewer of the feed's orgs per range save less than a
// transaction costs.
const minOrgsPerRange = 1000

// minRanges: a store of fewer than this many ranges' orgs imports in one
// pass. The planning read costs about a sixth of a one-pass import (100k
// orgs, 1M events: 2.89 s in one pass, 3.36 s in two ranges); it pays
// when one pass would dirty several times what a range does.
const minRanges = 4

// rangePlan is what the planning read found.
type rangePlan struct {
	storeOrgs  int      // the store's orgs when planned
	lines      int      // the input's lines (Result.Lines)
	duplicates int      // lines whose id an earlier import claimed
	fresh      int      // lines some range applies
	lineOrg    lineOrgs // by line number - 1: the number of its org, -1 for none
	rangeOf    []uint8  // by org number: its range
	ranges     int
	answers    *planAnswers // nil when the store has no store.Generations
}

// planAnswers are the planning read's answers to the feed's org keys. A
// range's transaction takes its orgs from them instead of asking the store
// again, when the store has committed nothing since the planning read but
// this import's own transactions (store.Generations): those change
// counters, memberships and devices, never which org a key names. A day's
// 100k events into a million orgs asked the store twice for each of their
// 95,000 orgs.
//
// The same check lets a range stage its event ids (store.EventStager): the
// ids the planning read found unclaimed are unclaimed still, but for the
// earlier ranges' own, which are other ids.
type planAnswers struct {
	keys       *keyTable // the keys looked up; nil past maxReusedKeys
	keyOrg     []int32   // by key: the number of its org, in ids
	ids        *keyTable // the orgs found
	generation uint64    // the planning read's
	commits    uint64    // this import's commits since
}

// maxReusedKeys bounds the answers kept for the ranges: they stay in memory
// until the last range. A day's feed names some 95,000 orgs (5 MB of
// tables); 10M events name a million, whose 55 MB through the ranges took
// the import's peak RSS from 434 to 498-514 MB, past its budget, to save
// 1 s of 29.
const maxReusedKeys = 1 << 18

// validIn says whether the answers still hold in tx.
func (a *planAnswers) validIn(tx store.Tx) bool {
	g, ok := tx.(store.Generations)
	return a != nil && ok && g.Generation() == a.generation+a.commits
}

// id is the answer to key, if the planning read looked it up and kept it.
func (a *planAnswers) id(key string) (string, bool) {
	if a.keys == nil {
		return "", false
	}
	k := a.keys.Find(key)
	if k < 0 {
		return "", false
	}
	return a.ids.At(int(a.keyOrg[k])), true
}

// errNotRanged abandons the planning read: the feed imports in one pass.
var errNotRanged = errors.New("not ranged")

// orgsPerTx is how many of the store's orgs a range covers, and how many
// the store has; 0 for an import in one pass.
func (imp *importer) orgsPerTx(ctx context.Context) (perTx, orgs int) {
	n := imp.opts.OrgsPerTx
	if n == 0 {
		if r, ok := imp.st.(store.ImportRanges); ok {
			n = r.OrgsPerImport()
		}
	}
	if n <= 0 || imp.src.size() < int64(n)*minRangedBytesPerOrg {
		return 0, 0
	}
	err := imp.st.View(ctx, func(tx store.Tx) (err error) {
		orgs, err = tx.CountOrgs(ctx)
		return err
	})
	if err != nil || orgs < minRanges*n {
		return 0, 0
	}
	return n, orgs
}

// plan reads the whole input once, in a read transaction, and returns
// the ranges, or nil when the feed imports in one pass.
func (imp *importer) plan(ctx context.Context) (*rangePlan, error) {
	perTx, orgs := imp.orgsPerTx(ctx)
	if perTx == 0 {
		return nil, nil
	}
	var p *rangePlan
	// The read is the first half of the import's progress.
	planner := *imp
	if progress := imp.opts.Progress; progress != nil {
		planner.opts.Progress = func(applied int64) { progress(applied / 2) }
	}
	err := imp.st.View(ctx, func(tx store.Tx) error {
		t, _, err := planner.begin(ctx, tx)
		if err != nil {
			return err
		}
		p, err = t.plan(ctx, perTx, orgs)
		return err
	})
	if errors.Is(err, errNotRanged) {
		return nil, nil
	}
	return p, err
}

func (t *txRun) plan(ctx context.Context, perTx, storeOrgs int) (*rangePlan, error) {
	p := &rangePlan{storeOrgs: storeOrgs}
	orgs := planOrgs{keys: newKeyTable(), ids: newKeyTable()}
	f := t.openFeed(segment{line: 1}, unnumberedOrgs)
	defer f.stop()
	lastID := ""
	for {
		var b batch
		ended, err := t.planBatch(ctx, f, &b, p, &orgs, &lastID)
		b.reset()
		if err != nil {
			return nil, err
		}
		if ended {
			break
		}
	}
	p.lines = f.last
	// A range per perTx of the store's orgs, cut at the quantiles of the
	// touched orgs' ids: the order the store keys records, memberships and
	// devices by (bbolt). A feed that touches few orgs spread over the
	// whole store would dirty pages all over it in one pass. Each range
	// has at least min(perTx, minOrgsPerRange) of the feed's orgs.
	byID := make([]int32, orgs.ids.Len())
	for n := range byID {
		byID[n] = int32(n)
	}
	slices.SortFunc(byID, func(a, b int32) int { return bytes.Compare(orgs.ids.at(int(a)), orgs.ids.at(int(b))) })
	atLeast := min(perTx, minOrgsPerRange)
	p.ranges = max(1, min((storeOrgs+perTx-1)/perTx, (len(byID)+atLeast-1)/atLeast, 255))
	p.rangeOf = make([]uint8, len(byID))
	for n, org := range byID {
		p.rangeOf[org] = uint8(n * p.ranges / len(byID))
	}
	if g, ok := t.tx.(store.Generations); ok {
		p.answers = &planAnswers{generation: g.Generation()}
		if orgs.keys.Len() <= maxReusedKeys {
			p.answers.keys, p.answers.keyOrg, p.answers.ids = orgs.keys, orgs.keyOrg, orgs.ids
		}
	}
	return p, nil
}

// planOrgs is the planning read's resolver: org keys and ids numbered in
// keyTables, which hold no pointers for the collector to mark.
type planOrgs struct {
	keys   *keyTable // the keys looked up
	keyOrg []int32   // by key: the number of its org (in ids), -1 unknown
	ids    *keyTable // the orgs found, numbered
	todo   []string  // keys to look up
	keyOf  []int32   // by line of the batch: its key, -1 for a duplicate
	// lookups and found are a batch's keys and what FindAll found.
	lookups []string
	found   []int32
}

// planBatch reads a batch: every line must be valid with a strictly
// larger id than the line before; the lines claimed before are counted,
// the others' orgs resolved and noted by line.
func (t *txRun) planBatch(ctx context.Context, f *feed, b *batch, p *rangePlan, orgs *planOrgs, lastID *string) (ended bool, err error) {
	_, ended, err = t.take(ctx, f, b)
	if err != nil {
		return false, err
	}
	for _, ch := range b.chunks {
		for i := range ch.lines {
			pl := &ch.lines[i]
			if pl.err != nil || pl.e.ID <= *lastID {
				return false, errNotRanged
			}
			*lastID = pl.e.ID
		}
	}
	if err := t.markClaimed(ctx, b); err != nil {
		return false, err
	}
	// The keys not seen before, in one store call.
	orgs.lookups = orgs.lookups[:0]
	for _, pl := range b.valid {
		if !pl.claimed {
			orgs.lookups = append(orgs.lookups, pl.e.Org)
		}
	}
	orgs.found = slices.Grow(orgs.found[:0], len(orgs.lookups))[:len(orgs.lookups)]
	orgs.keys.FindAll(orgs.lookups, orgs.found)
	keyOf, next := orgs.keyOf[:0], 0
	for _, pl := range b.valid {
		key := -1
		if !pl.claimed {
			if key = int(orgs.found[next]); key < 0 {
				if key = orgs.keys.Find(pl.e.Org); key < 0 { // not twice new in a batch
					key = orgs.keys.Add(pl.e.Org)
					orgs.keyOrg = append(orgs.keyOrg, -1)
					orgs.todo = append(orgs.todo, pl.e.Org)
				}
			}
			next++
		}
		keyOf = append(keyOf, int32(key))
	}
	orgs.keyOf = keyOf
	if len(orgs.todo) > 0 {
		found, err := t.resolved.tx.LiveOrgIDs(ctx, orgs.todo)
		if err != nil {
			return false, err
		}
		for i, key := range orgs.todo {
			if found[i] == "" {
				return false, errNotRanged // one pass calls the line invalid
			}
			orgs.keyOrg[orgs.keys.Find(key)] = int32(orgs.ids.Add(found[i]))
		}
		orgs.todo = orgs.todo[:0]
	}
	// b.valid is every line in feed order (ascending ids sort as they are).
	for n, pl := range b.valid {
		for p.lineOrg.len() < pl.num-1 {
			p.lineOrg.append(-1) // blank lines
		}
		if pl.claimed {
			p.duplicates++
			p.lineOrg.append(-1)
			continue
		}
		p.lineOrg.append(orgs.keyOrg[keyOf[n]])
		p.fresh++
	}
	t.progress(f)
	return ended, ctx.Err()
}

// runRanged applies the plan's ranges in order. A feed the plan found all
// duplicates (a replay) has nothing to spool: its one transaction, on no
// lines, only audits the import, and the import keeps its planning read's
// pacing (a replay of 10M events into a million orgs spent 0.5 s spooling
// nothing from a gigabyte).
func (imp *importer) runRanged(ctx context.Context, p *rangePlan) (Result, error) {
	imp.res = Result{Lines: p.lines, Duplicates: p.duplicates}
	var parts []*source
	var err error
	if p.fresh == 0 {
		parts = []*source{{at: bytes.NewReader(nil)}}
	} else {
		if imp.opts.InRanges != nil {
			imp.opts.InRanges(p.storeOrgs, imp.src.size())
		}
		parts, err = imp.splitRanges(p)
	}
	if err != nil {
		return imp.res, err
	}
	defer func() {
		for _, part := range parts {
			part.close()
		}
	}()
	total := imp.src.size()
	var done int64
	for r, part := range parts {
		n, last := part.size(), r == len(parts)-1
		if n == 0 && !last {
			continue
		}
		sub := &importer{st: imp.st, src: part, rules: imp.rules, opts: imp.opts, res: imp.res, checked: true, followed: !last,
			planned: true, answers: p.answers}
		if progress := imp.opts.Progress; progress != nil {
			base := done
			sub.opts.Progress = func(applied int64) { progress(total/2 + (base+applied)/2) }
		}
		err := sub.run(ctx)
		part.close()
		imp.res = sub.res
		imp.res.Lines = p.lines
		if err != nil {
			return imp.res, err
		}
		done += n
	}
	return imp.res, nil
}

// splitRanges writes the input's lines of each range, in feed order, to a
// spool of its own (pkg/tempfile, in Options.TempDir): one read of the
// input for every range, and a few kilobytes of memory each.
func (imp *importer) splitRanges(p *rangePlan) (parts []*source, err error) {
	writers := make([]*bufio.Writer, p.ranges)
	defer func() {
		if err != nil {
			for _, part := range parts {
				part.close()
			}
			parts, err = nil, fail.Wrap(fail.Internal, err, "cannot spool the events")
		}
	}()
	for r := range writers {
		spool, err := newSpool(imp.opts)
		if err != nil {
			return parts, err
		}
		parts = append(parts, &source{at: spool, spool: spool})
		writers[r] = bufio.NewWriterSize(spool, 32<<10)
	}
	lines := events.NewLines(imp.src.from(0))
	for lines.Next() {
		if o := p.lineOrg.at(lines.Number() - 1); o >= 0 {
			w := writers[p.rangeOf[o]]
			w.Write(lines.Bytes())
			if err := w.WriteByte('\n'); err != nil {
				return parts, err
			}
		}
	}
	if err := lines.Err(); err != nil {
		return parts, err
	}
	for _, w := range writers {
		if err := w.Flush(); err != nil {
			return parts, err
		}
	}
	return parts, nil
}

// lineOrgs is an []int32 grown in blocks: a feed of ten million lines
// needs 40 MB of them, and growing one slice by doubling held twice that
// while it copied.
type lineOrgs struct {
	blocks [][]int32
	n      int
}

const lineOrgsBlock = 1 << 16

func (l *lineOrgs) len() int { return l.n }

func (l *lineOrgs) append(org int32) {
	if l.n%lineOrgsBlock == 0 {
		l.blocks = append(l.blocks, make([]int32, 0, lineOrgsBlock))
	}
	last := len(l.blocks) - 1
	l.blocks[last] = append(l.blocks[last], org)
	l.n++
}

// at is line i's org, -1 past the end (trailing blank lines).
func (l *lineOrgs) at(i int) int32 {
	if i >= l.n {
		return -1
	}
	return l.blocks[i/lineOrgsBlock][i%lineOrgsBlock]
}
