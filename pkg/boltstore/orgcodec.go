package boltstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// Org records are stored in a compact binary form: at partner scale (100k
// orgs, events touching most of them in every import batch) decoding and
// encoding JSON was a third of an import's CPU and made the file twice as
// large. The layout of version 2, after its version byte:
//
//	name, ref_id, shortcode, enterprise_name, customer_name, contact_email,
//	address, language, logo_url, id (uvarint length + bytes each; name, ref
//	and shortcode first so a search can stop after them, and everything
//	PutOrg's fast path must see unchanged before the seq), seq, flags
//	(admin, ai_trained, deleted, last active, created zero, and the link
//	status in two bits), created_at, [deleted_at], [last_active_at] (unix
//	seconds varint + nanoseconds uvarint), users, data_sources,
//	integrations, sessions_total, messages, subscribers, devices total,
//	registered, onboarded, provisioned (uvarints), then the session days
//	(count, then day delta varint + count uvarint each).
//
// Version 1 (schema 2) had no tenant fields and no link status: name,
// ref_id, id, seq, flags, then the same tail. A record starting with '{' is
// the JSON form of still earlier builds. Both are still read, so a store
// written before this codec keeps working; records are rewritten as
// version 2 when they next change.
const (
	orgCodecV1 = 1
	orgCodecV2 = 2
)

const (
	orgFlagAdmin = 1 << iota
	orgFlagAITrained
	orgFlagDeleted
	orgFlagLastActive
	orgFlagCreatedZero
	orgFlagLinkLow // the link status: 0 "", 1 accepted, 2 pending, 3 rejected
	orgFlagLinkHigh

	orgFlagsLink     = orgFlagLinkLow | orgFlagLinkHigh
	orgLinkShift     = 5
	orgFlagsIdentity = orgFlagAdmin | orgFlagDeleted | orgFlagsLink
)

// linkCodes are the link statuses a record can hold, by their two-bit code.
var linkCodes = [4]domain.LinkStatus{"", domain.LinkAccepted, domain.LinkPending, domain.LinkRejected}

// linkCode is s's two-bit code; ok is false for a status the codec can't hold.
func linkCode(s domain.LinkStatus) (byte, bool) {
	for i, c := range linkCodes {
		if c == s {
			return byte(i), true
		}
	}
	return 0, false
}

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

// encodeOrg appends o's binary record to b. A link status outside
// domain.LinkStatuses is stored as ""; PutOrg refuses one before encoding.
func encodeOrg(b []byte, o *domain.Org) []byte {
	b = append(b, orgCodecV2)
	t := &o.Tenant
	for _, s := range [...]string{o.Name, o.RefID, t.Shortcode, t.EnterpriseName, t.CustomerName,
		t.ContactEmail, t.Address, t.Language, t.LogoURL, o.ID} {
		b = appendString(b, s)
	}
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
	link, _ := linkCode(o.LinkStatus)
	flags |= link << orgLinkShift
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

// strings reads one string per field, copied out of the record into one
// allocation shared by them all: listing every org decoded a hundred
// thousand records, and a string each was most of its allocations.
func (r *orgReader) strings(fields ...*string) {
	var parts [16][]byte
	total := 0
	for i := range fields {
		parts[i] = r.bytes()
		total += len(parts[i])
	}
	if r.bad || total == 0 {
		return
	}
	var all strings.Builder
	all.Grow(total)
	for i := range fields {
		all.Write(parts[i])
	}
	s := all.String()
	for i, f := range fields {
		*f, s = s[:len(parts[i])], s[len(parts[i]):]
	}
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

// decodeOrg reads a record written by encodeOrg (or by earlier builds)
// into o, reusing o.SessionDays' storage. Strings are copied: the record's
// bytes belong to the transaction.
func decodeOrg(raw []byte, o *domain.Org) error {
	if len(raw) > 0 && raw[0] == '{' {
		*o = domain.Org{}
		return jsonUnmarshal(raw, o)
	}
	if len(raw) == 0 || (raw[0] != orgCodecV1 && raw[0] != orgCodecV2) {
		return fmt.Errorf("%w: unknown format", errCorruptOrg)
	}
	// A borrowed org (store.OrgQuery.Borrow) is decoded into again: its
	// slice and last-active time are reused, not allocated per org.
	days, lastActive := o.SessionDays[:0], o.LastActiveAt
	*o = domain.Org{}
	r := orgReader{b: raw[1:]}
	t := &o.Tenant
	if raw[0] == orgCodecV2 {
		r.strings(&o.Name, &o.RefID, &t.Shortcode, &t.EnterpriseName, &t.CustomerName,
			&t.ContactEmail, &t.Address, &t.Language, &t.LogoURL, &o.ID)
	} else {
		r.strings(&o.Name, &o.RefID, &o.ID)
	}
	o.Seq = r.uvarint()
	flags := r.byte()
	o.Admin = flags&orgFlagAdmin != 0
	o.AITrained = flags&orgFlagAITrained != 0
	if raw[0] == orgCodecV1 && flags&orgFlagsLink != 0 {
		r.bad = true
	}
	o.LinkStatus = linkCodes[(flags&orgFlagsLink)>>orgLinkShift]
	if flags&orgFlagCreatedZero == 0 {
		o.CreatedAt = r.time()
	}
	if flags&orgFlagDeleted != 0 {
		t := r.time()
		o.DeletedAt = &t
	}
	if flags&orgFlagLastActive != 0 {
		if lastActive == nil {
			lastActive = new(time.Time)
		}
		*lastActive = r.time()
		o.LastActiveAt = lastActive
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
	if uint64(cap(days)) < n {
		days = make([]domain.DayCount, 0, n) // one allocation, not one per doubling
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

// orgSearchFields reads only the name, ref and shortcode of a record,
// without copying: for searches that reject most orgs before a full
// decode. A version 1 record has no shortcode (nil).
func orgSearchFields(raw []byte) (name, ref, shortcode []byte, ok bool) {
	if len(raw) == 0 || (raw[0] != orgCodecV1 && raw[0] != orgCodecV2) {
		return nil, nil, nil, false
	}
	r := orgReader{b: raw[1:]}
	name = r.bytes()
	ref = r.bytes()
	if raw[0] == orgCodecV2 {
		shortcode = r.bytes()
	}
	return name, ref, shortcode, !r.bad
}

// orgRecordID is the id a binary org record holds, the last of its
// strings; ok is false for JSON records and damaged ones.
func orgRecordID(raw []byte) (id []byte, ok bool) {
	if len(raw) == 0 || (raw[0] != orgCodecV1 && raw[0] != orgCodecV2) {
		return nil, false
	}
	fields := 3 // name, ref, id
	if raw[0] == orgCodecV2 {
		fields = 10
	}
	r := orgReader{b: raw[1:]}
	for range fields - 1 {
		r.bytes()
	}
	id = r.bytes()
	return id, !r.bad
}

// orgSeqOfID is the sequence an org id names when it was made as the
// console makes them, "org_" and the sequence in decimal digits.
func orgSeqOfID(id string) (uint64, bool) {
	digits, ok := strings.CutPrefix(id, "org_")
	if !ok || len(digits) == 0 || len(digits) > 19 {
		return 0, false
	}
	var seq uint64
	for i := range len(digits) {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		seq = seq*10 + uint64(c-'0')
	}
	return seq, true
}

// orgIdentity is the prefix of a binary record that PutOrg's index upkeep
// and PutOrgCounters' fast path depend on — everything up to the seq:
// name, ref, the tenant fields, id and seq — and the flags byte's admin,
// deleted and link status bits (the rest of the flags may differ). ok is
// false for JSON records and damaged ones.
func orgIdentity(raw []byte) (prefix []byte, flags byte, ok bool) {
	if len(raw) == 0 || (raw[0] != orgCodecV1 && raw[0] != orgCodecV2) {
		return nil, 0, false
	}
	fields := 3 // name, ref, id
	if raw[0] == orgCodecV2 {
		fields = 10
	}
	r := orgReader{b: raw[1:]}
	for range fields {
		r.bytes()
	}
	r.uvarint()
	if r.bad || len(r.b) == 0 {
		return nil, 0, false
	}
	n := len(raw) - len(r.b)
	return raw[:n], raw[n] & orgFlagsIdentity, true
}
