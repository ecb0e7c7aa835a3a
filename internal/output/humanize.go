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
