package domain

import (
	"testing"
	"time"
)

func day(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }

func TestLicenseStatusAtEveryBoundaryDay(t *testing.T) {
	l := License{Start: day("2026-11-01"), End: day("2026-11-30")}
	cases := []struct {
		now    string
		status LicenseStatus
		reason string
	}{
		{"2026-10-31T23:59:59Z", LicenseInactive, ReasonNotStarted},   // the day before start
		{"2026-11-01T00:00:00Z", LicenseActive, ""},                   // start day, first second
		{"2026-11-30T23:59:59Z", LicenseActive, ""},                   // end day, last second
		{"2026-12-01T00:00:00Z", LicenseInactive, ReasonExpired},      // the day after end
		{"2026-11-30T23:30:00-02:00", LicenseInactive, ReasonExpired}, // already Dec 1 in UTC
	}
	for _, c := range cases {
		now, _ := time.Parse(time.RFC3339, c.now)
		if s, r := l.StatusAt(now); s != c.status || r != c.reason {
			t.Errorf("at %s: %s/%q, want %s/%q", c.now, s, r, c.status, c.reason)
		}
	}
	mid, _ := time.Parse(time.RFC3339, "2026-11-15T12:00:00Z")
	l.Deactivated = &mid
	if s, r := l.StatusAt(mid); s != LicenseInactive || r != ReasonDeactivated {
		t.Errorf("deactivated: %s/%q", s, r)
	}
	l.Unpaid = true
	if s, r := l.StatusAt(mid); s != LicenseInactive || r != ReasonUnpaid {
		t.Errorf("unpaid: %s/%q", s, r)
	}
}
