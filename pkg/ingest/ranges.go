package ingest

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/events"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// An import in org ranges (the store's store.ImportRanges, or
// Options.OrgsPerTx): a large feed into a large store is read once to plan,
// then applied one range of org ids at a time, a transaction (or more) per
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

// minRangedLineBytes is the shortest an event line can be: an input too
// short to hold OrgsPerTx lines can't touch more orgs than a range holds,
// and isn't planned.
const minRangedLineBytes = 50

// rangePlan is what the planning read found.
type rangePlan struct {
	lines      int     // the input's lines (Result.Lines)
	duplicates int     // lines whose id an earlier import claimed
	lineOrg    []int32 // by line number - 1: the index of its org, -1 for none
	rangeOf    []uint8 // by org index: its range
	ranges     int
}

// errNotRanged abandons the planning read: the feed imports in one pass.
var errNotRanged = errors.New("not ranged")

// orgsPerTx is how many orgs a range covers, 0 for an import in one pass.
func (imp *importer) orgsPerTx(ctx context.Context) int {
	n := imp.opts.OrgsPerTx
	if n == 0 {
		if r, ok := imp.st.(store.ImportRanges); ok {
			n = r.OrgsPerImport()
		}
	}
	if n <= 0 || imp.src.size() < int64(n)*minRangedLineBytes {
		return 0
	}
	var orgs int
	err := imp.st.View(ctx, func(tx store.Tx) (err error) {
		orgs, err = tx.CountOrgs(ctx)
		return err
	})
	if err != nil || orgs <= n {
		return 0
	}
	return n
}

// plan reads the whole input once, in a read transaction, and returns
// the ranges, or nil when the feed imports in one pass.
func (imp *importer) plan(ctx context.Context) (*rangePlan, error) {
	perTx := imp.orgsPerTx(ctx)
	if perTx == 0 {
		return nil, nil
	}
	var p *rangePlan
	err := imp.st.View(ctx, func(tx store.Tx) error {
		work, err := imp.rules.Begin(ctx, tx)
		if err != nil {
			return err
		}
		// The read is the first half of the import's progress.
		planner := *imp
		if progress := imp.opts.Progress; progress != nil {
			planner.opts.Progress = func(applied int64) { progress(applied / 2) }
		}
		t := &txRun{imp: &planner, tx: tx, bad: &fail.InputError{}, resolved: resolver{tx: tx}}
		if v, ok := work.(Viewer); ok {
			t.resolved = resolver{tx: v.View()}
		}
		p, err = t.plan(ctx, perTx)
		return err
	})
	if errors.Is(err, errNotRanged) {
		return nil, nil
	}
	return p, err
}

func (t *txRun) plan(ctx context.Context, perTx int) (*rangePlan, error) {
	p := &rangePlan{}
	f := t.open(segment{line: 1})
	defer f.stop()
	lastID := ""
	for {
		var b batch
		ended, err := t.planBatch(ctx, f, &b, p, &lastID)
		b.reset()
		if err != nil {
			return nil, err
		}
		if ended {
			break
		}
	}
	p.lines = f.last
	p.lineOrg = p.lineOrg[:min(len(p.lineOrg), p.lines)]
	for len(p.lineOrg) < p.lines {
		p.lineOrg = append(p.lineOrg, -1) // trailing blank lines
	}
	// Ranges of about perTx orgs each, in org id order: the order the store
	// keys records, memberships and devices by (bbolt).
	ids := make([]*resolvedOrg, 0, len(t.resolved.index))
	for _, org := range t.resolved.index {
		ids = append(ids, org)
	}
	slices.SortFunc(ids, func(a, b *resolvedOrg) int { return strings.Compare(a.id, b.id) })
	p.ranges = max(1, min((len(ids)+perTx-1)/perTx, 255))
	p.rangeOf = make([]uint8, len(ids))
	for n, org := range ids {
		p.rangeOf[org.index] = uint8(n * p.ranges / len(ids))
	}
	return p, nil
}

// planBatch reads a batch: every line must be valid with a strictly
// larger id than the line before; the lines claimed before are counted,
// the others' orgs resolved and noted by line.
func (t *txRun) planBatch(ctx context.Context, f *feed, b *batch, p *rangePlan, lastID *string) (ended bool, err error) {
	_, ended, err = t.gather(ctx, f, b)
	if err != nil {
		return false, err
	}
	if t.bad.Count > 0 {
		return false, errNotRanged
	}
	for _, ch := range b.chunks {
		for i := range ch.lines {
			pl := &ch.lines[i]
			if pl.e.ID <= *lastID {
				return false, errNotRanged
			}
			*lastID = pl.e.ID
			for len(p.lineOrg) < pl.num-1 {
				p.lineOrg = append(p.lineOrg, -1) // blank lines
			}
			if pl.claimed {
				p.duplicates++
				p.lineOrg = append(p.lineOrg, -1)
				continue
			}
			org, err := t.resolved.get(ch.worker, pl)
			if err != nil {
				return false, err // resolveBatch resolved every line it kept
			}
			p.lineOrg = append(p.lineOrg, int32(org.index))
		}
	}
	return ended, nil
}

// runRanged applies the plan's ranges in order.
func (imp *importer) runRanged(ctx context.Context, p *rangePlan) (Result, error) {
	imp.res = Result{Lines: p.lines, Duplicates: p.duplicates}
	total := imp.src.size()
	var done int64
	for r := range p.ranges {
		part, n, err := imp.rangeSource(p, uint8(r))
		if err != nil {
			return imp.res, err
		}
		last := r == p.ranges-1
		if n == 0 && !last {
			part.close()
			continue
		}
		sub := &importer{st: imp.st, src: part, rules: imp.rules, opts: imp.opts, res: imp.res, checked: true, followed: !last}
		if progress := imp.opts.Progress; progress != nil {
			base := done
			sub.opts.Progress = func(applied int64) { progress(total/2 + (base+applied)/2) }
		}
		err = sub.run(ctx)
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

// rangeSource is the input's lines of range r, in feed order, held as a
// stream is (in memory, or spooled in Options.TempDir), and its length.
func (imp *importer) rangeSource(p *rangePlan, r uint8) (*source, int64, error) {
	pr, pw := io.Pipe()
	go func() {
		lines := events.NewLines(imp.src.from(0))
		var buf []byte
		for lines.Next() {
			if o := p.lineOrg[lines.Number()-1]; o >= 0 && p.rangeOf[o] == r {
				buf = append(append(buf, lines.Bytes()...), '\n')
				if len(buf) >= 256<<10 {
					if _, err := pw.Write(buf); err != nil {
						return
					}
					buf = buf[:0]
				}
			}
		}
		if _, err := pw.Write(buf); err != nil {
			return
		}
		pw.CloseWithError(lines.Err())
	}()
	src, err := openSource(pr, imp.opts)
	pr.Close()
	if err != nil {
		return nil, 0, err
	}
	return src, src.size(), nil
}
