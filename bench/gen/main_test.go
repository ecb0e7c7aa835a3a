package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func generateSmall(t *testing.T, seed uint64) string {
	t.Helper()
	dir := t.TempDir()
	if err := generate(config{orgs: 300, events: 5000, seed: seed, now: testNow, out: dir}); err != nil {
		t.Fatal(err)
	}
	return dir
}

var files = []string{"orgs.csv", "events.jsonl", "events.csv"}

func read(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSameSeedSameBytes(t *testing.T) {
	a, b, other := generateSmall(t, 7), generateSmall(t, 7), generateSmall(t, 8)
	for _, name := range files {
		if !bytes.Equal(read(t, a, name), read(t, b, name)) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
		if bytes.Equal(read(t, a, name), read(t, other, name)) {
			t.Errorf("%s is the same for seeds 7 and 8", name)
		}
	}
}

// event is a line of events.jsonl; unknown keys are an error.
type event struct {
	ID     string `json:"id"`
	Org    string `json:"org"`
	Type   string `json:"type"`
	At     string `json:"at"`
	Email  string `json:"email"`
	Device string `json:"device"`
}

func TestOrgsAndEventsAreValidAndUnique(t *testing.T) {
	dir := generateSmall(t, 7)

	orgRows, err := csv.NewReader(bytes.NewReader(read(t, dir, "orgs.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(orgRows[0], ","); got != "name,ref_id" {
		t.Fatalf("orgs.csv header %q", got)
	}
	if len(orgRows) != 301 {
		t.Fatalf("orgs.csv has %d rows, want 300 and a header", len(orgRows)-1)
	}
	names, refs := map[string]bool{}, map[string]bool{}
	for _, row := range orgRows[1:] {
		name, ref := row[0], row[1]
		if names[strings.ToLower(name)] || refs[ref] {
			t.Fatalf("duplicate org %q / %q", name, ref)
		}
		names[strings.ToLower(name)], refs[ref] = true, true
		// "Acme Logistics 00042" goes with "ACME-00042".
		words := strings.Fields(name)
		if len(words) != 3 || ref != strings.ToUpper(words[0])+"-"+words[2] {
			t.Fatalf("name %q and ref %q don't match", name, ref)
		}
	}

	csvRows, err := csv.NewReader(bytes.NewReader(read(t, dir, "events.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(csvRows[0], ","); got != "id,org,type,at,email,device" {
		t.Fatalf("events.csv header %q", got)
	}
	csvRows = csvRows[1:]

	known := map[string]bool{}
	for _, m := range mix {
		known[m.typ] = true
	}
	ids := map[string]bool{}
	var prev time.Time
	// What the feed has given each org so far: it must never remove what is
	// not there (see drawType).
	knowledge, integrations := map[string]int{}, map[string]int{}
	members := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(read(t, dir, "events.jsonl")))
	n := 0
	for ; sc.Scan(); n++ {
		var e event
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		if ids[e.ID] || !strings.HasPrefix(e.ID, "evt_") {
			t.Fatalf("line %d: id %q repeated or not evt_…", n+1, e.ID)
		}
		ids[e.ID] = true
		if !refs[e.Org] {
			t.Fatalf("line %d: org %q is not in orgs.csv", n+1, e.Org)
		}
		if !known[e.Type] {
			t.Fatalf("line %d: type %q", n+1, e.Type)
		}
		at, err := time.Parse(time.RFC3339, e.At)
		if err != nil || at.Before(testNow.Add(-feedSpan)) || !at.Before(testNow) || at.Before(prev) {
			t.Fatalf("line %d: at %q out of range or before the previous line", n+1, e.At)
		}
		prev = at
		isMember := strings.HasPrefix(e.Type, "member.")
		isDevice := strings.HasPrefix(e.Type, "device.")
		if isMember != (e.Email != "") || isDevice != (e.Device != "") {
			t.Fatalf("line %d: email/device present on the wrong type: %+v", n+1, e)
		}
		switch key := e.Org + " " + e.Email; e.Type {
		case knowledgeAdded:
			knowledge[e.Org]++
		case knowledgeRemoved:
			knowledge[e.Org]--
		case integrationConnected:
			integrations[e.Org]++
		case integrationDisconnected:
			integrations[e.Org]--
		case memberAdded:
			members[key] = true
		case memberRemoved:
			if !members[key] {
				t.Fatalf("line %d: removes %s, who is not a member", n+1, key)
			}
			delete(members, key)
		}
		if knowledge[e.Org] < 0 || integrations[e.Org] < 0 {
			t.Fatalf("line %d: takes a counter of %s below zero", n+1, e.Org)
		}

		if n >= len(csvRows) {
			t.Fatalf("events.csv has fewer rows than events.jsonl")
		}
		want := []string{e.ID, e.Org, e.Type, e.At, e.Email, e.Device}
		if got := csvRows[n]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("events.csv row %d is %q, events.jsonl line says %q", n+1, got, want)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 5000 || len(csvRows) != 5000 {
		t.Fatalf("%d JSON lines and %d CSV rows, want 5000 each", n, len(csvRows))
	}
	// Every type of the mix shows up in 5,000 events.
	seen := map[string]bool{}
	for _, row := range csvRows {
		seen[row[2]] = true
	}
	for typ := range known {
		if !seen[typ] {
			t.Errorf("no %s event in 5000", typ)
		}
	}
}

func TestNthSetBit(t *testing.T) {
	for _, c := range []struct {
		b       uint8
		n, want int
	}{
		{0b0000_0001, 0, 0}, {0b1010_0100, 0, 2}, {0b1010_0100, 1, 5}, {0b1010_0100, 2, 7},
	} {
		if got := nthSetBit(c.b, c.n); got != c.want {
			t.Errorf("nthSetBit(%08b, %d) = %d, want %d", c.b, c.n, got, c.want)
		}
	}
}

// TestGolden pins the exact bytes of a tiny data set: the same flags must
// give the same bytes from one build to the next, or figures of different
// runs would not be about the same data. A deliberate change of the data
// updates these, and bench/README.md's figures are then re-measured.
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	if err := generate(config{orgs: 3, events: 12, seed: 1, now: testNow, out: dir}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"orgs.csv": `name,ref_id
Umbrella Solar 00001,UMBRELLA-00001
Soylent Catering 00002,SOYLENT-00002
Aperture Legal 00003,APERTURE-00003
`,
		"events.jsonl": `{"id":"evt_0000000001","org":"UMBRELLA-00001","type":"session.started","at":"2026-07-27T21:32:49Z"}
{"id":"evt_0000000002","org":"UMBRELLA-00001","type":"knowledge.added","at":"2026-08-06T21:57:27Z"}
{"id":"evt_0000000003","org":"SOYLENT-00002","type":"session.started","at":"2026-08-23T03:40:51Z"}
{"id":"evt_0000000004","org":"APERTURE-00003","type":"device.onboarded","at":"2026-08-25T13:37:38Z","device":"dev-0"}
{"id":"evt_0000000005","org":"SOYLENT-00002","type":"session.started","at":"2026-09-12T12:41:33Z"}
{"id":"evt_0000000006","org":"UMBRELLA-00001","type":"contact.created","at":"2026-09-16T06:26:26Z"}
{"id":"evt_0000000007","org":"UMBRELLA-00001","type":"session.started","at":"2026-10-03T18:13:44Z"}
{"id":"evt_0000000008","org":"UMBRELLA-00001","type":"session.started","at":"2026-10-05T02:44:58Z"}
{"id":"evt_0000000009","org":"UMBRELLA-00001","type":"member.added","at":"2026-10-14T14:09:31Z","email":"user0@umbrella-00001.example"}
{"id":"evt_0000000010","org":"SOYLENT-00002","type":"message.sent","at":"2026-10-28T04:23:17Z"}
{"id":"evt_0000000011","org":"SOYLENT-00002","type":"session.started","at":"2026-11-12T16:59:10Z"}
{"id":"evt_0000000012","org":"APERTURE-00003","type":"device.registered","at":"2026-11-18T22:29:20Z","device":"dev-0"}
`,
		"events.csv": `id,org,type,at,email,device
evt_0000000001,UMBRELLA-00001,session.started,2026-07-27T21:32:49Z,,
evt_0000000002,UMBRELLA-00001,knowledge.added,2026-08-06T21:57:27Z,,
evt_0000000003,SOYLENT-00002,session.started,2026-08-23T03:40:51Z,,
evt_0000000004,APERTURE-00003,device.onboarded,2026-08-25T13:37:38Z,,dev-0
evt_0000000005,SOYLENT-00002,session.started,2026-09-12T12:41:33Z,,
evt_0000000006,UMBRELLA-00001,contact.created,2026-09-16T06:26:26Z,,
evt_0000000007,UMBRELLA-00001,session.started,2026-10-03T18:13:44Z,,
evt_0000000008,UMBRELLA-00001,session.started,2026-10-05T02:44:58Z,,
evt_0000000009,UMBRELLA-00001,member.added,2026-10-14T14:09:31Z,user0@umbrella-00001.example,
evt_0000000010,SOYLENT-00002,message.sent,2026-10-28T04:23:17Z,,
evt_0000000011,SOYLENT-00002,session.started,2026-11-12T16:59:10Z,,
evt_0000000012,APERTURE-00003,device.registered,2026-11-18T22:29:20Z,,dev-0
`,
	}
	for _, name := range files {
		if got := string(read(t, dir, name)); got != want[name] {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got, want[name])
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(files) {
		t.Errorf("%d files in the folder, want only %v (a temporary file left behind?)", len(entries), files)
	}
}

// TestRewriteKeepsReadersWhole: generating again into a folder replaces its
// files by renaming, so a process still reading the previous events.jsonl
// reads it to its end, unchanged, instead of a truncated, half-rewritten file.
func TestRewriteKeepsReadersWhole(t *testing.T) {
	dir := t.TempDir()
	small := config{orgs: 10, events: 100, seed: 1, now: testNow, out: dir}
	if err := generate(small); err != nil {
		t.Fatal(err)
	}
	before := read(t, dir, "events.jsonl")
	f, err := os.Open(filepath.Join(dir, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	other := small
	other.seed = 2
	if err := generate(other); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := got.ReadFrom(f); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), before) {
		t.Error("a reader of the previous events.jsonl saw it change")
	}
	if bytes.Equal(read(t, dir, "events.jsonl"), before) {
		t.Error("events.jsonl was not rewritten for the other seed")
	}
}

func TestGenerateRefusesBadSizes(t *testing.T) {
	for _, c := range []config{{orgs: 0, events: 10}, {orgs: 10, events: -1}, {orgs: 10, events: 10, daily: -1}} {
		c.now, c.out = testNow, t.TempDir()
		if err := generate(c); err == nil {
			t.Errorf("generate(orgs %d, events %d, daily %d) = nil, want an error", c.orgs, c.events, c.daily)
		}
	}
}

// TestDailyFeedContinuesTheFeed: -daily adds the next day's events after the
// feed, changing none of the other files, with ids numbered on and times in
// the last 24 hours; removals still never take an org below zero across
// both feeds.
func TestDailyFeedContinuesTheFeed(t *testing.T) {
	plain, withDaily := t.TempDir(), t.TempDir()
	base := config{orgs: 300, events: 5000, seed: 7, now: testNow, out: plain}
	if err := generate(base); err != nil {
		t.Fatal(err)
	}
	daily := base
	daily.daily, daily.out = 2000, withDaily
	if err := generate(daily); err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if !bytes.Equal(read(t, plain, name), read(t, withDaily, name)) {
			t.Errorf("%s changed when -daily was given", name)
		}
	}
	if _, err := os.Stat(filepath.Join(plain, "daily.jsonl")); !os.IsNotExist(err) {
		t.Errorf("daily.jsonl written without -daily (stat: %v)", err)
	}

	lines := strings.Split(strings.TrimSuffix(string(read(t, withDaily, "daily.jsonl")), "\n"), "\n")
	csvRows, err := csv.NewReader(bytes.NewReader(read(t, withDaily, "daily.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2000 || len(csvRows) != 2001 {
		t.Fatalf("%d JSON lines and %d CSV rows, want 2000 and a header", len(lines), len(csvRows)-1)
	}
	// Both feeds in order: the counters an org has must never go below zero.
	feedLines := append(strings.Split(strings.TrimSuffix(string(read(t, withDaily, "events.jsonl")), "\n"), "\n"), lines...)
	knowledge, integrations, members := map[string]int{}, map[string]int{}, map[string]bool{}
	for i, line := range feedLines {
		var e event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if want := fmt.Sprintf("evt_%010d", i+1); e.ID != want {
			t.Fatalf("line %d: id %q, want %q", i+1, e.ID, want)
		}
		if i >= 5000 {
			at, err := time.Parse(time.RFC3339, e.At)
			if err != nil || at.Before(testNow.Add(-24*time.Hour)) || !at.Before(testNow) {
				t.Fatalf("daily line %d: at %q not in the last 24 hours", i+1-5000, e.At)
			}
			if got, want := strings.Join(csvRows[i-5000+1], ","), strings.Join([]string{e.ID, e.Org, e.Type, e.At, e.Email, e.Device}, ","); got != want {
				t.Fatalf("daily.csv row %d is %q, daily.jsonl says %q", i+1-5000, got, want)
			}
		}
		key := e.Org + " " + e.Email
		switch e.Type {
		case knowledgeAdded:
			knowledge[e.Org]++
		case knowledgeRemoved:
			knowledge[e.Org]--
		case integrationConnected:
			integrations[e.Org]++
		case integrationDisconnected:
			integrations[e.Org]--
		case memberAdded:
			members[key] = true
		case memberRemoved:
			if !members[key] {
				t.Fatalf("line %d: removes %s, who is not a member", i+1, key)
			}
			delete(members, key)
		}
		if knowledge[e.Org] < 0 || integrations[e.Org] < 0 {
			t.Fatalf("line %d: takes a counter of %s below zero", i+1, e.Org)
		}
	}
}
