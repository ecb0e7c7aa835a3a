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
	in := &importState{orgs: orgResolver{}}
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

// DefaultEventBatch is how many lines one import transaction applies. Each
// commit costs two fsyncs and rewrites every page the batch touched (with
// 100k orgs, most of the org records), so batches are large; memory stays
// bounded by the batch, not by the file.
const DefaultEventBatch = 100000

// importState is what one import remembers across its passes and batches:
// the org keys resolved so far (bounded by the number of orgs) and the
// parser's interned strings.
type importState struct {
	orgs   orgResolver
	parser events.Parser
}

// orgResolver maps an event's org (id or ref) to a live customer org id,
// remembering answers for the length of one import.
type orgResolver map[string]string

func (m orgResolver) resolve(tx store.Tx, key string) (string, error) {
	if id, ok := m[key]; ok {
		if id == "" {
			return "", fmt.Errorf("unknown org %q", key)
		}
		return id, nil
	}
	id := ""
	if o, err := tx.Org(key); err == nil && o.Live() && !o.Admin {
		id = o.ID
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	} else if ref, err := tx.OrgIDByRef(key); err == nil {
		id = ref
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	m[key] = id
	return m.resolve(tx, key)
}

// checkLine parses a line and resolves its org; the error is the line's reason.
func checkLine(tx store.Tx, in *importState, lines *events.Lines) (events.Event, string, error) {
	if lines.TooLong() {
		return events.Event{}, "", fmt.Errorf("line longer than %d bytes", events.MaxLineBytes)
	}
	e, err := in.parser.Parse(lines.Bytes())
	if err != nil {
		return e, "", err
	}
	id, err := in.orgs.resolve(tx, e.Org)
	return e, id, err
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
	err := c.st.View(func(tx store.Tx) error {
		lines := events.NewLines(r)
		for lines.Next() {
			if isBlank(lines.Bytes()) && !lines.TooLong() {
				continue
			}
			if _, _, err := checkLine(tx, in, lines); err != nil {
				bad.add(lines.Number(), err.Error())
			}
		}
		return lines.Err()
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

func (c *Console) applyEvents(r io.Reader, in *importState, opts EventImportOptions) (EventImportResult, error) {
	var res EventImportResult
	counted := &countingReader{r: r}
	lines := events.NewLines(counted)
	bad := &InputError{}
	batch := &eventBatch{}
	done := false
	for !done {
		err := c.st.Update(func(tx store.Tx) error {
			actor, err := c.requireAdmin(tx)
			if err != nil {
				return err
			}
			batch.reset(tx)
			for n := 0; n < opts.BatchSize; n++ {
				if !lines.Next() {
					done = true
					break
				}
				res.Lines = lines.Number()
				if isBlank(lines.Bytes()) && !lines.TooLong() {
					continue
				}
				e, orgID, err := checkLine(tx, in, lines)
				if err != nil {
					bad.add(lines.Number(), err.Error())
					res.Skipped++
					continue
				}
				batch.add(e, orgID)
			}
			if err := lines.Err(); err != nil {
				return fail.Wrap(fail.Internal, err, "cannot read events")
			}
			imported, dups, err := batch.commit()
			if err != nil {
				return err
			}
			res.Imported += imported
			res.Duplicates += dups
			if done {
				detail := fmt.Sprintf("imported %d, duplicates %d, skipped %d", res.Imported, res.Duplicates, res.Skipped)
				return c.audit(tx, actor, "events.imported", nil, detail)
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		if opts.Progress != nil {
			opts.Progress(counted.n)
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
	tx     store.Tx
	events []pendingEvent
	byID   []int32 // indexes into events, sorted by id then position
	orgs   map[string]*domain.Org
	order  []string
}

type pendingEvent struct {
	events.Event
	orgID string
	dup   bool
}

func (b *eventBatch) reset(tx store.Tx) {
	b.tx = tx
	clear(b.events) // drop the strings for the collector
	b.events, b.byID, b.order = b.events[:0], b.byID[:0], b.order[:0]
	b.orgs = map[string]*domain.Org{}
}

func (b *eventBatch) add(e events.Event, orgID string) {
	b.events = append(b.events, pendingEvent{Event: e, orgID: orgID})
}

func (b *eventBatch) org(id string) (*domain.Org, error) {
	if o, ok := b.orgs[id]; ok {
		return o, nil
	}
	o, err := b.tx.Org(id)
	if err != nil {
		return nil, err
	}
	b.orgs[id] = &o
	b.order = append(b.order, id)
	return &o, nil
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
	for n, i := range b.byID {
		e := &b.events[i]
		if n > 0 && b.events[b.byID[n-1]].ID == e.ID {
			e.dup = true // a repeat within this batch: the first line wins
			continue
		}
		seen, err := b.tx.EventSeen(e.ID)
		if err != nil {
			return 0, 0, err
		}
		e.dup = seen
	}
	for i := range b.events {
		e := &b.events[i]
		if e.dup {
			dups++
			continue
		}
		o, err := b.org(e.orgID)
		if err != nil {
			return 0, 0, err
		}
		if err := applyEvent(b.tx, o, e.Event); err != nil {
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
	slices.Sort(b.order) // org records too go back in key order
	for _, id := range b.order {
		if err := b.tx.PutOrg(*b.orgs[id]); err != nil {
			return 0, 0, err
		}
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
