package domain

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestSessionsLast30DaysCountsWholeUTCDays(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	var o Org
	// The window is the 30 UTC days ending with now's day: Oct 25 .. Nov 23.
	for _, ts := range []string{
		"2026-10-24T23:59:59Z", // outside: the day before the window
		"2026-10-25T00:00:00Z", // first second of the window
		"2026-11-01T10:00:00Z",
		"2026-11-01T11:00:00Z",
		"2026-11-23T11:59:59Z", // today
		"2026-11-24T00:00:00Z", // after now's day: not counted
	} {
		at, _ := time.Parse(time.RFC3339, ts)
		o.AddSession(at)
	}
	if got := o.SessionsLast30Days(now); got != 4 {
		t.Fatalf("sessions in 30 days = %d, want 4", got)
	}
	if o.SessionsTotal != 6 {
		t.Fatalf("total = %d, want 6", o.SessionsTotal)
	}
	if want := "2026-11-24T00:00:00Z"; o.LastActiveAt.Format(time.RFC3339) != want {
		t.Fatalf("last active %s, want %s", o.LastActiveAt.Format(time.RFC3339), want)
	}
	// Buckets stay sorted and merged whatever the arrival order.
	for i := 1; i < len(o.SessionDays); i++ {
		if o.SessionDays[i-1].Day >= o.SessionDays[i].Day {
			t.Fatalf("day buckets not sorted: %v", o.SessionDays)
		}
	}
	if len(o.SessionDays) != 5 {
		t.Fatalf("want 5 day buckets, got %v", o.SessionDays)
	}
}

func TestParseEmail(t *testing.T) {
	good := map[string]string{" Ann@Example.COM ": "ann@example.com", "a.b+c@d.co.uk": "a.b+c@d.co.uk", "José@Café.example": "josé@café.example"}
	for in, want := range good {
		if got, err := ParseEmail(in); err != nil || got != want {
			t.Errorf("ParseEmail(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "a", "@b.com", "a@b", "a@.com", "a@b.", "a@@b.com", "a b@c.com", "a@b..com", "a,b@c.com",
		"\x00@0.0", "a\x1b[31m@b.com", "a@b\u00a0.com", "a\u200b@b.com", "\xff@b.com", "a@b.c\u0085m"} {
		if _, err := ParseEmail(in); err == nil {
			t.Errorf("ParseEmail(%q) accepted", in)
		}
	}
}

// The kept days answer "sessions in the last 30 days" exactly, as if every
// day were kept, for every clock from 30 days before the org's latest
// session on, whatever order the sessions arrive in (late events
// included), and an org never holds more than SessionDaysKept days.
func TestSessionDaysKeptAnswerLikeEveryDay(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 23))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for round := range 200 {
		var o Org
		all := map[int32]int{}
		span := 1 + rng.IntN(400)
		for range rng.IntN(300) {
			at := base.Add(time.Duration(rng.IntN(span*24*3600)) * time.Second)
			if rng.IntN(10) == 0 { // a late event, far behind the rest
				at = at.AddDate(0, 0, -rng.IntN(200))
			}
			o.AddSession(at)
			all[DayOf(at)]++
			if len(o.SessionDays) > SessionDaysKept {
				t.Fatalf("round %d: %d days kept, want at most %d", round, len(o.SessionDays), SessionDaysKept)
			}
		}
		if len(o.SessionDays) == 0 {
			continue
		}
		latest := o.SessionDays[len(o.SessionDays)-1].Day
		for day := latest - 30; day <= latest+40; day++ {
			now := time.Unix(int64(day)*86400+43200, 0).UTC()
			want := 0
			for d, n := range all {
				if d >= day-29 && d <= day {
					want += n
				}
			}
			if got := o.SessionsLast30Days(now); got != want {
				t.Fatalf("round %d: at day %d (latest %d): %d sessions in 30 days, every day kept gives %d", round, day, latest, got, want)
			}
		}
	}
}

func TestKeptSessionDays(t *testing.T) {
	days := []DayCount{{Day: 100, Count: 1}, {Day: 140, Count: 2}, {Day: 159, Count: 3}, {Day: 160, Count: 4}, {Day: 218, Count: 5}}
	got := KeptSessionDays(slices.Clone(days))
	if want := days[2:]; !slices.Equal(got, want) {
		t.Fatalf("KeptSessionDays = %v, want %v (the 60 days 159..218)", got, want)
	}
	if got := KeptSessionDays(days[1:4]); !slices.Equal(got, days[1:4]) {
		t.Fatalf("days within 60 changed: %v", got)
	}
}

// BenchmarkAddSession adds a year of daily sessions to one org, out of
// order one time in ten: the kept days stay at most SessionDaysKept.
func BenchmarkAddSession(b *testing.B) {
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for b.Loop() {
		var o Org
		for d := range 365 {
			at := base.AddDate(0, 0, d)
			if d%10 == 9 {
				at = at.AddDate(0, 0, -45)
			}
			o.AddSession(at)
		}
	}
}
