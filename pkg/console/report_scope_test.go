package console

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/store"
)

// reportRows runs the report (saving its state unless q.DryRun) and renders
// its rows one a line as kind, org id, org name: the id shows a row about
// an org whose name the runner can't see.
func reportRows(t *testing.T, c *Console, q ChangesQuery) (ChangeReport, string) {
	t.Helper()
	rep, err := c.ReportChanges(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, ch := range rep.Changes {
		fmt.Fprintf(&b, "%s %s %s\n", ch.Kind, ch.OrgID, ch.OrgName)
	}
	return rep, b.String()
}

// The audit's scenario: an admin and a teammate scoped to one org run the
// report of the same name. Her run lists only her org, never a hidden one
// (not even as deleted), and the admin's next run lists no change: her
// report is her own.
func TestReportOfAScopedTeammateNeitherRevealsNorDisturbsOthers(t *testing.T) {
	c := newTestConsole(t)
	bak := mustCreate(t, c, "Bakery", "BAK-1")
	flo := mustCreate(t, c, "Florist", "FLO-1")
	gar := mustCreate(t, c, "Garage", "GAR-1")
	sue := joinAdminOrg(t, c, "sue@acme.example", "member")
	if _, err := c.ScopeUser(ctx, ScopeParams{Email: "sue@acme.example", Orgs: []string{"BAK-1"}}); err != nil {
		t.Fatal(err)
	}
	shared := ChangesQuery{Name: "shared"}

	rep, rows := reportRows(t, c, shared)
	wantChanges(t, rows, "appeared "+bak.ID+" Bakery", "appeared "+flo.ID+" Florist", "appeared "+gar.ID+" Garage")
	if rep.Own {
		t.Errorf("an admin's report is the shared one: %+v", rep)
	}

	// her first run of the name: her org only, as appeared
	day2 := "2026-11-24T12:00:00Z"
	rep, rows = reportRows(t, sue.at(day2), ChangesQuery{Name: "shared", DryRun: true})
	wantChanges(t, rows, "appeared "+bak.ID+" Bakery")
	if !rep.Own || rep.Saved || !rep.Since.IsZero() || rep.Name != "shared" {
		t.Errorf("her dry run: %+v", rep)
	}
	rep, rows = reportRows(t, sue.at(day2), shared)
	wantChanges(t, rows, "appeared "+bak.ID+" Bakery")
	if !rep.Own || !rep.Saved || !rep.Since.IsZero() {
		t.Errorf("her first run: %+v", rep)
	}
	_, rows = reportRows(t, sue.at(day2), shared)
	wantChanges(t, rows)

	// the admin's next run: no spurious appeared rows, and the shared
	// state still holds every org
	rep, rows = reportRows(t, c.at(day2), shared)
	wantChanges(t, rows)
	if !rep.Since.Equal(testNow) {
		t.Errorf("the admin's run is compared with %s, want their own last run at %s", rep.Since, testNow)
	}
	if s := savedState(t, c, "shared"); len(s.Orgs) != 3 {
		t.Errorf("shared state: %+v", s.Orgs)
	}

	// a hidden org is deleted and another leaves her scope: the admin hears
	// of the deletion, she of neither
	day3 := "2026-11-25T12:00:00Z"
	if _, err := c.at(day3).DeleteOrg(ctx, flo.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ScopeUser(ctx, ScopeParams{Email: "sue@acme.example", Orgs: []string{"GAR-1"}}); err != nil {
		t.Fatal(err)
	}
	_, rows = reportRows(t, sue.at(day3), shared)
	wantChanges(t, rows, "appeared "+gar.ID+" Garage")
	_, rows = reportRows(t, c.at(day3), shared)
	wantChanges(t, rows, "deleted "+flo.ID+" Florist")
	_, rows = reportRows(t, sue.at(day3), shared)
	wantChanges(t, rows)

	// her state is kept under a key no one can type as a name, and the
	// name stays free for the team
	if s := savedState(t, c, "shared/sue@acme.example"); len(s.Orgs) != 1 || s.Orgs[0].ID != gar.ID {
		t.Errorf("her state: %+v", s.Orgs)
	}
	if _, err := checkReportName("shared/sue@acme.example"); err == nil {
		t.Error("her state's key is a name one can type")
	}

	// an unscoped member shares the team's report
	rex := joinAdminOrg(t, c, "rex@acme.example", "member")
	rep, rows = reportRows(t, rex.at(day3), shared)
	wantChanges(t, rows)
	if rep.Own || !rep.Since.Equal(c.at(day3).Now()) {
		t.Errorf("an unscoped member's run: %+v", rep)
	}
	var err error
	_ = c.st.View(ctx, func(tx store.Tx) error { _, err = tx.ReportState(ctx, "shared/rex@acme.example"); return nil })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unscoped member got a state of their own: %v", err)
	}
}
