package boltstore

import (
	"encoding/binary"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

func fullOrg() domain.Org {
	created := time.Date(2025, 3, 4, 5, 6, 7, 890, time.UTC)
	deleted := created.Add(48 * time.Hour)
	last := created.Add(-time.Hour) // before the epoch day delta goes negative
	return domain.Org{
		ID: "org_000042", Seq: 42, Name: "Acme Bäckerei", RefID: "ACME-1", Admin: true,
		CreatedAt: created, DeletedAt: &deleted, LinkStatus: domain.LinkRejected,
		Tenant: domain.Tenant{EnterpriseName: "Acme Holding", CustomerName: "Acme Bäckerei GmbH", ContactEmail: "it@acme.example",
			Shortcode: "ACME1", Address: "1 Main St, Springfield", Language: "de-AT", LogoURL: "https://acme.example/logo.png"},
		Users: 1, DataSources: 2, AITrained: true,
		Integrations: 3, SessionsTotal: 4, LastActiveAt: &last, Messages: 5, Subscribers: 6,
		Devices:     domain.Devices{Total: 7, Registered: 8, Onboarded: 9, Provisioned: 10},
		SessionDays: []domain.DayCount{{Day: 20000, Count: 3}, {Day: 20005, Count: 1}, {Day: 20400, Count: 70000}},
	}
}

// TestOrgCodecRoundTrip also guards against a field added to domain.Org and
// forgotten here: every field of fullOrg must be non-zero and survive.
func TestOrgCodecRoundTrip(t *testing.T) {
	o := fullOrg()
	v := reflect.ValueOf(o)
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).IsZero() {
			t.Fatalf("fullOrg leaves %s zero: give it a value and encode it in orgcodec.go", v.Type().Field(i).Name)
		}
	}
	var got domain.Org
	if err := decodeOrg(encodeOrg(nil, &o), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, o) {
		t.Fatalf("round trip\n got %+v\nwant %+v", got, o)
	}
	// A zero org (no times, no days) survives too, and decoding into a used
	// record leaves nothing of it behind.
	var zero domain.Org
	if err := decodeOrg(encodeOrg(nil, &zero), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, zero) {
		t.Fatalf("zero round trip: %+v", got)
	}
}

func TestOrgCodecReadsJSONRecords(t *testing.T) {
	o := fullOrg()
	raw, _ := json.Marshal(o)
	var got domain.Org
	if err := decodeOrg(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.Name != o.Name || got.SessionsTotal != 4 || len(got.SessionDays) != 3 || !got.LastActiveAt.Equal(*o.LastActiveAt) {
		t.Fatalf("json record read as %+v", got)
	}
}

func TestOrgCodecRejectsDamage(t *testing.T) {
	o := fullOrg()
	raw := encodeOrg(nil, &o)
	var got domain.Org
	for n := 0; n < len(raw); n++ {
		if err := decodeOrg(raw[:n], &got); err == nil {
			t.Fatalf("a record cut to %d of %d bytes decoded", n, len(raw))
		}
	}
	if err := decodeOrg(append(raw, 0), &got); err == nil {
		t.Fatal("trailing bytes accepted")
	}
	if err := decodeOrg([]byte{9, 1, 2}, &got); err == nil {
		t.Fatal("unknown version accepted")
	}
	name, ref, code, ok := orgSearchFields(raw)
	if !ok || string(name) != o.Name || string(ref) != o.RefID || string(code) != o.Tenant.Shortcode {
		t.Fatalf("orgSearchFields = %q %q %q %v", name, ref, code, ok)
	}
	// A version 1 record can't carry link bits.
	v1 := encodeOrgV1(nil, &o)
	if err := decodeOrg(v1, &got); err != nil {
		t.Fatal(err)
	}
	prefix, _, ok := orgIdentity(v1)
	if !ok {
		t.Fatal("no identity in a version 1 record")
	}
	bad := append([]byte(nil), v1...)
	bad[len(prefix)] |= orgFlagLinkHigh
	if err := decodeOrg(bad, &got); err == nil {
		t.Fatal("a version 1 record with link bits decoded")
	}
}

// Records of codec version 1 (schema 2) read as they were, with every
// status "" (accepted) and no tenant fields; each link status survives a
// round trip in version 2.
func TestOrgCodecReadsVersion1Records(t *testing.T) {
	o := fullOrg()
	want := o
	want.LinkStatus, want.Tenant = "", domain.Tenant{}
	var got domain.Org
	if err := decodeOrg(encodeOrgV1(nil, &o), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("v1 record\n got %+v\nwant %+v", got, want)
	}
	if !got.Connected() {
		t.Fatal("an org of an earlier build is not connected")
	}
	for _, s := range []domain.LinkStatus{"", domain.LinkAccepted, domain.LinkPending, domain.LinkRejected} {
		o.LinkStatus = s
		if err := decodeOrg(encodeOrg(nil, &o), &got); err != nil || got.LinkStatus != s {
			t.Fatalf("link status %q came back as %q (%v)", s, got.LinkStatus, err)
		}
	}
}

// encodeOrgV1 is the encoder of schema 2 builds, kept to prove their
// records still read.
func encodeOrgV1(b []byte, o *domain.Org) []byte {
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

func BenchmarkOrgCodec(b *testing.B) {
	o := fullOrg()
	o.SessionDays = nil
	for d := int32(0); d < 30; d++ {
		o.SessionDays = append(o.SessionDays, domain.DayCount{Day: 20400 + d, Count: d + 1})
	}
	b.Run("encode", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf = encodeOrg(buf[:0], &o)
		}
		b.ReportMetric(float64(len(buf)), "bytes/record")
	})
	b.Run("decode", func(b *testing.B) {
		raw := encodeOrg(nil, &o)
		var got domain.Org
		for b.Loop() {
			if err := decodeOrg(raw, &got); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json-decode", func(b *testing.B) {
		raw, _ := json.Marshal(o)
		b.ReportMetric(float64(len(raw)), "bytes/record")
		for b.Loop() {
			var got domain.Org
			if err := json.Unmarshal(raw, &got); err != nil {
				b.Fatal(err)
			}
		}
	})
}
