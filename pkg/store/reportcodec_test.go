package store

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

func sampleReportState(orgs int) domain.ReportState {
	s := domain.ReportState{
		At:     time.Date(2026, 11, 23, 12, 0, 0, 123456789, time.UTC),
		Fields: []string{"status", "link_status"},
		Licenses: []domain.ReportLicense{
			{ID: "lic_000001", End: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)},
			{ID: "lic_000002", End: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), Expired: true},
			{ID: "", End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		},
	}
	statuses := []string{"new", "setup_incomplete", "inactive", "healthy"}
	links := []string{"", "accepted", "pending"}
	for i := range orgs {
		s.Orgs = append(s.Orgs, domain.ReportOrg{ID: fmt.Sprintf("org_%06d", i+2), Values: []string{statuses[i%4], links[i%3]}})
	}
	// ids of any shape, not only sequence-numbered ones
	s.Orgs = append(s.Orgs, domain.ReportOrg{ID: "7f3c-ü", Values: []string{"new", ""}}, domain.ReportOrg{ID: "", Values: []string{"", ""}})
	return s
}

func TestReportStateRoundTrips(t *testing.T) {
	for _, s := range []domain.ReportState{
		{},
		{At: time.Unix(-5, 7).UTC()},
		{Fields: []string{"status"}, Orgs: []domain.ReportOrg{{ID: "a", Values: []string{"x"}}}},
		{Orgs: []domain.ReportOrg{{ID: "a"}, {ID: "ab"}}}, // no fields
		sampleReportState(1000),
	} {
		raw, err := EncodeReportState(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeReportState(raw)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("round trip of %d orgs:\n got %+v\nwant %+v", len(s.Orgs), got, s)
		}
	}
}

// A state is about three bytes an org and one a field: 100,000 orgs with
// two fields fit in well under 1 MB.
func TestReportStateIsCompact(t *testing.T) {
	raw, err := EncodeReportState(nil, sampleReportState(100_000))
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) > 600_000 {
		t.Errorf("100k orgs encode to %d bytes", len(raw))
	}
}

func TestReportStateRefusesOrgsWithoutOneValuePerField(t *testing.T) {
	s := domain.ReportState{Fields: []string{"status"}, Orgs: []domain.ReportOrg{{ID: "a"}}}
	if _, err := EncodeReportState(nil, s); err == nil {
		t.Error("encoded an org without its value")
	}
}

func TestReportStateDecodeRefusesDamage(t *testing.T) {
	raw, _ := EncodeReportState(nil, sampleReportState(50))
	for n := range len(raw) {
		if _, err := DecodeReportState(raw[:n]); err == nil {
			t.Fatalf("a state cut to %d of %d bytes decoded", n, len(raw))
		}
	}
	for _, bad := range [][]byte{
		append(raw[:len(raw):len(raw)], 0), // trailing byte
		{9},                                // unknown version
		{1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}, // a count the data can't hold
		{1, 0, 1, 1, 's', 0, 1, 0, 0, 0},           // a value with no dictionary
		{1, 0, 0, 0, 2, 0, 1, 'a', 5, 1, 'b', 0},   // an id sharing more than the last one has
	} {
		if _, err := DecodeReportState(bad); !errors.Is(err, errCorruptReport) {
			t.Errorf("% x: %v", bad, err)
		}
	}
}

// FuzzDecodeReportState: stored bytes never panic the decoder or make it
// allocate beyond their size, and what decodes encodes back to the same state.
func FuzzDecodeReportState(f *testing.F) {
	for _, s := range []domain.ReportState{{}, sampleReportState(3)} {
		raw, _ := EncodeReportState(nil, s)
		f.Add(raw)
	}
	f.Add([]byte{1, 0, 0, 0, 2, 0, 1, 'a', 0, 1, 'b', 0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := DecodeReportState(raw)
		if err != nil {
			return
		}
		again, err := EncodeReportState(nil, s)
		if err != nil {
			t.Fatalf("a decoded state does not encode: %v", err)
		}
		s2, err := DecodeReportState(again)
		if err != nil || !reflect.DeepEqual(s, s2) {
			t.Fatalf("re-encoding changed the state: %v", err)
		}
	})
}

func BenchmarkReportStateCodec(b *testing.B) {
	s := sampleReportState(100_000)
	raw, _ := EncodeReportState(nil, s)
	b.SetBytes(int64(len(raw)))
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			_, _ = EncodeReportState(raw[:0], s)
		}
	})
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			_, _ = DecodeReportState(raw)
		}
	})
}
