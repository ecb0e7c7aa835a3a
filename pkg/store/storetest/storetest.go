// Package storetest is the conformance suite of pkg/store, in the spirit of
// restic's backend tests: one set of checks that every backend runs, so a
// laptop's bbolt file and a team's database keep one behaviour.
//
// A backend wires it into its own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return openFreshStore(t) })
//	}
//
// open must return a fresh, empty, schema-initialised store each time it is
// called, and arrange for it to be closed when t ends. Subtests are named
// after the guarantee they check (pkg/store's package doc and SPEC §12).
// Randomised checks are seeded: a failure prints its seed, and
// STORETEST_SEED=n runs them with that seed.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/store"
)

// Option tunes Run for what a backend can do beyond the contract.
type Option func(*config)

// OpenCopy tells the suite how to open a file that the backend's Backup
// wrote, so it can check that the copy is a working store. Without it the
// suite checks only that Backup writes something.
func OpenCopy(open func(t *testing.T, path string) store.Store) Option {
	return func(c *config) { c.openCopy = open }
}

type config struct {
	open     func(t *testing.T) store.Store
	openCopy func(t *testing.T, path string) store.Store
}

// group is a set of subtests about one part of the contract.
type group struct {
	name  string
	tests []test
}

type test struct {
	name string
	fn   func(h *harness)
}

// Run checks the stores open makes against every guarantee of pkg/store.
func Run(t *testing.T, open func(t *testing.T) store.Store, opts ...Option) {
	cfg := &config{open: open}
	for _, o := range opts {
		o(cfg)
	}
	for _, g := range groups() {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					tc.fn(&harness{t: t, cfg: cfg, st: cfg.open(t), ctx: context.Background()})
				})
			}
		})
	}
}

func groups() []group {
	return []group{
		{"Meta", metaTests},
		{"Orgs", orgTests},
		{"Names", nameTests},
		{"OrgQuery", queryTests},
		{"OrgQueryOnly", onlyTests},
		{"PastAMillion", millionTests},
		{"Members", memberTests},
		{"Scopes", scopeTests},
		{"Devices", deviceTests},
		{"Audit", auditTests},
		{"Links", linkTests},
		{"Invites", inviteTests},
		{"Licenses", licenseTests},
		{"Reports", reportTests},
		{"ClaimEvents", claimTests},
		{"Transactions", txTests},
		{"Concurrency", concurrencyTests},
		{"Events", feedTests},
		{"Capabilities", capabilityTests},
		{"Tenants", tenantTests},
		{"Listing", listingTests},
	}
}

// harness is one subtest's store and helpers.
type harness struct {
	t   *testing.T
	cfg *config
	st  store.Store
	ctx context.Context
}

// errRollback makes an Update fail on purpose, so that it leaves nothing.
var errRollback = errors.New("storetest: rolled back on purpose")

// update runs fn in a write transaction and fails the test on an error.
func (h *harness) update(fn func(tx store.Tx) error) {
	h.t.Helper()
	if err := h.st.Update(h.ctx, fn); err != nil {
		h.t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a read transaction and fails the test on an error.
func (h *harness) view(fn func(tx store.Tx) error) {
	h.t.Helper()
	if err := h.st.View(h.ctx, fn); err != nil {
		h.t.Fatalf("View: %v", err)
	}
}

// rolledBack runs fn in a write transaction that is then rolled back.
func (h *harness) rolledBack(fn func(tx store.Tx) error) {
	h.t.Helper()
	err := h.st.Update(h.ctx, func(tx store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		h.t.Fatalf("Update rolled back on purpose returned %v, want the function's error", err)
	}
}

// rng returns a seeded source for one subtest; a failure prints the seed.
func (h *harness) rng() *rand.Rand {
	seed := uint64(20261123)
	if s := os.Getenv("STORETEST_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			h.t.Fatalf("STORETEST_SEED=%q: %v", s, err)
		}
		seed = n
	}
	h.t.Cleanup(func() {
		if h.t.Failed() {
			h.t.Logf("randomised with seed %d (rerun with STORETEST_SEED=%d)", seed, seed)
		}
	})
	return rand.New(rand.NewPCG(seed, uint64(len(h.t.Name()))))
}

// must fails the test on err.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// collect drains a sequence. It checks the contract of listing methods: a
// non-nil error ends the sequence (nothing is yielded after it).
func collect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	var failed error
	for v, err := range seq {
		if failed != nil {
			t.Fatalf("a sequence yielded %v after the error %v", v, failed)
		}
		if err != nil {
			failed = err
			continue
		}
		out = append(out, v)
	}
	if failed != nil {
		t.Fatalf("listing: %v", failed)
	}
	return out
}

// collectOrgs drains an Orgs sequence into values.
func collectOrgs(t testing.TB, tx store.Tx, ctx context.Context, q store.OrgQuery) []string {
	t.Helper()
	var ids []string
	for _, o := range collect(t, tx.Orgs(ctx, q)) {
		ids = append(ids, o.ID)
	}
	return ids
}

// base is the suite's clock: times keep microseconds (the precision every
// backend keeps) and are compared as instants, whatever their location.
var base = time.Date(2026, 11, 23, 12, 0, 0, 123456000, time.UTC)

func at(minutes int) time.Time { return base.Add(time.Duration(minutes) * time.Minute) }

func ptr[T any](v T) *T { return &v }

// same fails the test when got and want differ, comparing times as instants
// and empty slices and maps as absent.
func same(t testing.TB, what string, got, want any) {
	t.Helper()
	g, w := canon(reflect.ValueOf(got)), canon(reflect.ValueOf(want))
	if !reflect.DeepEqual(g.Interface(), w.Interface()) {
		t.Fatalf("%s:\n got  %+v\n want %+v", what, show(g), show(w))
	}
}

// show dereferences pointers for a readable failure message.
func show(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return "nil"
		}
		return show(v.Elem())
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = show(v.Index(i))
		}
		return out
	}
	if !v.IsValid() {
		return nil
	}
	return v.Interface()
}

var timeType = reflect.TypeFor[time.Time]()

// canon is a deep copy of v with times in UTC (without a monotonic
// reading) and empty slices and maps made nil.
func canon(v reflect.Value) reflect.Value {
	if !v.IsValid() {
		return v
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			return reflect.ValueOf(v.Interface().(time.Time).UTC())
		}
		out := reflect.New(v.Type()).Elem()
		for i := range v.NumField() {
			if out.Field(i).CanSet() {
				out.Field(i).Set(canon(v.Field(i)))
			}
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(canon(v.Elem()))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(canon(v.Elem()))
		return out
	case reflect.Slice:
		if v.Len() == 0 {
			return reflect.Zero(v.Type())
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(canon(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.Len() == 0 {
			return reflect.Zero(v.Type())
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), canon(it.Value()))
		}
		return out
	}
	return v
}

// notFound fails the test unless err is store.ErrNotFound.
func notFound(t testing.TB, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("%s: got error %v, want store.ErrNotFound", what, err)
	}
}

// within runs fn and fails the test when it has not returned after a long
// time: a guard against a deadlock, not a measure of speed.
func within(t testing.TB, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(hangLimit):
		t.Fatalf("%s did not return within %s: a deadlock?", what, hangLimit)
	}
}

// hangLimit is how long the suite waits before calling a wait a deadlock.
const hangLimit = 60 * time.Second

func label(format string, args ...any) string { return fmt.Sprintf(format, args...) }
