package console

import (
	"context"
	"fmt"
	"io"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/events"
	"github.com/partnerctl/partnerctl/pkg/ingest"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// EventImportOptions tune ImportEvents (see ingest.Options).
type EventImportOptions = ingest.Options

// EventImportResult summarises an import.
type EventImportResult = ingest.Result

// EventInput is a feed read ahead of the store by PrepareEvents.
type EventInput = ingest.Input

// PrepareEvents reads a stream feed to its end (into memory, or a bounded
// spool in opts.TempDir) and leaves a regular file as it is: a caller that
// holds the store locked while it imports calls it first, so a slow
// producer keeps no one else waiting. Pass the result to ImportEvents with
// the same opts, then Close it.
func PrepareEvents(r io.Reader, opts EventImportOptions) (*EventInput, error) {
	return ingest.Prepare(r, opts)
}

// ImportEvents feeds a JSON Lines stream into the org counters, through the
// ingest pipeline and the event rules: all or nothing unless
// opts.SkipInvalid, idempotent on event id, audited as events.imported.
// r may be an EventInput from PrepareEvents.
func (c *Console) ImportEvents(ctx context.Context, r io.Reader, opts EventImportOptions) (EventImportResult, error) {
	// The access check runs before any input ImportEvents itself reads.
	if err := c.CheckImportAccess(ctx); err != nil {
		return EventImportResult{}, err
	}
	return ingest.Run(ctx, c.st, r, eventRules{c}, opts)
}

// CheckImportAccess is the access check of ImportEvents and ImportOrgs
// alone (each runs it again as it writes): a caller that reads a slow stream
// before it opens the store for writing runs it first, so a user who may not
// import, or a store that isn't there, is told before the whole input is
// typed or piped in.
func (c *Console) CheckImportAccess(ctx context.Context) error {
	return c.asAdmin(ctx, func(store.Tx, string) error { return nil })
}

type eventRules struct{ c *Console }

func (r eventRules) Begin(ctx context.Context, tx store.Tx) (ingest.Work, error) {
	s, err := r.c.admit(ctx, tx, domain.RoleMember, "")
	if err != nil {
		return nil, err
	}
	return &eventWork{c: r.c, tx: s.vis.tx(tx), actor: s.actor, state: newEventState()}, nil
}

// View is the store as the importing user may see it: events for an org
// hidden from a scoped teammate name an unknown org.
func (w *eventWork) View() store.Tx { return w.tx }

// eventWork is the one unit of work of an import's transaction: every org,
// membership and device state its events touch is read once (a batch at a
// time, in one store call per kind), changed in memory by applyEvent, and
// written once when the transaction commits.
type eventWork struct {
	c     *Console
	tx    store.Tx
	actor string
	// orgs holds the orgs read, by ingest.Event.OrgIndex.
	orgs  []*domain.Org
	dirty []*domain.Org
	state *eventState
}

// Apply reads what the events need and the work doesn't hold yet, then
// applies them in order.
func (w *eventWork) Apply(ctx context.Context, evs []ingest.Event) error {
	if err := w.prefetch(ctx, evs); err != nil {
		return err
	}
	for _, e := range evs {
		applyEvent(w.orgs[e.OrgIndex], e.Event, w.state)
	}
	return nil
}

func (w *eventWork) prefetch(ctx context.Context, evs []ingest.Event) error {
	var orgIDs []string
	var wanted []int
	var members []store.MemberKey
	var devices []store.DeviceKey
	for _, e := range evs {
		if e.OrgIndex >= len(w.orgs) {
			w.orgs = append(w.orgs, make([]*domain.Org, e.OrgIndex+1-len(w.orgs))...)
		}
		if w.orgs[e.OrgIndex] == nil {
			w.orgs[e.OrgIndex] = &orgBeingRead // replaced below
			orgIDs, wanted = append(orgIDs, e.OrgID), append(wanted, e.OrgIndex)
		}
		switch {
		case e.Type == events.MemberAdded || e.Type == events.MemberRemoved:
			k := store.MemberKey{OrgID: e.OrgID, Email: e.Email}
			if _, ok := w.state.members[k]; !ok {
				w.state.members[k] = &memberEntry{}
				members = append(members, k)
			}
		case e.Type.IsDevice():
			k := store.DeviceKey{OrgID: e.OrgID, Device: e.Device}
			if _, ok := w.state.devices[k]; !ok {
				w.state.devices[k] = &deviceEntry{}
				devices = append(devices, k)
			}
		}
	}
	if len(orgIDs) > 0 {
		orgs, err := w.tx.OrgsByID(ctx, orgIDs)
		if err != nil {
			return err
		}
		for i := range orgs {
			if orgs[i].ID == "" {
				return fmt.Errorf("org %s: %w", orgIDs[i], store.ErrNotFound)
			}
			o := &orgs[i]
			w.orgs[wanted[i]] = o
			w.dirty = append(w.dirty, o)
		}
	}
	if len(members) > 0 {
		found, err := w.tx.MembershipsByKey(ctx, members)
		if err != nil {
			return err
		}
		for k, m := range found {
			*w.state.members[k] = memberEntry{m: m, exists: true}
		}
	}
	if len(devices) > 0 {
		found, err := w.tx.DeviceStates(ctx, devices)
		if err != nil {
			return err
		}
		for k, s := range found {
			*w.state.devices[k] = deviceEntry{s: s, known: true}
		}
	}
	return nil
}

// orgBeingRead marks an org prefetch asked the store for: a shared mark
// rather than an empty org each, which was a third of an import's garbage.
var orgBeingRead domain.Org

// Commit writes the orgs, memberships and devices the transaction changed,
// and on the last transaction audits the import.
func (w *eventWork) Commit(ctx context.Context, last bool, res ingest.Result) error {
	// The store keeps what each write changed until it commits: the work
	// lets go of its orgs and state as it hands them over, so the
	// collector can have each once written, or the import's peak holds
	// both (and collects nonstop near its memory limit).
	dirty, state := w.dirty, w.state
	w.orgs, w.dirty, w.state = nil, nil, newEventState()
	if err := w.tx.PutOrgCounters(ctx, dirty); err != nil {
		return err
	}
	if err := writeEventState(ctx, w.tx, state); err != nil {
		return err
	}
	if !last {
		return nil
	}
	detail := fmt.Sprintf("imported %d, duplicates %d, skipped %d", res.Imported, res.Duplicates, res.Skipped)
	return w.c.audit(ctx, w.tx, w.actor, "events.imported", nil, detail)
}
