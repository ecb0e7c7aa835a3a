package output

import (
	"time"

	"github.com/dustin/go-humanize"
)

// RelativeTime says how long ago t was, from now ("2 hours ago"); the clock
// is passed in so pinned reports read the same every run.
func RelativeTime(t, now time.Time) string {
	if d := now.Sub(t); d >= 0 && d < time.Minute {
		return "just now"
	}
	return humanize.RelTime(t, now, "ago", "from now")
}

// ConfirmTime is how a confirmation on stderr states a moment ("valid until
// 2026-11-30 12:00:00 UTC"): one format for every command, in UTC.
func ConfirmTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 MST") }
