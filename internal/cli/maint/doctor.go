// Package maint holds the store maintenance commands: doctor and backup.
package maint

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/doctor"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/pgstore"
	"github.com/partnerctl/partnerctl/pkg/procmem"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/tempfile"
)

// NewCmdDoctor builds `partnerctl doctor`.
func NewCmdDoctor(f *cmdutil.Factory) *cobra.Command {
	var pagesOnly bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the store's integrity",
		Long: `Check the store without changing it: bbolt's own page-level consistency
check, then partnerctl's invariants: the schema version and every bucket are
present, no counter is negative, session days are sorted, the live org count
matches the live customer orgs, the name and ref indexes agree with the org
records both ways, the id sequence is ahead of every org, every membership's
and device's org exists, and the partner's admin org exists.

Each problem is printed on its own line and the exit code is 1; a healthy
store prints one "ok" line and exits 0. doctor opens the store read-only, so
it can run while other partnerctl processes read it. A file that is not a
bbolt database at all (random bytes, truncated) exits 1 saying so.

bbolt's page check runs in a child partnerctl process, bounded in time and
memory: on a file with damaged pages it can crash or allocate without end,
and doctor reports that as a problem instead of crashing itself.

On a PostgreSQL store (--db postgres://…) doctor reports the schema version
(an older one: run partnerctl db migrate; a newer one is refused), checks
what the database's own constraints don't (every org has its counters row,
the maintained org count, findable invitation tokens, id sequences ahead of
their records), then the same invariants as on a file, in one snapshot.

On a file, doctor also removes what killed partnerctl processes left in the
store's folder, saying so on stderr: temporary files named .partnerctl-*.tmp
(a new store being built, an import's spool, a backup being written next to
its destination, found through its pointer) that no running process holds.
Ctrl-C and SIGTERM remove them already; only a SIGKILL or a crash leaves them.
It runs even when the store itself is missing.`,
		Example: `  partnerctl doctor
  partnerctl doctor --db backup.db
  partnerctl doctor --db postgres://ann@db.example.com/acme_partners`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !pagesOnly {
				if path, err := f.DBPath(); err == nil && !pgstore.IsURL(path) {
					sweepLeftovers(f, path)
				}
			}
			st, path, err := f.OpenStore(boltstore.ReadOnly, false)
			if err != nil {
				return err
			}
			if pagesOnly {
				return runPagesOnly(f, st)
			}
			rep, err := examine(f, st, path)
			if cerr := st.Close(); err == nil && cerr != nil {
				err = fail.Wrap(fail.Internal, cerr, "cannot close the store")
			}
			if err != nil {
				return err
			}
			if len(rep.problems) > 0 {
				for _, p := range rep.problems {
					fmt.Fprintf(f.IO.Out, "problem: %s\n", p)
				}
				return fail.Internalf("doctor found %d problem(s) in %s", len(rep.problems), path).
					WithHint("restore a backup, or report the problems")
			}
			fmt.Fprintf(f.IO.Out, "ok: %s passed %s and %d invariant checks (%d orgs, %d memberships, %d events, %d audit entries)\n",
				path, rep.storage.Summary, rep.storage.Checks+rep.domain.Invariants, rep.domain.Orgs, rep.domain.Members, rep.storage.Events, rep.domain.Audit)
			return nil
		},
	}
	cmd.Flags().BoolVar(&pagesOnly, "pages-only", false, "run only bbolt's page check (doctor runs itself this way)")
	_ = cmd.Flags().MarkHidden("pages-only")
	return cmd
}

// report is what doctor found: the backend's own storage checks, then the
// domain invariants every backend shares.
type report struct {
	storage  store.StorageReport
	domain   doctor.Report
	problems []string
}

// examine runs the backend's page check in a child process when it has one,
// its storage checks when it has them, and the domain invariants unless the
// storage is too damaged to read.
func examine(f *cmdutil.Factory, st store.Store, path string) (report, error) {
	var r report
	ctx := f.Context()
	var pages []string
	if _, ok := st.(store.PageChecker); ok {
		pages = checkPagesInChild(path, f.Flags.LockTimeout)
	}
	if sc, ok := st.(store.StorageChecker); ok {
		var err error
		if r.storage, err = sc.CheckStorage(ctx, pages); err != nil {
			return r, err
		}
		r.problems = append(r.problems, r.storage.Problems...)
		if r.storage.Unreadable {
			return r, nil
		}
	}
	var err error
	if r.domain, err = doctor.Check(ctx, st); err != nil {
		return r, err
	}
	r.problems = append(r.problems, r.domain.Problems...)
	return r, nil
}

// sweepLeftovers removes the dead temporary files in the store's folder and
// reports each on stderr.
func sweepLeftovers(f *cmdutil.Factory, storePath string) {
	removed, _ := tempfile.Sweep(filepath.Dir(storePath))
	for _, p := range removed {
		fmt.Fprintf(f.IO.ErrOut, "partnerctl: removed %s, left by a partnerctl process that was killed\n", p)
	}
}

// runPagesOnly is the child side of checkPagesInChild: bbolt's page check,
// under a memory cap, one problem per line on stdout.
func runPagesOnly(f *cmdutil.Factory, st store.Store) error {
	defer st.Close()
	pc, ok := st.(store.PageChecker)
	if !ok {
		return nil
	}
	pages, err := pc.CheckPages(f.Context())
	if err != nil {
		return err
	}
	for _, p := range pages {
		fmt.Fprintln(f.IO.Out, strings.ReplaceAll(p, "\n", " "))
	}
	return nil
}

// checkPagesInChild runs bbolt's page check in a child partnerctl: on a
// damaged file the check can fault, loop or eat memory on a goroutine no
// recover reaches, and doctor must still answer with a problem, not a
// crash. A child that fails, or runs past its time, is such a problem.
func checkPagesInChild(path string, lockTimeout time.Duration) []string {
	exe, err := exec.LookPath(os.Args[0])
	if err != nil {
		if exe, err = os.Executable(); err != nil {
			return []string{"bbolt: cannot run the page check: " + err.Error()}
		}
	}
	limit := pageCheckTimeout
	maxRSS := int64(pageCheckMemory)
	if fi, err := os.Stat(path); err == nil {
		limit += time.Duration(fi.Size()/(10<<20)) * time.Second
		maxRSS += 2 * fi.Size()
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit+lockTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "doctor", "--pages-only", "--db", path, "--lock-timeout", lockTimeout.String())
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		return []string{"bbolt: cannot run the page check: " + err.Error()}
	}
	tooBig := make(chan bool, 1)
	go watchMemory(cmd.Process, maxRSS, tooBig)
	err = cmd.Wait()
	killed := false
	select {
	case killed = <-tooBig:
	default:
	}
	switch {
	case ctx.Err() != nil:
		return []string{fmt.Sprintf("bbolt: the page check did not finish within %s: the file is badly damaged", limit)}
	case killed:
		return []string{fmt.Sprintf("bbolt: the page check needed more than %s of memory: the file is badly damaged", humanize.IBytes(uint64(maxRSS)))}
	case err != nil:
		why := firstLine(errOut.String())
		if why == "" {
			why = err.Error()
		}
		return []string{"bbolt: the page check crashed on a damaged page (" + why + ")"}
	}
	pages := []string{}
	for _, l := range strings.Split(out.String(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			pages = append(pages, l)
		}
	}
	return pages
}

// pageCheckMemory bounds the page check's resident memory, plus twice the
// file's size: a healthy check needs far less, a damaged page header can
// make it allocate without end.
const pageCheckMemory = 256 << 20

// watchMemory kills p once its resident memory passes max (Linux: read
// from /proc; elsewhere only the time limit applies), then says so on
// tooBig (buffered, written at most once). It returns when p is gone.
func watchMemory(p *os.Process, max int64, tooBig chan bool) {
	for {
		time.Sleep(20 * time.Millisecond)
		rss, err := procmem.Resident(p.Pid)
		if err != nil {
			return // gone, or no /proc
		}
		if rss > max {
			tooBig <- true // buffered: said before the kill, seen after Wait
			_ = p.Kill()
			return
		}
	}
}

// pageCheckTimeout bounds the page check of a small store; big stores get
// a second more per 10 MB.
const pageCheckTimeout = 30 * time.Second

// firstLine is the first line of s that isn't a partnerctl warning.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "partnerctl: warning:") {
			return strings.TrimPrefix(l, "partnerctl: ")
		}
	}
	return ""
}
