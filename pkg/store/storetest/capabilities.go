package storetest

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/doctor"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// The optional capabilities are checked when a backend has them; none is
// required.

var capabilityTests = []test{
	{"DoctorFindsNothingOnAHealthyStore", testDoctorHealthy},
	{"CheckStorageFindsNothingOnAHealthyStore", testCheckStorageHealthy},
	{"CheckPagesFindsNothingOnAHealthyStore", testCheckPagesHealthy},
	{"BackupIsAWorkingStore", testBackup},
}

// checkStorage runs the backend's own checks, when it has them, and fails
// the test on any problem: records made through the contract keep a
// backend's indexes consistent.
func checkStorage(h *harness) {
	h.t.Helper()
	sc, ok := h.st.(store.StorageChecker)
	if !ok {
		return
	}
	r, err := sc.CheckStorage(h.ctx, nil)
	must(h.t, err)
	if len(r.Problems) > 0 || r.Unreadable {
		h.t.Fatalf("CheckStorage found problems (unreadable: %v):\n%s", r.Unreadable, strings.Join(r.Problems, "\n"))
	}
}

// doctorClean runs the domain invariants and the backend's own checks.
func doctorClean(h *harness) {
	h.t.Helper()
	r, err := doctor.Check(h.ctx, h.st)
	must(h.t, err)
	if !r.OK() {
		h.t.Fatalf("doctor found problems:\n%s", strings.Join(r.Problems, "\n"))
	}
	checkStorage(h)
}

// healthyStore fills the store through the console with a bit of
// everything.
func healthyStore(h *harness) {
	h.t.Helper()
	c := newConsole(h)
	for _, spec := range [][2]string{{"Bakery", "BAK-1"}, {"Café", ""}, {"Doomed", "DOOM-1"}} {
		_, err := c.CreateOrg(h.ctx, spec[0], spec[1])
		must(h.t, err)
	}
	_, err := c.CreateLink(h.ctx, console.LinkParams{Org: "BAK-1", Email: "owner@bakery.example", TTL: 5 * time.Minute})
	must(h.t, err)
	inv, err := c.InviteUser(h.ctx, console.InviteParams{Email: "owner@bakery.example", Org: "BAK-1", Role: "owner"})
	must(h.t, err)
	_, err = c.ResendInvite(h.ctx, inv.ID)
	must(h.t, err)
	_, err = c.InviteUser(h.ctx, console.InviteParams{Email: "new@cafe.example", Org: "Café", Role: "owner"})
	must(h.t, err)
	lic, err := c.IssueLicense(h.ctx, console.IssueParams{Org: "BAK-1", Start: "2026-11-01", End: "2027-10-31"})
	must(h.t, err)
	_, err = c.AssignLicenseTo(h.ctx, console.AssignParams{License: lic.ID, Org: "Café", Move: true})
	must(h.t, err)
	feed := `{"id":"e1","org":"BAK-1","type":"session.started","at":"2026-11-22T09:00:00Z"}
{"id":"e2","org":"bak-1","type":"member.added","email":"x@bakery.example","at":"2026-11-22T09:01:00Z"}
{"id":"e3","org":"BAK-1","type":"device.registered","device":"d1","at":"2026-11-22T09:02:00Z"}
{"id":"e4","org":"BAK-1","type":"knowledge.removed","at":"2026-11-22T09:03:00Z"}
`
	_, err = c.ImportEvents(h.ctx, strings.NewReader(feed), console.EventImportOptions{})
	must(h.t, err)
	_, err = c.OpenOrg(h.ctx, "Café")
	must(h.t, err)
	_, err = c.DeleteOrg(h.ctx, "DOOM-1")
	must(h.t, err)
}

func testDoctorHealthy(h *harness) {
	healthyStore(h)
	r, err := doctor.Check(h.ctx, h.st)
	must(h.t, err)
	if !r.OK() {
		h.t.Fatalf("doctor found problems on a healthy store:\n%s", strings.Join(r.Problems, "\n"))
	}
	same(h.t, "doctor's count of live customer orgs", r.Orgs, 2)
}

func testCheckStorageHealthy(h *harness) {
	if _, ok := h.st.(store.StorageChecker); !ok {
		h.t.Skip("the backend has no StorageChecker")
	}
	healthyStore(h)
	checkStorage(h)
}

func testCheckPagesHealthy(h *harness) {
	pc, ok := h.st.(store.PageChecker)
	if !ok {
		h.t.Skip("the backend has no PageChecker")
	}
	healthyStore(h)
	problems, err := pc.CheckPages(h.ctx)
	must(h.t, err)
	if len(problems) > 0 {
		h.t.Fatalf("CheckPages found problems on a healthy store:\n%s", strings.Join(problems, "\n"))
	}
}

func testBackup(h *harness) {
	b, ok := h.st.(store.Backuper)
	if !ok {
		h.t.Skip("the backend has no Backuper")
	}
	healthyStore(h)
	var want snapshot
	h.view(func(tx store.Tx) error { want = takeSnapshot(h, tx); return nil })
	dst := filepath.Join(h.t.TempDir(), "copy")
	written := false
	n, err := b.Backup(h.ctx, dst, store.BackupOptions{Written: func() { written = true }})
	must(h.t, err)
	fi, err := os.Stat(dst)
	must(h.t, err)
	if n <= 0 || fi.Size() == 0 || !written {
		h.t.Fatalf("Backup wrote %d bytes (file: %d, Written called: %v)", n, fi.Size(), written)
	}
	// An existing file is kept unless Force says otherwise.
	_, err = b.Backup(h.ctx, dst, store.BackupOptions{})
	if err == nil {
		h.t.Fatal("Backup replaced an existing file without Force")
	}
	_, err = b.Backup(h.ctx, dst, store.BackupOptions{Force: true})
	must(h.t, err)
	if h.cfg.openCopy == nil {
		h.t.Skip("the suite was not told how to open a backup (storetest.OpenCopy)")
	}
	cp := h.cfg.openCopy(h.t, dst)
	var got snapshot
	must(h.t, cp.View(h.ctx, func(tx store.Tx) error { got = takeSnapshot(h, tx); return nil }))
	same(h.t, "the backup's records", got, want)
	r, err := doctor.Check(h.ctx, cp)
	must(h.t, err)
	if !r.OK() {
		h.t.Fatalf("doctor found problems in the backup:\n%s", strings.Join(r.Problems, "\n"))
	}
	// The copy is a working store: it takes writes.
	c := console.New(cp, console.Options{As: consoleAdmin})
	_, err = c.CreateOrg(h.ctx, "After Backup", "AB-1")
	must(h.t, err)
}
