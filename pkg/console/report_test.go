package console

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/health"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// changes runs the report name (saving its state) and renders its rows one
// a line: kind, org name, from>to, at (date), detail.
func changes(t *testing.T, c *Console, name string) string {
	t.Helper()
	return runReport(t, c, ChangesQuery{Name: name})
}

func runReport(t *testing.T, c *Console, q ChangesQuery) string {
	t.Helper()
	rep, err := c.ReportChanges(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, ch := range rep.Changes {
		fmt.Fprintf(&b, "%s %s %s>%s %s %s\n", ch.Kind, ch.OrgName, ch.From, ch.To, ch.At.Format(time.DateOnly), ch.Detail)
	}
	return b.String()
}

func wantChanges(t *testing.T, got string, want ...string) {
	t.Helper()
	w := strings.Join(want, "\n")
	if w != "" {
		w += "\n"
	}
	if got != w {
		t.Errorf("changes:\n%s\nwant:\n%s", got, w)
	}
}

// setCounters changes an org's event-fed counters, as an events import would.
func setCounters(t *testing.T, c *Console, id string, change func(o *domain.Org)) {
	t.Helper()
	err := c.st.Update(ctx, func(tx store.Tx) error {
		o, err := tx.Org(ctx, id)
		if err != nil {
			return err
		}
		change(&o)
		return tx.PutOrg(ctx, o)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func activeAt(at string) func(o *domain.Org) {
	return func(o *domain.Org) {
		t, _ := time.Parse(time.RFC3339, at)
		o.DataSources, o.LastActiveAt = 1, &t
	}
}

func TestReportFirstRunListsEveryOrgAsAppearedThenNothing(t *testing.T) {
	c := newTestConsole(t)
	b := mustCreate(t, c.at("2026-11-20T09:00:00Z"), "bakery", "B-1")
	mustCreate(t, c.at("2026-11-01T09:00:00Z"), "Apex", "")
	setCounters(t, c, b.ID, activeAt("2026-11-22T10:00:00Z"))

	rep, err := c.ReportChanges(ctx, ChangesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Name != DefaultReportName || !rep.Since.IsZero() || !rep.Saved || !rep.At.Equal(testNow) {
		t.Errorf("first run: %+v", rep)
	}
	// name order ignores case; at is the org's creation
	wantChanges(t, changes(t, c.at("2026-11-23T12:00:00Z"), "other"),
		"appeared Apex >setup_incomplete 2026-11-01 no knowledge sources and no integrations",
		"appeared bakery >healthy 2026-11-20 set up and a session in the last 30 days")
	wantChanges(t, changes(t, c, ""))
	rep, _ = c.at("2026-11-24T12:00:00Z").ReportChanges(ctx, ChangesQuery{})
	if !rep.Since.Equal(testNow) || len(rep.Changes) != 0 {
		t.Errorf("third run: since %s, %d changes", rep.Since, len(rep.Changes))
	}
}

// A report compares snapshots: a change it lists is the difference between
// two runs, so a status that goes and comes back between runs is no change.
func TestReportStatusChangesBackAndForth(t *testing.T) {
	c := newTestConsole(t)
	o := mustCreate(t, c.at("2026-10-01T00:00:00Z"), "Bakery", "")
	setCounters(t, c, o.ID, activeAt("2026-11-20T00:00:00Z"))
	changes(t, c, "")

	// 30 days after the last session it is inactive: exactly then, not a second before
	wantChanges(t, changes(t, c.at("2026-12-19T23:59:59Z"), ""))
	wantChanges(t, changes(t, c.at("2026-12-20T00:00:00Z"), ""),
		"status_changed Bakery healthy>inactive 2026-12-20 set up, but no session in the last 30 days (last one 1 month ago)")
	setCounters(t, c, o.ID, activeAt("2026-12-21T00:00:00Z"))
	wantChanges(t, changes(t, c.at("2026-12-21T12:00:00Z"), ""),
		"status_changed Bakery inactive>healthy 2026-12-21 set up and a session in the last 30 days")
	wantChanges(t, changes(t, c.at("2026-12-22T12:00:00Z"), ""))

	// inactive and back between two runs: no row
	setCounters(t, c, o.ID, activeAt("2027-01-25T00:00:00Z"))
	wantChanges(t, changes(t, c.at("2027-01-26T12:00:00Z"), ""))
}

func TestReportDeletedOrgAndANewOneOfTheSameName(t *testing.T) {
	c := newTestConsole(t)
	old := mustCreate(t, c.at("2026-11-01T00:00:00Z"), "Bakery", "B-1")
	changes(t, c, "")

	day2 := c.at("2026-11-24T08:00:00Z")
	if _, err := day2.DeleteOrg(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	fresh := mustCreate(t, day2, "Bakery", "B-1")
	if fresh.ID == old.ID {
		t.Fatal("a new org reused the id")
	}
	rep, err := c.at("2026-11-24T12:00:00Z").ReportChanges(ctx, ChangesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changes) != 2 || rep.Changes[0].OrgID != fresh.ID || rep.Changes[1].OrgID != old.ID {
		t.Fatalf("rows: %+v", rep.Changes)
	}
	got := rep.Changes[1]
	if got.Kind != ChangeDeleted || got.OrgName != "Bakery" || got.From != "setup_incomplete" || got.To != "" ||
		!got.At.Equal(time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("deleted row: %+v", got)
	}
	if rep.Changes[0].Kind != ChangeAppeared || rep.Changes[0].To != "new" {
		t.Errorf("appeared row: %+v", rep.Changes[0])
	}
	// the deleted org leaves the state: it is listed once
	wantChanges(t, changes(t, c.at("2026-11-25T12:00:00Z"), ""))
	st := savedState(t, c, DefaultReportName)
	if len(st.Orgs) != 1 || st.Orgs[0].ID != fresh.ID {
		t.Errorf("saved orgs: %+v", st.Orgs)
	}
}

func savedState(t *testing.T, c *Console, name string) domain.ReportState {
	t.Helper()
	var s domain.ReportState
	err := c.st.View(ctx, func(tx store.Tx) error {
		var err error
		s, err = tx.ReportState(ctx, name)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func issue(t *testing.T, c *Console, org, start, end string) LicenseView {
	t.Helper()
	l, err := c.IssueLicense(ctx, IssueParams{Start: start, End: end, Org: org})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// A license is expiring when its last day is at most 14 days after today.
func TestReportLicenseExpiringWithinExactly14Days(t *testing.T) {
	c := newTestConsole(t) // today is 2026-11-23
	mustCreate(t, c, "In", "IN")
	mustCreate(t, c, "Out", "OUT")
	issue(t, c, "IN", "2026-01-01", "2026-12-07")  // today + 14
	issue(t, c, "OUT", "2026-01-01", "2026-12-08") // today + 15
	issue(t, c, "", "2026-01-01", "2026-11-23")    // unassigned, ends today
	got := changes(t, c, "")
	wantChanges(t, licenseRows(got),
		"license_expiring  > 2026-11-24 license L-000003 (lic_000003) ends today, 2026-11-23",
		"license_expiring In > 2026-12-08 license L-000001 (lic_000001) ends 2026-12-07, in 14 days")
	// once per expiry: the next day lists only the one that came into the window
	wantChanges(t, changes(t, c.at("2026-11-24T12:00:00Z"), ""),
		"license_expired  > 2026-11-24 license L-000003 (lic_000003) ended 2026-11-23",
		"license_expiring Out > 2026-12-09 license L-000002 (lic_000002) ends 2026-12-08, in 14 days")
	wantChanges(t, changes(t, c.at("2026-11-25T12:00:00Z"), ""))
}

// licenseRows keeps the license rows of changes.
func licenseRows(changes string) string {
	var b strings.Builder
	for _, l := range grep(changes, "license_") {
		b.WriteString(l + "\n")
	}
	return b.String()
}

func grep(lines, prefix string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(lines, "\n"), "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

func TestReportLicenseThatExpiresBetweenRuns(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Soon", "S")
	mustCreate(t, c, "Later", "L")
	issue(t, c, "S", "2026-01-01", "2026-11-25")
	issue(t, c, "L", "2026-01-01", "2026-12-20")
	changes(t, c, "")
	// Soon was reported as expiring; it expired since. Later went from
	// outside the window to expired in one step: expired only.
	wantChanges(t, licenseRows(changes(t, c.at("2026-12-25T12:00:00Z"), "")),
		"license_expired Later > 2026-12-21 license L-000002 (lic_000002) ended 2026-12-20",
		"license_expired Soon > 2026-11-26 license L-000001 (lic_000001) ended 2026-11-25")
	wantChanges(t, licenseRows(changes(t, c.at("2026-12-26T12:00:00Z"), "")))
}

// A renewal starts a new expiry, reported again; a deactivated license and
// one of a deleted org are not reported.
func TestReportLicenseRenewedDeactivatedOrOfADeletedOrg(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Renew", "R")
	mustCreate(t, c, "Stop", "S")
	mustCreate(t, c, "Gone", "G")
	issue(t, c, "R", "2026-01-01", "2026-11-30")
	issue(t, c, "S", "2026-01-01", "2026-11-30")
	issue(t, c, "G", "2026-01-01", "2026-11-30")
	if n := len(grep(changes(t, c, ""), "license_expiring")); n != 3 {
		t.Fatalf("%d expiring", n)
	}
	if _, err := c.RenewLicense(ctx, "lic_000001", "2026-12-03"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeactivateLicense(ctx, "lic_000002", "churned"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteOrg(ctx, "G"); err != nil {
		t.Fatal(err)
	}
	wantChanges(t, licenseRows(changes(t, c.at("2026-11-24T12:00:00Z"), "")),
		"license_expiring Renew > 2026-12-04 license L-000001 (lic_000001) ends 2026-12-03, in 9 days")
	// renewed out of the window and back in: reported once more
	if _, err := c.RenewLicense(ctx, "lic_000001", "2027-06-30"); err != nil {
		t.Fatal(err)
	}
	wantChanges(t, licenseRows(changes(t, c.at("2026-11-25T12:00:00Z"), "")))
	if st := savedState(t, c, DefaultReportName); len(st.Licenses) != 0 {
		t.Errorf("licenses kept after renewal: %+v", st.Licenses)
	}
	wantChanges(t, licenseRows(changes(t, c.at("2027-06-16T12:00:00Z"), "")),
		"license_expiring Renew > 2027-07-01 license L-000001 (lic_000001) ends 2027-06-30, in 14 days")
}

func TestReportDryRunSavesNothingAndNamesAreIndependent(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Bakery", "")
	dry, err := c.ReportChanges(ctx, ChangesQuery{Name: "daily", DryRun: true})
	if err != nil || dry.Saved || len(dry.Changes) != 1 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	wantChanges(t, changes(t, c, "daily"), "appeared Bakery >new 2026-11-23 created just now (less than 7 days) and no session yet")
	wantChanges(t, runReport(t, c, ChangesQuery{Name: "daily", DryRun: true}))

	day2 := c.at("2026-11-24T12:00:00Z")
	mustCreate(t, day2, "Cafe", "")
	wantChanges(t, changes(t, day2, "weekly"),
		"appeared Bakery >new 2026-11-23 created 1 day ago (less than 7 days) and no session yet",
		"appeared Cafe >new 2026-11-24 created just now (less than 7 days) and no session yet")
	wantChanges(t, changes(t, day2, "daily"), "appeared Cafe >new 2026-11-24 created just now (less than 7 days) and no session yet")
	wantChanges(t, changes(t, day2, "weekly"))
	if s := savedState(t, c, "weekly"); !s.At.Equal(day2.Now()) || len(s.Orgs) != 2 {
		t.Errorf("weekly state: %+v", s)
	}
}

func TestReportGateAndInputs(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Bakery", "")
	kinds, err := ParseChangeKinds("fail_on", " Status-Changed, appeared ,")
	if err != nil || len(kinds) != 2 || kinds[0] != ChangeStatus || kinds[1] != ChangeAppeared {
		t.Fatalf("parse: %v %v", kinds, err)
	}
	rep, err := c.ReportChanges(ctx, ChangesQuery{FailOn: kinds})
	if err != nil || rep.GateMatches != 1 {
		t.Errorf("gate: %d %v", rep.GateMatches, err)
	}
	_, err = ParseChangeKinds("fail_on", "appeared,bogus")
	if !hasField(err, "fail_on") || !fail.Is(err, fail.Usage) ||
		err.Error() != `invalid fail on "bogus": want one of status_changed, appeared, deleted, link_status_changed, license_expired, license_expiring` {
		t.Errorf("bad kind: %v", err)
	}
	for _, name := range []string{" daily", "a/b", "-x", strings.Repeat("n", 65), "ü"} {
		if _, err := c.ReportChanges(ctx, ChangesQuery{Name: name}); !hasField(err, "name") || !fail.Is(err, fail.Usage) {
			t.Errorf("name %q: %v", name, err)
		}
	}
	for _, name := range []string{"d", "daily.ops-2_x", strings.Repeat("n", 64)} {
		if _, err := c.ReportChanges(ctx, ChangesQuery{Name: name, DryRun: true}); err != nil {
			t.Errorf("name %q: %v", name, err)
		}
	}
}

// Only members of the admin org run reports, as only they list orgs.
func TestReportNeedsAnAdminMember(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Bakery", "B-1")
	stranger := New(c.st, Options{Clock: c.now, As: "someone@else.example"})
	for _, dry := range []bool{false, true} {
		if _, err := stranger.ReportChanges(ctx, ChangesQuery{DryRun: dry}); !fail.Is(err, fail.Denied) {
			t.Errorf("dry run %v: %v", dry, err)
		}
	}
	var err error
	_ = c.st.View(ctx, func(tx store.Tx) error { _, err = tx.ReportState(ctx, DefaultReportName); return nil })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused run saved a state: %v", err)
	}
}

// A field a build starts tracking is absent from states saved before it:
// the next run records it without a row, and lists its changes after that.
func TestReportNewlyTrackedFieldListsNoChangeOnItsFirstRun(t *testing.T) {
	c := newTestConsole(t)
	o := mustCreate(t, c, "Bakery", "")
	changes(t, c, "")
	tier := "gold"
	saved := trackedFields
	t.Cleanup(func() { trackedFields = saved })
	trackedFields = append(trackedFields[:len(trackedFields):len(trackedFields)],
		trackedField{"tier", ChangeLinkStatus, func(*domain.Org, *health.Verdict) string { return tier }, nil})
	wantChanges(t, changes(t, c, ""))
	tier = "silver"
	rep, err := c.ReportChanges(ctx, ChangesQuery{})
	if err != nil || len(rep.Changes) != 1 {
		t.Fatalf("%+v %v", rep.Changes, err)
	}
	if ch := rep.Changes[0]; ch.Kind != ChangeLinkStatus || ch.OrgID != o.ID || ch.From != "gold" || ch.To != "silver" || !ch.At.Equal(testNow) {
		t.Errorf("row: %+v", ch)
	}
	// and a build that stops tracking it reads the state
	trackedFields = saved
	wantChanges(t, changes(t, c, ""))
}

// The saved state holds one entry per covered org and one per reported
// license, whatever the number of runs.
func TestReportStateIsBounded(t *testing.T) {
	c := newTestConsole(t)
	var ids []string
	for i := range 20 {
		ids = append(ids, mustCreate(t, c, fmt.Sprintf("Org %d", i), "").ID)
	}
	issue(t, c, ids[0], "2026-01-01", "2026-11-30")
	for day := range 10 {
		cd := c.at(time.Date(2026, 11, 23+day, 12, 0, 0, 0, time.UTC).Format(time.RFC3339))
		if day%3 == 1 {
			if _, err := cd.DeleteOrg(ctx, ids[day]); err != nil {
				t.Fatal(err)
			}
		}
		changes(t, cd, "")
	}
	s := savedState(t, c, DefaultReportName)
	if len(s.Orgs) != 17 || len(s.Licenses) != 1 || len(s.Fields) != len(trackedFields) {
		t.Errorf("state after 10 runs: %d orgs, %d licenses, fields %v", len(s.Orgs), len(s.Licenses), s.Fields)
	}
}

// Orgs are matched with the saved state by id whatever order a backend
// lists them in: the same order as the last run, another one, with orgs
// missing or new in between.
func TestReportMatchesOrgsInAnyOrder(t *testing.T) {
	prev := domain.ReportState{Fields: []string{"status"}}
	for _, id := range []string{"a", "b", "c", "d"} {
		prev.Orgs = append(prev.Orgs, domain.ReportOrg{ID: id, Values: []string{"new"}})
	}
	for _, order := range []string{"abcd", "abcde", "acde", "dace", "eabcd", "bdac", "", "e"} {
		d := newReportDiff(prev, 0, testNow)
		for _, id := range order {
			d.org(&domain.Org{ID: string(id), Name: string(id), CreatedAt: testNow})
		}
		var seen, appeared string
		for i, s := range d.seen {
			if s {
				seen += prev.Orgs[i].ID
			}
		}
		for _, c := range d.sorted() {
			if c.Kind != ChangeAppeared {
				t.Errorf("order %q: %+v", order, c)
			}
			appeared += c.OrgID
		}
		known := []byte(strings.Trim(order, "e"))
		slices.Sort(known)
		if seen != string(known) || appeared != strings.Trim(order, "abcd") {
			t.Errorf("order %q: seen %q, appeared %q", order, seen, appeared)
		}
	}
}

// A tenant asked to link appears (pending) on the next run; accepting or
// rejecting its request is a link_status_changed row.
func TestReportListsLinkStatusChanges(t *testing.T) {
	c := newTestConsole(t)
	changes(t, c, "")
	nc, err := c.ConnectOrg(ctx, ConnectParams{Name: "Harbor", Email: "it@harbor.example"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := c.ReportChanges(ctx, ChangesQuery{})
	if err != nil || len(rep.Changes) != 1 || rep.Changes[0].Kind != ChangeAppeared || rep.Changes[0].OrgID != nc.OrgID {
		t.Fatalf("after connect: %+v %v", rep.Changes, err)
	}
	if _, err := c.AcceptConnect(ctx, nc.URL); err != nil {
		t.Fatal(err)
	}
	rep, err = c.ReportChanges(ctx, ChangesQuery{})
	if err != nil || len(rep.Changes) != 1 {
		t.Fatalf("after accept: %+v %v", rep.Changes, err)
	}
	if ch := rep.Changes[0]; ch.Kind != ChangeLinkStatus || ch.From != "pending" || ch.To != "accepted" || ch.OrgID != nc.OrgID {
		t.Errorf("row: %+v", ch)
	}
}
