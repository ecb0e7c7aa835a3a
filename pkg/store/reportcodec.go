package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// A report state covers every org, so it is saved once a run and read once
// the next: as one value, in a compact binary form any backend can keep
// (a bbolt value, a bytea column). At 100,000 orgs it is about 400 KB.
//
// The layout, after a version byte:
//
//	at: flag byte (1 set, 0 zero), then unix seconds varint + nanoseconds uvarint
//	fields: count, then each string
//	dictionary: count, then each distinct org value (a handful: statuses)
//	orgs: count, then each id front-coded against the previous one (shared
//	prefix length uvarint, suffix string), then one dictionary index
//	(uvarint) per field
//	licenses: count, then each id front-coded, end (as at, without the
//	flag), expired byte
//
// Strings are a uvarint length and the bytes. Ids of orgs listed in
// creation order share all but their last digits, so an org costs about
// four bytes.
const reportCodecV1 = 1

var errCorruptReport = errors.New("corrupt report state")

// EncodeReportState appends s's compact encoding to b. Every org must have
// one value per field.
func EncodeReportState(b []byte, s domain.ReportState) ([]byte, error) {
	b = append(b, reportCodecV1)
	if s.At.IsZero() {
		b = append(b, 0)
	} else {
		b = appendReportTime(append(b, 1), s.At)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Fields)))
	for _, f := range s.Fields {
		b = appendReportString(b, f)
	}
	var dict reportDict
	for _, o := range s.Orgs {
		if len(o.Values) != len(s.Fields) {
			return nil, fmt.Errorf("report state: org %s has %d values for %d fields", o.ID, len(o.Values), len(s.Fields))
		}
		for _, v := range o.Values {
			dict.index(v)
		}
	}
	words := dict.words
	b = binary.AppendUvarint(b, uint64(len(words)))
	for _, w := range words {
		b = appendReportString(b, w)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Orgs)))
	prev := ""
	for _, o := range s.Orgs {
		b = appendFrontCoded(b, prev, o.ID)
		prev = o.ID
		for _, v := range o.Values {
			b = binary.AppendUvarint(b, dict.index(v))
		}
	}
	b = binary.AppendUvarint(b, uint64(len(s.Licenses)))
	prev = ""
	for _, l := range s.Licenses {
		b = appendFrontCoded(b, prev, l.ID)
		prev = l.ID
		b = appendReportTime(b, l.End)
		expired := byte(0)
		if l.Expired {
			expired = 1
		}
		b = append(b, expired)
	}
	return b, nil
}

// reportDict numbers distinct values in order of appearance. There are a
// handful (the statuses), which a scan finds faster than a map; the map
// takes over if a field ever has many.
type reportDict struct {
	words   []string
	byValue map[string]uint64
}

func (d *reportDict) index(v string) uint64 {
	if d.byValue == nil {
		for i, w := range d.words {
			if w == v {
				return uint64(i)
			}
		}
		if len(d.words) < 16 {
			d.words = append(d.words, v)
			return uint64(len(d.words) - 1)
		}
		d.byValue = make(map[string]uint64, 2*len(d.words))
		for i, w := range d.words {
			d.byValue[w] = uint64(i)
		}
	}
	if i, ok := d.byValue[v]; ok {
		return i
	}
	d.byValue[v] = uint64(len(d.words))
	d.words = append(d.words, v)
	return uint64(len(d.words) - 1)
}

func appendReportString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendReportTime(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

func appendFrontCoded(b []byte, prev, id string) []byte {
	n := 0
	for n < len(prev) && n < len(id) && prev[n] == id[n] {
		n++
	}
	b = binary.AppendUvarint(b, uint64(n))
	return appendReportString(b, id[n:])
}

// DecodeReportState reads what EncodeReportState wrote. Times come back in
// UTC. Damaged input is an error, never a panic or a huge allocation.
func DecodeReportState(raw []byte) (domain.ReportState, error) {
	var s domain.ReportState
	d := reportDecoder{raw: raw}
	if v := d.byte(); v != reportCodecV1 {
		if d.err == nil {
			d.err = fmt.Errorf("%w: unknown version %d", errCorruptReport, v)
		}
		return s, d.err
	}
	if d.byte() == 1 {
		s.At = d.time()
	}
	nFields := d.count(1)
	for range nFields {
		s.Fields = append(s.Fields, d.string())
	}
	nWords := d.count(1)
	words := make([]string, 0, nWords)
	for range nWords {
		words = append(words, d.string())
	}
	// Each org takes at least two bytes and one per field.
	nOrgs := d.count(2 + nFields)
	if d.err != nil {
		return domain.ReportState{}, d.err
	}
	s.Orgs = make([]domain.ReportOrg, nOrgs)
	values := make([]string, nOrgs*nFields)
	ids := d.frontCoded(nOrgs, func(i int) {
		vs := values[i*nFields : (i+1)*nFields : (i+1)*nFields]
		for j := range vs {
			k := d.uvarint()
			if k >= uint64(len(words)) {
				d.fail("value %d of %d", k, len(words))
				return
			}
			vs[j] = words[k]
		}
		if nFields > 0 {
			s.Orgs[i].Values = vs
		}
	})
	for i, id := range ids {
		s.Orgs[i].ID = id
	}
	nLicenses := d.count(5)
	if d.err != nil {
		return domain.ReportState{}, d.err
	}
	s.Licenses = make([]domain.ReportLicense, nLicenses)
	ids = d.frontCoded(nLicenses, func(i int) {
		s.Licenses[i].End = d.time()
		s.Licenses[i].Expired = d.byte() == 1
	})
	for i, id := range ids {
		s.Licenses[i].ID = id
	}
	if d.err == nil && len(d.raw) > 0 {
		d.fail("%d trailing bytes", len(d.raw))
	}
	if d.err != nil {
		return domain.ReportState{}, d.err
	}
	if len(s.Orgs) == 0 {
		s.Orgs = nil
	}
	if len(s.Licenses) == 0 {
		s.Licenses = nil
	}
	return s, nil
}

type reportDecoder struct {
	raw []byte
	err error
}

func (d *reportDecoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{errCorruptReport}, args...)...)
	}
	d.raw = nil
}

func (d *reportDecoder) byte() byte {
	if len(d.raw) == 0 {
		d.fail("truncated")
		return 0
	}
	b := d.raw[0]
	d.raw = d.raw[1:]
	return b
}

func (d *reportDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.raw)
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.raw = d.raw[n:]
	return v
}

// count reads a count of items that take at least min bytes each, refusing
// one the rest of the input can't hold.
func (d *reportDecoder) count(min int) int {
	n := d.uvarint()
	if n > uint64(len(d.raw)/min) {
		d.fail("count %d exceeds the data", n)
		return 0
	}
	return int(n)
}

func (d *reportDecoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.raw)) {
		d.fail("string of %d bytes exceeds the data", n)
		return nil
	}
	b := d.raw[:n]
	d.raw = d.raw[n:]
	return b
}

func (d *reportDecoder) string() string { return string(d.bytes()) }

func (d *reportDecoder) time() time.Time {
	sec := int64(0)
	if v, n := binary.Varint(d.raw); n > 0 {
		sec, d.raw = v, d.raw[n:]
	} else {
		d.fail("bad time")
	}
	nsec := d.uvarint()
	if nsec >= 1e9 {
		d.fail("bad nanoseconds")
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

// frontCoded reads n front-coded ids, calling each after its id, and
// returns the ids as substrings of one string (one allocation for all).
func (d *reportDecoder) frontCoded(n int, each func(i int)) []string {
	arena := make([]byte, 0, 16*n)
	ends := make([]int, n)
	prevStart, prevEnd := 0, 0
	for i := range n {
		shared := d.uvarint()
		suffix := d.bytes()
		if shared > uint64(prevEnd-prevStart) {
			d.fail("id shares %d bytes of a %d-byte one", shared, prevEnd-prevStart)
		}
		if d.err != nil {
			return nil
		}
		start := len(arena)
		arena = append(arena, arena[prevStart:prevStart+int(shared)]...)
		arena = append(arena, suffix...)
		prevStart, prevEnd = start, len(arena)
		ends[i] = prevEnd
		if each(i); d.err != nil {
			return nil
		}
	}
	all := string(arena)
	ids := make([]string, n)
	start := 0
	for i, end := range ends {
		ids[i] = all[start:end]
		start = end
	}
	return ids
}
