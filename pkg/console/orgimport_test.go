package console

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

func TestImportOrgsAllOrNothing(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Existing", "EX-1")

	_, err := c.ImportOrgs(ctx, strings.NewReader("name,ref_id\nA,R1\n,R2\n\"B\nC\",R3\nD,has space\nE,R5,not-an-email\nF,R6\n"))
	var bad *fail.InputError
	if !errors.As(err, &bad) || !fail.Is(err, fail.Usage) {
		t.Fatalf("err = %v", err)
	}
	var got []string
	for _, l := range bad.Lines {
		got = append(got, l.String())
	}
	want := `line 3: org name must not be empty|line 4: org name "B\nC" must be one line of at most 200 bytes without tabs|line 6: ref ID "has space" must be at most 100 bytes with no spaces or commas|line 7: 3 cells, want at most 2 (name,ref_id,owner_email or as the header says)`
	if strings.Join(got, "|") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}

	_, err = c.ImportOrgs(ctx, strings.NewReader("ref_id,name\nR1,A\nr1,B\nex-1,C\n"))
	if !errors.As(err, &bad) || !fail.Is(err, fail.Conflict) {
		t.Fatalf("duplicate refs: err = %v", err)
	}
	got = got[:0]
	for _, l := range bad.Lines {
		got = append(got, l.String())
	}
	if want := `line 3: ref ID "r1" repeats line 2|line 4: ref ID "ex-1" is already used by Existing (org_000002)`; strings.Join(got, "|") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
	if p, _ := c.ListOrgs(ctx, OrgQuery{}); p.Total != 1 {
		t.Fatalf("a refused import wrote %d orgs", p.Total-1)
	}

	res, err := c.ImportOrgs(ctx, strings.NewReader("Zed Co,Z1\nYak Ltd,\n"))
	if err != nil || res.Len() != 2 || res.Created(1).RefID != "" {
		t.Fatalf("headerless import: %+v %v", res, err)
	}
}

func TestImportOrgsRejectsBadOwnerEmail(t *testing.T) {
	c := newTestConsole(t)
	_, err := c.ImportOrgs(ctx, strings.NewReader("name,ref_id,owner_email\nA,R1,not-an-email\n"))
	var bad *fail.InputError
	if !errors.As(err, &bad) || len(bad.Lines) != 1 || bad.Lines[0].String() != `line 2: invalid email "not-an-email"` {
		t.Fatalf("err = %v", err)
	}
}

// A ref that is also another org's id is taken by the org whose ref it is:
// the batched check resolves keys by id first, so it must not stop there.
func TestImportOrgsRefThatLooksLikeAnID(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "No Ref", "")            // org_000002
	mustCreate(t, c, "Odd Ref", "org_000002") // org_000003
	mustCreate(t, c, "Plain", "PLAIN-1")      // org_000004
	_, err := c.ImportOrgs(ctx, strings.NewReader("name,ref_id\nA,org_000002\nC,org_000004\nD,plain-1\n"))
	var bad *fail.InputError
	if !errors.As(err, &bad) || !fail.Is(err, fail.Conflict) {
		t.Fatalf("err = %v", err)
	}
	var got []string
	for _, l := range bad.Lines {
		got = append(got, l.String())
	}
	want := `line 2: ref ID "org_000002" is already used by Odd Ref (org_000003)|line 4: ref ID "plain-1" is already used by Plain (org_000004)`
	if strings.Join(got, "|") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
}

// The views an import returns are made from its rows when asked for: each
// must be what the store then shows for that org, field for field.
func TestImportOrgsViewsAreWhatIsStored(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Existing", "EX-1")
	res, err := c.ImportOrgs(ctx, strings.NewReader("name,ref_id,shortcode,language,owner_email\n"+
		"Harbor Dental,HD-1,HD1,pt-BR,ops@harbor.example\nQuiet Co,,,,\nZed,Z-9,,,\n"))
	if err != nil || res.Len() != 3 || len(res.Invites) != 1 {
		t.Fatalf("import: %d orgs, %d invites, %v", res.Len(), len(res.Invites), err)
	}
	for i := range res.Len() {
		got := res.Created(i)
		want, err := c.ShowOrg(ctx, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("view %d:\n got  %+v\n want %+v", i, got, want)
		}
		if res.CreatedID(i) != got.ID {
			t.Fatalf("CreatedID(%d) = %s, view says %s", i, res.CreatedID(i), got.ID)
		}
	}
	if res.Created(0).Name != "Harbor Dental" || res.Created(2).ID != "org_000005" || res.Invites[0].OrgID != res.CreatedID(0) {
		t.Fatalf("order: %s %s, invite for %s", res.Created(0).Name, res.Created(2).ID, res.Invites[0].OrgID)
	}
}
