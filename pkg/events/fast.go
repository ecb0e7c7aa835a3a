package events

import (
	"bytes"
	"time"
	"unicode/utf8"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// Parser parses lines like Parse, faster: a feed of a million events spent
// more time in encoding/json than in the store. A line of the usual shape (a
// flat object of the known keys with plain string values and a "…Z" time)
// is read by a hand-written scanner; anything else — escapes, other keys,
// null, numbers, offsets, and every invalid line — goes to Parse, so results
// and error messages are exactly Parse's. It also interns org keys, which
// repeat across a feed. A Parser is not safe for concurrent use.
type Parser struct {
	// NoIntern: every event's Org is a string of its own and orgKey is 0,
	// for a caller that keeps its own table of orgs (the interning map
	// holds two pointers per org for the collector to mark).
	NoIntern bool
	orgs     map[string]internedOrg
}

type internedOrg struct {
	s   string
	key int
}

// maxInternedOrgs bounds the interning map, so memory stays flat on a feed
// of endless distinct (invalid) org keys.
const maxInternedOrgs = 1 << 19

// Parse validates one line; see the package function Parse.
func (p *Parser) Parse(line []byte) (Event, error) {
	e, _, err := p.ParseKeyed(line)
	return e, err
}

// ParseKeyed is Parse that also numbers the event's org: orgKey counts the
// distinct Org values this Parser has seen, from 1, so a caller can keep
// per-org state in a slice instead of a map. It is 0 once the Parser's
// table is full.
func (p *Parser) ParseKeyed(line []byte) (e Event, orgKey int, err error) {
	if e, key, ok := p.fast(line); ok {
		return e, key, nil
	}
	e, err = Parse(line)
	if err == nil {
		e.Org, orgKey = p.intern([]byte(e.Org))
	}
	return e, orgKey, err
}

const (
	fID = iota
	fOrg
	fType
	fAt
	fEmail
	fDevice
	fState
	nFields
)

var fieldNames = [nFields]string{"id", "org", "type", "at", "email", "device", "state"}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// plainString reads a JSON string without escapes starting at b[i] == '"';
// it returns the contents and the index after the closing quote.
func plainString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	i++
	start := i
	ascii := true
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			s := b[start:i]
			if !ascii && !utf8.Valid(s) {
				return nil, 0, false // encoding/json would replace bad bytes
			}
			return s, i + 1, true
		case c == '\\' || c < 0x20:
			return nil, 0, false
		case c >= 0x80:
			ascii = false
		}
	}
	return nil, 0, false
}

// fast returns ok only for a fully valid event it is sure Parse would
// return identically.
func (p *Parser) fast(b []byte) (Event, int, bool) {
	var f [nFields][]byte
	var have [nFields]bool
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return Event{}, 0, false
	}
	i = skipSpace(b, i+1)
	for {
		key, j, ok := plainString(b, i)
		if !ok {
			return Event{}, 0, false
		}
		k := -1
		for n, name := range fieldNames {
			if string(key) == name {
				k = n
				break
			}
		}
		if k < 0 {
			return Event{}, 0, false // other keys (or other spellings) take the slow path
		}
		i = skipSpace(b, j)
		if i >= len(b) || b[i] != ':' {
			return Event{}, 0, false
		}
		val, j, ok := plainString(b, skipSpace(b, i+1))
		if !ok {
			return Event{}, 0, false
		}
		f[k], have[k] = val, true
		i = skipSpace(b, j)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			break
		}
		return Event{}, 0, false
	}
	if skipSpace(b, i+1) != len(b) {
		return Event{}, 0, false
	}
	if !have[fID] || !have[fOrg] || !have[fType] || !have[fAt] ||
		len(bytes.TrimSpace(f[fID])) == 0 || len(f[fID]) > MaxIDLength || len(bytes.TrimSpace(f[fOrg])) == 0 ||
		len(f[fOrg]) > MaxOrgLength || len(f[fDevice]) > MaxDeviceLength || len(f[fEmail]) > MaxEmailLength {
		return Event{}, 0, false
	}
	var e Event
	for _, t := range Types {
		if string(f[fType]) == string(t) {
			e.Type = t
			break
		}
	}
	if e.Type == "" {
		return Event{}, 0, false
	}
	at, ok := parseUTC(f[fAt])
	if !ok {
		return Event{}, 0, false
	}
	e.At = at
	if have[fEmail] {
		e.Email = string(f[fEmail])
	}
	if have[fDevice] {
		e.Device = string(f[fDevice])
	}
	if have[fState] {
		e.State = string(f[fState])
	}
	switch {
	case e.Type == MemberAdded || e.Type == MemberRemoved:
		email, err := domain.ParseEmail(e.Email)
		if err != nil {
			return Event{}, 0, false
		}
		e.Email = email
	case e.Type.IsDevice():
		if len(bytes.TrimSpace(f[fDevice])) == 0 {
			return Event{}, 0, false
		}
		if e.Type == DeviceStateChanged && !ValidState(e.State) {
			return Event{}, 0, false
		}
	}
	e.ID = string(f[fID])
	var key int
	e.Org, key = p.intern(f[fOrg])
	return e, key, true
}

func (p *Parser) intern(b []byte) (string, int) {
	if p.NoIntern {
		return string(b), 0
	}
	if in, ok := p.orgs[string(b)]; ok {
		return in.s, in.key
	}
	s := string(b)
	if p.orgs == nil {
		p.orgs = map[string]internedOrg{}
	}
	if len(p.orgs) >= maxInternedOrgs {
		return s, 0
	}
	key := len(p.orgs) + 1
	p.orgs[s] = internedOrg{s, key}
	return s, key
}

// parseUTC reads exactly "YYYY-MM-DDTHH:MM:SSZ", checking every range that
// time.Parse checks; other RFC 3339 forms return !ok for time.Parse to judge.
func parseUTC(b []byte) (time.Time, bool) {
	if len(b) != 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[19] != 'Z' {
		return time.Time{}, false
	}
	num := func(lo, hi int) int {
		n := 0
		for _, c := range b[lo:hi] {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, sec := num(11, 13), num(14, 16), num(17, 19)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
		minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	if day > daysIn(time.Month(month), year) {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	return t, InTimeRange(t)
}

func daysIn(m time.Month, year int) int {
	if m == time.February {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 31 - int((m-1)%7%2)
}
