// Command gen writes the deterministic data sets of the partnerctl benchmark
// (see bench/README.md), and measures a command's wall time and peak RSS.
//
//	go run ./bench/gen -orgs 100000 -events 1000000 -out DIR
//	go run ./bench/gen measure -- partnerctl orgs list
//
// Files: orgs.csv (name,ref_id: the input of `orgs import`), orgs_sql.csv
// (id,name,ref_id,created_at: the same orgs as SQLite rows, with the ids
// partnerctl gives them after `init`, whose admin org is org_000001),
// events.jsonl (the input of `events import`) and events.csv (the same
// events as SQLite rows: id,org,type,at,email,device). The same flags give
// the same bytes.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "measure" {
		os.Exit(measure(os.Args[2:]))
	}
	orgs := flag.Int("orgs", 100000, "number of orgs")
	events := flag.Int("events", 1000000, "number of events")
	out := flag.String("out", ".", "folder to write to")
	seed := flag.Uint64("seed", 42, "random seed")
	now := flag.String("now", "2026-11-23T12:00:00Z", "the benchmark's PARTNERCTL_NOW; events fall in the 120 days before it")
	flag.Parse()
	end, err := time.Parse(time.RFC3339, *now)
	if err != nil {
		fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fatal(err)
	}
	rng := rand.New(rand.NewPCG(*seed, 6))
	writeOrgs(rng, *out, *orgs, end)
	writeEvents(rng, *out, *orgs, *events, end)
}

var words = []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay",
	"Soylent", "Tyrell", "Cyberdyne", "Wonka", "Oscorp", "Aperture", "Monarch", "Nakatomi",
	"Bakery", "Dental", "Logistics", "Studio", "Clinic", "Partners", "Foods", "Labs"}

func create(dir, name string) (*os.File, *bufio.Writer) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		fatal(err)
	}
	return f, bufio.NewWriterSize(f, 1<<20)
}

func done(f *os.File, w *bufio.Writer) {
	if err := w.Flush(); err != nil {
		fatal(err)
	}
	if err := f.Close(); err != nil {
		fatal(err)
	}
}

func writeOrgs(rng *rand.Rand, dir string, n int, now time.Time) {
	cf, cw := create(dir, "orgs.csv")
	sf, sw := create(dir, "orgs_sql.csv")
	fmt.Fprintln(cw, "name,ref_id")
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("%s %s %d", words[rng.IntN(len(words))], words[rng.IntN(len(words))], i)
		ref := fmt.Sprintf("CUST-%07d", i)
		fmt.Fprintf(cw, "%s,%s\n", name, ref)
		fmt.Fprintf(sw, "org_%06d,%s,%s,%s\n", i+1, name, ref, now.Format(time.RFC3339))
	}
	done(cf, cw)
	done(sf, sw)
}

// The mix of a month of platform activity: mostly sessions and messages.
var mix = []string{
	"session.started", "session.started", "session.started", "session.started", "session.started",
	"message.sent", "message.sent", "message.sent", "contact.created", "contact.created",
	"knowledge.added", "knowledge.removed", "integration.connected", "integration.disconnected",
	"ai.instructions.updated", "member.added", "member.removed",
	"device.registered", "device.onboarded", "device.provisioned", "device.removed",
}

func writeEvents(rng *rand.Rand, dir string, orgs, n int, now time.Time) {
	jf, jw := create(dir, "events.jsonl")
	cf, cw := create(dir, "events.csv")
	start := now.Add(-120 * 24 * time.Hour).Unix()
	span := 120 * 24 * 3600
	for i := 1; i <= n; i++ {
		o := 1 + rng.IntN(orgs)
		org := fmt.Sprintf("CUST-%07d", o) // half the feed names orgs by ref,
		if i%2 == 0 {
			org = fmt.Sprintf("org_%06d", o+1) // half by id
		}
		typ := mix[rng.IntN(len(mix))]
		at := time.Unix(start+int64(rng.IntN(span)), 0).UTC().Format(time.RFC3339)
		email, device := "", ""
		switch typ {
		case "member.added", "member.removed":
			email = fmt.Sprintf("user%d@org%d.example", rng.IntN(5), o)
		case "device.registered", "device.onboarded", "device.provisioned", "device.removed":
			device = fmt.Sprintf("dev-%d", rng.IntN(4))
		}
		// Ids grow with time, as a platform's export numbers them.
		id := fmt.Sprintf("evt_%010d", i)
		fmt.Fprintf(jw, `{"id":"%s","org":"%s","type":"%s","at":"%s"`, id, org, typ, at)
		if email != "" {
			fmt.Fprintf(jw, `,"email":"%s"`, email)
		}
		if device != "" {
			fmt.Fprintf(jw, `,"device":"%s"`, device)
		}
		jw.WriteString("}\n")
		fmt.Fprintf(cw, "%s,%s,%s,%s,%s,%s\n", id, org, typ, at, email, device)
	}
	done(jf, jw)
	done(cf, cw)
}

// measure runs a command with stdin/stdout/stderr passed through and prints
// "SECONDS MAXRSS_KB" on stderr's last line (file descriptor 3 when open,
// so the command's own output stays apart).
func measure(args []string) int {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fatal(fmt.Errorf("measure: no command"))
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	code := 0
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else {
			fatal(err)
		}
	}
	rss := maxRSS(cmd.ProcessState)
	report := os.Stderr
	if f := os.NewFile(3, "report"); f != nil {
		if _, err := f.Stat(); err == nil {
			report = f
		}
	}
	fmt.Fprintf(report, "%.4f %d\n", wall.Seconds(), rss)
	return code
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}
