package boltstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// Org records are stored in a compact binary form: at partner scale (100k
// orgs, events touching most of them in every import batch) decoding and
// encoding JSON was a third of an import's CPU and made the file twice as
// large. The layout, after a version byte:
//
//	name, ref_id, id (uvarint length + bytes; name and ref first so a search
//	can stop after them), seq, flags (admin, ai_trained, deleted, last
//	active, created zero), created_at, [deleted_at], [last_active_at] (unix
//	seconds varint + nanoseconds uvarint), users, data_sources,
//	integrations, sessions_total, messages, subscribers, devices total,
//	registered, onboarded, provisioned (uvarints), then the session days
//	(count, then day delta varint + count uvarint each).
//
// A record starting with '{' is the JSON form of earlier builds and is still
// read, so a store written before this codec keeps working.
const orgCodecV1 = 1

const (
	orgFlagAdmin = 1 << iota
	orgFlagAITrained
	orgFlagDeleted
	orgFlagLastActive
	orgFlagCreatedZero
)

var errCorruptOrg = errors.New("corrupt org record in store")

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

func appendCount(b []byte, n int) []byte {
	if n < 0 {
		n = 0 // counters never go below zero
	}
	return binary.AppendUvarint(b, uint64(n))
}

// encodeOrg appends o's binary record to b.
func encodeOrg(b []byte, o *domain.Org) []byte {
	b = append(b, orgCodecV1)
	b = appendString(b, o.Name)
	b = appendString(b, o.RefID)
	b = appendString(b, o.ID)
	b = binary.AppendUvarint(b, o.Seq)
	var flags byte
	if o.Admin {
		flags |= orgFlagAdmin
	}
	if o.AITrained {
		flags |= orgFlagAITrained
	}
	if o.DeletedAt != nil {
		flags |= orgFlagDeleted
	}
	if o.LastActiveAt != nil {
		flags |= orgFlagLastActive
	}
	if o.CreatedAt.IsZero() {
		flags |= orgFlagCreatedZero
	}
	b = append(b, flags)
	if !o.CreatedAt.IsZero() {
		b = appendTime(b, o.CreatedAt)
	}
	if o.DeletedAt != nil {
		b = appendTime(b, *o.DeletedAt)
	}
	if o.LastActiveAt != nil {
		b = appendTime(b, *o.LastActiveAt)
	}
	for _, n := range [...]int{o.Users, o.DataSources, o.Integrations, o.SessionsTotal, o.Messages,
		o.Subscribers, o.Devices.Total, o.Devices.Registered, o.Devices.Onboarded, o.Devices.Provisioned} {
		b = appendCount(b, n)
	}
	b = binary.AppendUvarint(b, uint64(len(o.SessionDays)))
	prev := int32(0)
	for _, d := range o.SessionDays {
		b = binary.AppendVarint(b, int64(d.Day-prev))
		b = binary.AppendUvarint(b, uint64(d.Count))
		prev = d.Day
	}
	return b
}

// orgReader walks a binary record; the first error sticks.
type orgReader struct {
	b   []byte
	bad bool
}

func (r *orgReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *orgReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *orgReader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *orgReader) byte() byte {
	if len(r.b) == 0 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *orgReader) time() time.Time {
	s := r.varint()
	ns := r.uvarint()
	if ns >= 1e9 {
		r.bad = true
	}
	return time.Unix(s, int64(ns)).UTC()
}

func (r *orgReader) count() int {
	v := r.uvarint()
	if v > 1<<62 {
		r.bad = true
	}
	return int(v)
}

// decodeOrg reads a record written by encodeOrg (or the JSON of earlier
// builds) into o, reusing o.SessionDays' storage. Strings are copied: the
// record's bytes belong to the transaction.
func decodeOrg(raw []byte, o *domain.Org) error {
	if len(raw) > 0 && raw[0] == '{' {
		*o = domain.Org{}
		return jsonUnmarshal(raw, o)
	}
	if len(raw) == 0 || raw[0] != orgCodecV1 {
		return fmt.Errorf("%w: unknown format", errCorruptOrg)
	}
	days := o.SessionDays[:0]
	*o = domain.Org{}
	r := orgReader{b: raw[1:]}
	o.Name = string(r.bytes())
	o.RefID = string(r.bytes())
	o.ID = string(r.bytes())
	o.Seq = r.uvarint()
	flags := r.byte()
	o.Admin = flags&orgFlagAdmin != 0
	o.AITrained = flags&orgFlagAITrained != 0
	if flags&orgFlagCreatedZero == 0 {
		o.CreatedAt = r.time()
	}
	if flags&orgFlagDeleted != 0 {
		t := r.time()
		o.DeletedAt = &t
	}
	if flags&orgFlagLastActive != 0 {
		t := r.time()
		o.LastActiveAt = &t
	}
	o.Users = r.count()
	o.DataSources = r.count()
	o.Integrations = r.count()
	o.SessionsTotal = r.count()
	o.Messages = r.count()
	o.Subscribers = r.count()
	o.Devices.Total = r.count()
	o.Devices.Registered = r.count()
	o.Devices.Onboarded = r.count()
	o.Devices.Provisioned = r.count()
	n := r.uvarint()
	if n > uint64(len(r.b)) { // each day takes at least two bytes
		return fmt.Errorf("%w: bad session days", errCorruptOrg)
	}
	day := int32(0)
	for i := uint64(0); i < n && !r.bad; i++ {
		day += int32(r.varint())
		days = append(days, domain.DayCount{Day: day, Count: int32(r.uvarint())})
	}
	if len(days) > 0 {
		o.SessionDays = days
	}
	if r.bad || len(r.b) != 0 {
		return errCorruptOrg
	}
	return nil
}

// orgNameRef reads only the name and ref of a record, without copying: for
// filters that reject most orgs before a full decode.
func orgNameRef(raw []byte) (name, ref []byte, ok bool) {
	if len(raw) == 0 || raw[0] != orgCodecV1 {
		return nil, nil, false
	}
	r := orgReader{b: raw[1:]}
	name = r.bytes()
	ref = r.bytes()
	return name, ref, !r.bad
}

// orgIdentity is the prefix of a binary record that PutOrg's index upkeep
// depends on: name, ref, id and seq, and the flags byte's admin and deleted
// bits (the rest of the flags may differ). ok is false for JSON records and
// damaged ones.
func orgIdentity(raw []byte) (prefix []byte, flags byte, ok bool) {
	if len(raw) == 0 || raw[0] != orgCodecV1 {
		return nil, 0, false
	}
	r := orgReader{b: raw[1:]}
	r.bytes() // name
	r.bytes() // ref
	r.bytes() // id
	r.uvarint()
	if r.bad || len(r.b) == 0 {
		return nil, 0, false
	}
	n := len(raw) - len(r.b)
	return raw[:n], raw[n] & (orgFlagAdmin | orgFlagDeleted), true
}
