package console_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// A Go program drives the console without the CLI: open a store, make a
// console acting for a user, and call the same rules the commands call.
func Example() {
	dir, _ := os.MkdirTemp("", "partnerctl-example")
	defer os.RemoveAll(dir)
	st, err := boltstore.Open(boltstore.Options{Path: filepath.Join(dir, "p.db"), Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	ctx := context.Background()
	c := console.New(st, console.Options{Clock: clock.Fixed(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))})
	if _, err := c.Init(ctx, console.InitParams{PartnerName: "Acme Partners", SupportEmail: "help@acme.example",
		AdminOrgName: "Acme HQ", AdminEmail: "you@acme.example", LoginBaseURL: "https://login.acme.example/magic"}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.CreateOrg(ctx, "Bakery", "BAK-1"); err != nil {
		fmt.Println(err)
		return
	}
	feed := `{"id":"e1","org":"BAK-1","type":"session.started","at":"2026-11-22T09:00:00Z"}` + "\n" +
		`{"id":"e2","org":"BAK-1","type":"knowledge.added","at":"2026-11-22T09:05:00Z"}` + "\n"
	res, err := c.ImportEvents(ctx, strings.NewReader(feed), console.EventImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("imported %d events\n", res.Imported)
	page, err := c.ListOrgs(ctx, console.OrgQuery{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range page.Orgs {
		fmt.Printf("%s (%s): %s, %d session(s) in 30 days\n", o.Name, o.RefID, o.Status(), o.Sessions30d)
	}
	link, err := c.CreateLink(ctx, console.LinkParams{Org: "BAK-1", Email: "owner@bakery.example", TTL: 5 * time.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasPrefix(link.URL, "https://login.acme.example/magic?token=plk_"))
	// Output:
	// imported 2 events
	// Bakery (BAK-1): healthy, 1 session(s) in 30 days
	// true
}
