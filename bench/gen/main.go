// Command gen writes the deterministic data set of the partnerctl benchmark
// (bench/run.sh, bench/README.md): the orgs a partner imports and a feed of
// platform events about them. The feed is written twice, as JSON Lines for
// `partnerctl events import` and as CSV for sqlite3's .import, so that both
// sides load exactly the same events.
//
//	go run ./bench/gen -orgs 100000 -events 1000000 -seed 42 -out DIR
//
// writes DIR/orgs.csv (name,ref_id), DIR/events.jsonl and DIR/events.csv
// (id,org,type,at,email,device). With -daily N it also writes DIR/daily.jsonl
// and DIR/daily.csv: the next day's feed, N more events that continue the
// first (ids numbered on, the same orgs in the state the feed left them)
// and fall in the last 24 hours before -now. The same flags always give the
// same bytes, and -daily changes nothing in the other three files.
// Only the standard library is used, so the generator builds anywhere the
// module does.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// config is one data set: the command's flags.
type config struct {
	orgs   int
	events int
	daily  int // events of the next day's feed (daily.*), 0 for none
	seed   uint64
	now    time.Time // the benchmark's PARTNERCTL_NOW
	out    string    // folder written to
}

// feedSpan is how far back the feed reaches from now: four months, so that
// the 30-day activity window splits the orgs into active and inactive ones.
const feedSpan = 120 * 24 * time.Hour

func main() {
	var cfg config
	flag.IntVar(&cfg.orgs, "orgs", 100000, "number of orgs")
	flag.IntVar(&cfg.events, "events", 1000000, "number of events")
	flag.IntVar(&cfg.daily, "daily", 0, "number of events of the next day's feed (daily.jsonl, daily.csv); 0 writes none")
	flag.Uint64Var(&cfg.seed, "seed", 42, "random seed: the same seed and sizes give the same bytes")
	flag.StringVar(&cfg.out, "out", ".", "folder to write orgs.csv, events.jsonl, events.csv (and daily.*) to")
	now := flag.String("now", "2026-11-23T12:00:00Z", "the benchmark's PARTNERCTL_NOW (RFC 3339): events fall in the 120 days before it")
	flag.Parse()
	if flag.NArg() > 0 {
		fatal(fmt.Errorf("unexpected argument %q", flag.Arg(0)))
	}
	var err error
	if cfg.now, err = time.Parse(time.RFC3339, *now); err != nil {
		fatal(fmt.Errorf("-now: %w", err))
	}
	if err := generate(cfg); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

// generate writes the files of cfg.
func generate(cfg config) error {
	if cfg.orgs < 1 || cfg.events < 0 || cfg.daily < 0 {
		return errors.New("need -orgs >= 1, -events >= 0 and -daily >= 0")
	}
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	// One generator for every file: orgs are drawn first, then the feed,
	// then the next day's, so the whole data set follows from the seed alone
	// and the daily feed, drawn last, changes nothing before it.
	rng := rand.New(rand.NewPCG(cfg.seed, 0x6265_6e63_68)) // "bench"
	orgs, err := writeOrgs(rng, cfg)
	if err != nil {
		return err
	}
	// Ids have one width across both feeds, so they sort in feed order.
	idWidth := max(10, len(strconv.Itoa(cfg.events+cfg.daily)))
	history := feed{name: "events", first: 1, n: cfg.events, start: cfg.now.Add(-feedSpan), span: feedSpan, idWidth: idWidth}
	if err := writeEvents(rng, cfg, orgs, history); err != nil || cfg.daily == 0 {
		return err
	}
	daily := feed{name: "daily", first: cfg.events + 1, n: cfg.daily, start: cfg.now.Add(-24 * time.Hour), span: 24 * time.Hour, idWidth: idWidth}
	return writeEvents(rng, cfg, orgs, daily)
}

// feed is one events file pair: NAME.jsonl and NAME.csv, n events with ids
// numbered from first, spread evenly over [start, start+span).
type feed struct {
	name     string
	first, n int
	start    time.Time
	span     time.Duration
	idWidth  int
}

// Names look like "Acme Logistics 00042": a brand, an industry and the org's
// number. No word contains another or a digit, so a search for a brand
// matches exactly that brand's orgs (about 1 in len(brands)), by name and by
// ref alike. The number makes every name and ref unique.
var (
	brands = []string{
		"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay",
		"Soylent", "Tyrell", "Cyberdyne", "Wonka", "Oscorp", "Aperture", "Monarch", "Nakatomi",
		"Northwind", "Contoso", "Fabrikam", "Bluth",
	}
	industries = []string{
		"Logistics", "Dental", "Bakery", "Studio", "Clinic", "Partners", "Foods", "Labs",
		"Realty", "Legal", "Fitness", "Motors", "Travel", "Insurance", "Consulting", "Roofing",
		"Pharmacy", "Solar", "Catering", "Veterinary",
	}
)

// org is what the feed needs to know of an org: its ref, which events name
// it by, and what the feed has given it so far (see drawType).
type org struct {
	ref          string // "ACME-00042"
	knowledge    int32  // knowledge sources added and not removed
	integrations int32  // integrations connected and not disconnected
	members      uint8  // bit i set: user<i>@… is a member
}

// memberSlots is how many distinct people can join one org.
const memberSlots = 8

func writeOrgs(rng *rand.Rand, cfg config) ([]org, error) {
	f, err := newOutput(cfg.out, "orgs.csv")
	if err != nil {
		return nil, err
	}
	f.w.WriteString("name,ref_id\n")
	// Numbers are zero-padded to a common width, so names of one brand and
	// industry sort in number order, as in "Acme Logistics 00042".
	width := max(5, len(strconv.Itoa(cfg.orgs)))
	orgs := make([]org, cfg.orgs)
	var line []byte
	for i := range orgs {
		brand := brands[rng.IntN(len(brands))]
		industry := industries[rng.IntN(len(industries))]
		number := appendPadded(nil, i+1, width)
		orgs[i].ref = strings.ToUpper(brand) + "-" + string(number)

		line = append(line[:0], brand...)
		line = append(line, ' ')
		line = append(line, industry...)
		line = append(line, ' ')
		line = append(line, number...)
		line = append(line, ',')
		line = append(line, orgs[i].ref...)
		line = append(line, '\n')
		f.w.Write(line)
	}
	return orgs, f.close()
}

// Event types of SPEC §5.
const (
	sessionStarted          = "session.started"
	messageSent             = "message.sent"
	contactCreated          = "contact.created"
	knowledgeAdded          = "knowledge.added"
	knowledgeRemoved        = "knowledge.removed"
	integrationConnected    = "integration.connected"
	integrationDisconnected = "integration.disconnected"
	aiInstructionsUpdated   = "ai.instructions.updated"
	memberAdded             = "member.added"
	memberRemoved           = "member.removed"
	deviceRegistered        = "device.registered"
	deviceOnboarded         = "device.onboarded"
	deviceProvisioned       = "device.provisioned"
	deviceRemoved           = "device.removed"
)

// mix is a partner's feed, per thousand events: mostly sessions and
// messages; setup events (knowledge, integrations, AI instructions) and team
// changes rarer; removals rarer still. With about ten events an org this
// leaves roughly a third of the orgs with nothing set up, a fifth set up but
// idle for 30 days, and the rest healthy: every status rule gets exercised.
var mix = []struct {
	typ      string
	perMille int
}{
	{sessionStarted, 450},
	{messageSent, 150},
	{contactCreated, 80},
	{knowledgeAdded, 70},
	{knowledgeRemoved, 15},
	{integrationConnected, 40},
	{integrationDisconnected, 10},
	{aiInstructionsUpdated, 30},
	{memberAdded, 50},
	{memberRemoved, 10},
	{deviceRegistered, 40},
	{deviceOnboarded, 25},
	{deviceProvisioned, 20},
	{deviceRemoved, 10},
}

// typeByDraw maps a draw in [0, 1000) to an event type, so drawing a type
// costs one lookup.
var typeByDraw = func() (table [1000]string) {
	n := 0
	for _, m := range mix {
		for range m.perMille {
			table[n] = m.typ
			n++
		}
	}
	if n != len(table) {
		panic("event mix does not add up to 1000 per mille")
	}
	return table
}()

// drawType draws the type of o's next event and updates what the feed has
// given o. A removal of something o does not have becomes the matching
// addition: the feed never takes a counter below zero, so partnerctl's floor
// applied event by event and the SQL query's floor applied to the totals give
// the same counts, and the benchmark can compare both answers row by row.
// It returns the member slot for member events.
func drawType(rng *rand.Rand, o *org) (typ string, slot int) {
	typ = typeByDraw[rng.IntN(len(typeByDraw))]
	switch typ {
	case knowledgeRemoved:
		if o.knowledge == 0 {
			typ = knowledgeAdded
		}
	case integrationDisconnected:
		if o.integrations == 0 {
			typ = integrationConnected
		}
	case memberRemoved:
		if o.members == 0 {
			typ = memberAdded
		}
	}
	switch typ {
	case knowledgeAdded:
		o.knowledge++
	case knowledgeRemoved:
		o.knowledge--
	case integrationConnected:
		o.integrations++
	case integrationDisconnected:
		o.integrations--
	case memberAdded:
		// Anyone of the org's people, members already or not: a repeated
		// add is a no-op on both sides.
		slot = rng.IntN(memberSlots)
		o.members |= 1 << slot
	case memberRemoved:
		slot = nthSetBit(o.members, rng.IntN(bits.OnesCount8(o.members)))
		o.members &^= 1 << slot
	}
	return typ, slot
}

// nthSetBit is the position of the n-th (from 0) set bit of b.
func nthSetBit(b uint8, n int) int {
	for ; n > 0; n-- {
		b &= b - 1 // clear the lowest set bit
	}
	return bits.TrailingZeros8(b)
}

// devicesPerOrg is how many distinct devices an org's device events name.
const devicesPerOrg = 6

func writeEvents(rng *rand.Rand, cfg config, orgs []org, fd feed) error {
	jsonl, err := newOutput(cfg.out, fd.name+".jsonl")
	if err != nil {
		return err
	}
	csv, err := newOutput(cfg.out, fd.name+".csv")
	if err != nil {
		jsonl.f.Close()
		os.Remove(jsonl.f.Name())
		return err
	}
	csv.w.WriteString("id,org,type,at,email,device\n")

	// The feed is a platform's export: in time order, ids numbered in that
	// order. Event i falls in the i-th of n equal slices of the span, at a
	// random point of it, so times never go backwards and spread evenly.
	// (Every event is before now, so none is in the future.)
	span := int64(fd.span / time.Second)
	start := fd.start.Unix()
	n := int64(fd.n)

	var id, at, email, device, line []byte
	for i := range n {
		o := &orgs[rng.IntN(len(orgs))] // uniform: every org gets about events/orgs
		typ, slot := drawType(rng, o)
		unix := start + (i*span+rng.Int64N(span))/n

		id = appendPadded(append(id[:0], "evt_"...), fd.first+int(i), fd.idWidth)
		at = time.Unix(unix, 0).UTC().AppendFormat(at[:0], time.RFC3339)
		email, device = email[:0], device[:0]
		switch typ {
		case memberAdded, memberRemoved:
			// user3@acme-00042.example: one mailbox per person and org.
			email = strconv.AppendInt(append(email, "user"...), int64(slot), 10)
			email = append(email, '@')
			email = appendLower(email, o.ref)
			email = append(email, ".example"...)
		case deviceRegistered, deviceOnboarded, deviceProvisioned, deviceRemoved:
			device = strconv.AppendInt(append(device, "dev-"...), int64(rng.IntN(devicesPerOrg)), 10)
		}

		// Every value is letters, digits and -.@:_ only, so neither format
		// needs escaping or quoting.
		line = append(line[:0], `{"id":"`...)
		line = append(line, id...)
		line = append(line, `","org":"`...)
		line = append(line, o.ref...)
		line = append(line, `","type":"`...)
		line = append(line, typ...)
		line = append(line, `","at":"`...)
		line = append(line, at...)
		line = append(line, '"')
		if len(email) > 0 {
			line = append(line, `,"email":"`...)
			line = append(line, email...)
			line = append(line, '"')
		}
		if len(device) > 0 {
			line = append(line, `,"device":"`...)
			line = append(line, device...)
			line = append(line, '"')
		}
		line = append(line, "}\n"...)
		jsonl.w.Write(line)

		line = append(line[:0], id...)
		line = append(line, ',')
		line = append(line, o.ref...)
		line = append(line, ',')
		line = append(line, typ...)
		line = append(line, ',')
		line = append(line, at...)
		line = append(line, ',')
		line = append(line, email...)
		line = append(line, ',')
		line = append(line, device...)
		line = append(line, '\n')
		csv.w.Write(line)
	}
	return errors.Join(jsonl.close(), csv.close())
}

// appendPadded appends n in decimal, zero-padded to width digits.
func appendPadded(b []byte, n, width int) []byte {
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], int64(n), 10)
	for range width - len(d) {
		b = append(b, '0')
	}
	return append(b, d...)
}

// appendLower appends s with ASCII letters lower-cased.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// output is a file written through a large buffer: the feed is written in
// lines of about 100 bytes, and a million small writes would dominate. It is
// written under a temporary name and renamed into place by close, so a
// process still reading the previous file of that name (a profiling run, say)
// keeps reading whole bytes, and an interrupted run leaves no truncated file.
type output struct {
	f    *os.File
	w    *bufio.Writer
	path string // the final name
}

func newOutput(dir, name string) (*output, error) {
	path := filepath.Join(dir, name)
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return nil, err
	}
	return &output{f, bufio.NewWriterSize(f, 1<<20), path}, nil
}

// close flushes, closes and renames into place; a bufio.Writer keeps its
// first write error, so checking it here covers every Write before.
func (o *output) close() error {
	if err := errors.Join(o.w.Flush(), o.f.Close()); err != nil {
		os.Remove(o.f.Name())
		return err
	}
	return os.Rename(o.f.Name(), o.path)
}
