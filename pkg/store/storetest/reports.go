package storetest

import (
	"fmt"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var reportTests = []test{
	{"NotFoundUntilPut", testReportNotFound},
	{"RoundTripExactly", testReportRoundTrip},
	{"NamesAreIndependent", testReportNames},
	{"ReplaceKeepsNothingOfTheEarlier", testReportReplace},
	{"RolledBackPutLeavesTheStateAsItWas", testReportRollback},
	{"ResetRemovesThem", testReportReset},
	{"TwentyThousandOrgs", testReportLarge},
}

// reportState is a state of n orgs as a report saves it: ids in listing
// order (not sorted), values from a handful, any field names.
func reportState(n int, at time.Time) domain.ReportState {
	s := domain.ReportState{At: at, Fields: []string{"status", "link_status"}}
	statuses := []string{"new", "setup_incomplete", "inactive", "healthy"}
	for i := range n {
		s.Orgs = append(s.Orgs, domain.ReportOrg{ID: orgID(uint64(n - i)), Values: []string{statuses[i%4], []string{"", "accepted"}[i%2]}})
	}
	return s
}

func readReport(h *harness, tx store.Tx, name string) domain.ReportState {
	h.t.Helper()
	s, err := tx.ReportState(h.ctx, name)
	must(h.t, err)
	return s
}

func testReportNotFound(h *harness) {
	h.view(func(tx store.Tx) error {
		_, err := tx.ReportState(h.ctx, "default")
		notFound(h.t, "ReportState of a fresh store", err)
		return nil
	})
}

// What was put comes back: orgs and licenses in their order, ids of any
// shape, empty values, At to the nanosecond (in UTC).
func testReportRoundTrip(h *harness) {
	want := reportState(5, time.Date(2026, 11, 23, 7, 0, 0, 123456789, time.FixedZone("CET", 3600)))
	want.Orgs = append(want.Orgs, domain.ReportOrg{ID: "Zoë-7f3c", Values: []string{"", ""}})
	want.Licenses = []domain.ReportLicense{
		{ID: licenseID(9), End: domain.Day(at(0)).AddDate(0, 0, 14)},
		{ID: licenseID(2), End: domain.Day(at(0)), Expired: true},
	}
	h.update(func(tx store.Tx) error {
		must(h.t, tx.PutReportState(h.ctx, "daily", want))
		same(h.t, "ReportState read in its transaction", readReport(h, tx, "daily"), want)
		return nil
	})
	h.view(func(tx store.Tx) error {
		got := readReport(h, tx, "daily")
		same(h.t, "ReportState", got, want)
		same(h.t, "ReportState.At's location", got.At.Location(), time.UTC)
		return nil
	})
}

func testReportNames(h *harness) {
	daily, weekly, upper := reportState(3, at(1)), reportState(2, at(2)), reportState(1, at(3))
	h.update(func(tx store.Tx) error {
		must(h.t, tx.PutReportState(h.ctx, "daily", daily))
		must(h.t, tx.PutReportState(h.ctx, "weekly", weekly))
		return tx.PutReportState(h.ctx, "Daily", upper)
	})
	daily2 := reportState(4, at(10))
	h.update(func(tx store.Tx) error { return tx.PutReportState(h.ctx, "daily", daily2) })
	h.view(func(tx store.Tx) error {
		same(h.t, "report daily, replaced", readReport(h, tx, "daily"), daily2)
		same(h.t, "report weekly, untouched by daily's runs", readReport(h, tx, "weekly"), weekly)
		same(h.t, "report Daily (names are case-sensitive)", readReport(h, tx, "Daily"), upper)
		_, err := tx.ReportState(h.ctx, "dail")
		notFound(h.t, "a name that is a prefix of a saved one", err)
		return nil
	})
}

func testReportReplace(h *harness) {
	big := reportState(1000, at(1))
	big.Licenses = []domain.ReportLicense{{ID: licenseID(1), End: domain.Day(at(0))}, {ID: licenseID(2), End: domain.Day(at(0)), Expired: true}}
	small := domain.ReportState{At: at(2), Fields: []string{"status"}, Orgs: []domain.ReportOrg{{ID: orgID(7), Values: []string{"healthy"}}}}
	h.update(func(tx store.Tx) error { return tx.PutReportState(h.ctx, "default", big) })
	h.update(func(tx store.Tx) error { return tx.PutReportState(h.ctx, "default", small) })
	h.view(func(tx store.Tx) error {
		same(h.t, "a state replacing a larger one", readReport(h, tx, "default"), small)
		return nil
	})
	empty := domain.ReportState{At: at(3)}
	h.update(func(tx store.Tx) error { return tx.PutReportState(h.ctx, "default", empty) })
	h.view(func(tx store.Tx) error {
		same(h.t, "a state of no orgs", readReport(h, tx, "default"), empty)
		return nil
	})
}

func testReportRollback(h *harness) {
	kept := reportState(3, at(1))
	h.update(func(tx store.Tx) error { return tx.PutReportState(h.ctx, "default", kept) })
	h.rolledBack(func(tx store.Tx) error {
		must(h.t, tx.PutReportState(h.ctx, "default", reportState(9, at(2))))
		return tx.PutReportState(h.ctx, "other", reportState(1, at(2)))
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "state after a rolled-back put", readReport(h, tx, "default"), kept)
		_, err := tx.ReportState(h.ctx, "other")
		notFound(h.t, "a report first put in a rolled-back transaction", err)
		return nil
	})
}

func testReportReset(h *harness) {
	h.update(func(tx store.Tx) error { return tx.PutReportState(h.ctx, "default", reportState(2, at(1))) })
	h.update(func(tx store.Tx) error { return tx.Reset(h.ctx) })
	h.view(func(tx store.Tx) error {
		_, err := tx.ReportState(h.ctx, "default")
		notFound(h.t, "ReportState after Reset", err)
		return nil
	})
}

// A report of every org of a large partner is one put and one read (a
// value over many pages, for a backend that keeps it whole).
func testReportLarge(h *harness) {
	want := reportState(20_000, at(1))
	for i := range 300 {
		want.Licenses = append(want.Licenses, domain.ReportLicense{ID: licenseID(uint64(i + 1)), End: domain.Day(at(i * 1440)), Expired: i%2 == 0})
	}
	h.update(func(tx store.Tx) error { return tx.PutReportState(h.ctx, "default", want) })
	h.view(func(tx store.Tx) error {
		got := readReport(h, tx, "default")
		if len(got.Orgs) != len(want.Orgs) || len(got.Licenses) != len(want.Licenses) {
			h.t.Fatalf("%d orgs and %d licenses back, want %d and %d", len(got.Orgs), len(got.Licenses), len(want.Orgs), len(want.Licenses))
		}
		same(h.t, fmt.Sprintf("a state of %d orgs", len(want.Orgs)), got, want)
		return nil
	})
}
