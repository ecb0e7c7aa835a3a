package console

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// consoleOnBbolt is newTestConsole without the rerun wrapper, whose store
// can't stage an import: on bbolt itself an import runs in steps.
func consoleOnBbolt(t *testing.T) *Console {
	t.Helper()
	c, st := initialisedConsole(t, filepath.Join(t.TempDir(), "p.db"), nil)
	var _ store.StagedOrgCreator = st
	return c
}

// An import in steps leaves what one transaction leaves: the same orgs,
// views, indexes and one audit entry; a conflict anywhere writes nothing.
func TestImportOrgsInStepsIsOneImport(t *testing.T) {
	defer func(n int) { orgImportStep = n }(orgImportStep)
	orgImportStep = 2
	input := "name,ref_id,shortcode\nDelta,R1,C1\nalpha,R2,\nCharlie,,C3\nbravo,R4,\nEcho,R5,C5\n"
	var answers []string
	for _, c := range []*Console{newTestConsole(t), consoleOnBbolt(t)} {
		res, err := c.ImportOrgs(ctx, strings.NewReader(input))
		if err != nil || res.Len() != 5 {
			t.Fatalf("import: %d %v", res.Len(), err)
		}
		p, err := c.ListOrgs(ctx, OrgQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var views []OrgView
		for i := range res.Len() {
			views = append(views, res.Created(i))
		}
		entries, err := c.Audit(ctx, AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		imported := 0
		for _, e := range entries {
			if e.Action == "org.imported" {
				imported++
			}
		}
		id, _ := c.ShowOrg(ctx, "r4")
		code, _ := c.ShowOrg(ctx, "C5")
		answers = append(answers, fmt.Sprintf("%+v %+v %d %s %s", p, views, imported, id.Name, code.Name))

		// A conflict in the last rows: nothing of the first steps stays.
		_, err = c.ImportOrgs(ctx, strings.NewReader("name,ref_id\nF,R6\nG,R7\nH,R8\nI,r2\n"))
		var bad *fail.InputError
		if !errors.As(err, &bad) || !fail.Is(err, fail.Conflict) || bad.Count != 1 {
			t.Fatalf("conflicting import: %v", err)
		}
		if again, _ := c.ListOrgs(ctx, OrgQuery{}); !reflect.DeepEqual(again, p) {
			t.Fatalf("a refused import changed the list: %d orgs", again.Total)
		}
		if v, err := c.CreateOrg(ctx, "After", "R9"); err != nil || v.ID != "org_000007" {
			t.Fatalf("the next org: %s %v", v.ID, err)
		}
	}
	if answers[0] != answers[1] {
		t.Fatalf("one transaction:\n %s\nin steps:\n %s", answers[0], answers[1])
	}
	if !strings.Contains(answers[1], "1 bravo Echo") {
		t.Fatalf("audit entries or lookups: %s", answers[1])
	}
}
