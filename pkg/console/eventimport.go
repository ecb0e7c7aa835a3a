package console

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/tempfile"
)

// EventImportOptions tune ImportEvents.
type EventImportOptions struct {
	// SkipInvalid imports the valid lines and reports the bad ones instead
	// of refusing the whole input.
	SkipInvalid bool
	// BatchSize is how many lines are deduped and applied together
	// (default DefaultEventBatch).
	BatchSize int
	// TxLines is how many lines one transaction applies at most (default
	// DefaultEventTxLines); the next transaction starts at a batch boundary.
	TxLines int
	// Progress, when set, is called with the bytes read so far.
	Progress func(bytesRead int64)
	// TempDir is where the rest of a long input is spooled (see
	// pkg/tempfile); "" is the system's temporary folder. The store's
	// folder is the usual choice: doctor finds a killed import's spool there.
	TempDir string
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
// Lines are parsed in parallel, then applied in batches (ids checked in key
// order, counters changed in file order) inside one transaction of up to
// TxLines lines, which writes the changed orgs and the new event ids
// together: an interrupted import writes nothing of the transaction it was
// in, and re-run it ends with exact counters. Without SkipInvalid one bad
// line refuses the whole input: an input longer than one transaction is read
// to its end before the first transaction commits (its unapplied rest is
// spooled to a temporary file and read again from there).
func (c *Console) ImportEvents(r io.Reader, opts EventImportOptions) (EventImportResult, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultEventBatch
	}
	if opts.TxLines <= 0 {
		opts.TxLines = DefaultEventTxLines
	}
	// The access check runs before reading any input.
	if err := c.asAdmin(func(store.Tx, string) error { return nil }); err != nil {
		return EventImportResult{}, err
	}
	imp := &eventImport{c: c, opts: opts, in: newImportState(), bad: &InputError{}, checked: opts.SkipInvalid}
	defer imp.stop()
	imp.start(r, 1)
	for more := true; more; {
		var err error
		if more, err = imp.transaction(); err != nil {
			return imp.res, err
		}
	}
	imp.res.Invalid = imp.bad.Lines
	return imp.res, nil
}

// DefaultEventBatch is how many lines are deduped and applied together: the
// batch's parsed lines are the import's main memory besides the orgs.
const DefaultEventBatch = 100000

// DefaultEventTxLines is how many lines one transaction applies at most.
// Every org the transaction changed is written once, when it commits, so
// long transactions are fast; what bounds them is memory: bbolt keeps every
// page the transaction changed until then (the event ids take a few bytes
// each, the orgs, members and devices are bounded by the store). A month of
// a large partner's feed (1M events) fits in one.
const DefaultEventTxLines = 4_000_000

// eventImport is one run of ImportEvents.
type eventImport struct {
	c     *Console
	opts  EventImportOptions
	in    *importState
	bad   *InputError
	res   EventImportResult
	batch eventBatch
	// checked is true once every line up to the end of the input has been
	// checked (or need not be: SkipInvalid).
	checked bool
	chunks  <-chan *parsedChunk
	quit    chan struct{}
	spool   *tempfile.File
	// applied is how far into the input the applied lines reach, in bytes;
	// base is where the current feed (the input, or the spool) starts.
	applied, base int64
}

func (imp *eventImport) start(r io.Reader, firstLine int) {
	imp.in.slots = nil
	imp.quit = make(chan struct{})
	imp.chunks = parseFeed(r, firstLine, min(parseChunkLines, imp.opts.BatchSize), imp.quit)
}

func (imp *eventImport) stop() {
	close(imp.quit)
	if imp.spool != nil {
		imp.spool.Remove()
	}
}

// transaction applies batches until the input ends or TxLines lines, in one
// transaction; it reports whether input remains.
func (imp *eventImport) transaction() (more bool, err error) {
	err = imp.c.st.Update(func(tx store.Tx) error {
		actor, err := imp.c.requireAdmin(tx)
		if err != nil {
			return err
		}
		for lines := 0; ; {
			n, ended, err := imp.gather(tx)
			if err != nil {
				return err
			}
			if imp.bad.Count > 0 && !imp.opts.SkipInvalid {
				return imp.refuse(tx)
			}
			imported, dups, err := imp.batch.apply(tx, imp.in)
			if err != nil {
				return err
			}
			imp.res.Imported += imported
			imp.res.Duplicates += dups
			if lines += n; ended {
				more = false
				break
			} else if lines >= imp.opts.TxLines {
				more = true
				break
			}
		}
		if more && !imp.checked {
			if err := imp.checkRest(tx); err != nil {
				return err
			}
		}
		if err := imp.in.writeOrgs(tx); err != nil {
			return err
		}
		if more {
			return nil
		}
		// The commit allocates every changed page at once: let the collector
		// have the import's own state first.
		imp.batch.reset()
		imp.in = newImportState()
		detail := fmt.Sprintf("imported %d, duplicates %d, skipped %d", imp.res.Imported, imp.res.Duplicates, imp.res.Skipped)
		return imp.c.audit(tx, actor, "events.imported", nil, detail)
	})
	return more, err
}

// gather fills the batch with the valid events of up to BatchSize lines,
// noting the invalid ones; it reports how many lines it took and whether
// the input ended.
func (imp *eventImport) gather(tx store.Tx) (lines int, ended bool, err error) {
	imp.batch.reset()
	for lines < imp.opts.BatchSize {
		ch, ok := <-imp.chunks
		if !ok {
			return lines, true, nil
		}
		<-ch.ready
		ch.releaseRaw() // applied lines are never spooled
		imp.batch.chunks = append(imp.batch.chunks, ch)
		for i := range ch.lines {
			pl := &ch.lines[i]
			st, err := imp.check(tx, ch.worker, pl)
			if err != nil {
				return lines, false, err
			}
			if st != nil {
				imp.batch.events = append(imp.batch.events, pendingEvent{Event: &pl.e, st: st})
			}
		}
		lines += ch.count
		imp.res.Lines = max(imp.res.Lines, ch.last)
		imp.applied = imp.base + ch.read
		if imp.opts.Progress != nil {
			imp.opts.Progress(imp.applied)
		}
		if ch.err != nil {
			return lines, false, fail.Wrap(fail.Internal, ch.err, "cannot read events")
		}
	}
	return lines, false, nil
}

// check resolves a parsed line's org. It returns nil for an invalid line,
// which it notes; an error is the store's.
func (imp *eventImport) check(tx store.Tx, parser int, pl *parsedLine) (*orgState, error) {
	var st *orgState
	if pl.err == nil {
		if st, pl.err = imp.in.resolveEvent(tx, parser, &pl.e); pl.err != nil && !errors.Is(pl.err, errUnknownOrg) {
			return nil, pl.err
		}
	}
	if pl.err != nil {
		imp.bad.add(pl.num, pl.err.Error())
		imp.res.Skipped++
		return nil, nil
	}
	return st, nil
}

// refuse reads the rest of the input to count its invalid lines, and
// returns the error that rolls the import back.
func (imp *eventImport) refuse(tx store.Tx) error {
	if err := imp.drain(tx, nil); err != nil {
		return err
	}
	imp.bad.Summary = fail.Usagef("%d invalid line(s); nothing was imported", imp.bad.Count).
		WithHint("fix them, or pass --skip-invalid to import the valid lines")
	return imp.bad
}

// checkRest checks every line after this transaction's before it commits,
// spooling them; the next transaction reads them from the spool.
func (imp *eventImport) checkRest(tx store.Tx) error {
	dir := imp.opts.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := tempfile.Create(dir, dir, tempfile.KindSpool)
	if err != nil && dir != os.TempDir() {
		f, err = tempfile.Create(os.TempDir(), "", tempfile.KindSpool)
	}
	if err != nil {
		return fail.Wrap(fail.Internal, err, "cannot spool the rest of the input")
	}
	imp.spool = f
	w := bufio.NewWriterSize(f, 1<<20)
	next := imp.res.Lines + 1
	if err := imp.drain(tx, w); err != nil {
		return err
	}
	if imp.bad.Count > 0 {
		return imp.refuse(tx)
	}
	if err := w.Flush(); err != nil {
		return fail.Wrap(fail.Internal, err, "cannot spool the rest of the input")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fail.Wrap(fail.Internal, err, "cannot reread the spooled input")
	}
	imp.checked = true
	close(imp.quit)
	imp.base = imp.applied
	imp.start(f, next)
	return nil
}

// drain checks every remaining line, writing it to spool when not nil.
func (imp *eventImport) drain(tx store.Tx, spool *bufio.Writer) error {
	for ch := range imp.chunks {
		<-ch.ready
		for i := range ch.lines {
			if _, err := imp.check(tx, ch.worker, &ch.lines[i]); err != nil {
				return err
			}
		}
		if ch.err != nil {
			return fail.Wrap(fail.Internal, ch.err, "cannot read events")
		}
		if spool != nil {
			if err := ch.writeRaw(spool); err != nil {
				return fail.Wrap(fail.Internal, err, "cannot spool the rest of the input")
			}
		}
		ch.releaseRaw()
		ch.releaseLines()
	}
	return nil
}
