package boltstore

import (
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
		CreatedAt: created, DeletedAt: &deleted, Users: 1, DataSources: 2, AITrained: true,
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
	name, ref, ok := orgNameRef(raw)
	if !ok || string(name) != o.Name || string(ref) != o.RefID {
		t.Fatalf("orgNameRef = %q %q %v", name, ref, ok)
	}
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
