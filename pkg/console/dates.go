package console

import (
	"strconv"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// ParseDate reads the input field's value YYYY-MM-DD or an RFC 3339 time and returns its UTC day.
func ParseDate(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return domain.Day(t), nil
	}
	return time.Time{}, fail.Fieldf(fail.Usage, "invalid {"+field+"} %q: want YYYY-MM-DD or an RFC 3339 time", s)
}

// ParseDays reads a window such as 30d, 12h or 2w... as days; Go durations
// are accepted and rounded up to whole days.
func ParseDays(field, s string) (int, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if days, err := strconv.Atoi(n); err == nil && days >= 0 {
			return days, nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return int((d + 24*time.Hour - 1) / (24 * time.Hour)), nil
	}
	return 0, fail.Fieldf(fail.Usage, "invalid {"+field+"} %q: want days such as 30d, or a duration such as 72h", s)
}
