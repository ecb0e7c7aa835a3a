// Package health turns an org's counters into one verdict, by the rules of
// SPEC §4, evaluated in order; the first that matches wins.
package health

import (
	"fmt"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// Status is an org's health verdict. Its string is the JSON value.
type Status string

const (
	New             Status = "new"
	SetupIncomplete Status = "setup_incomplete"
	Inactive        Status = "inactive"
	Healthy         Status = "healthy"
)

// All lists the statuses in rule order.
var All = []Status{New, SetupIncomplete, Inactive, Healthy}

const (
	// NewWindow: an org younger than this with no session is New.
	NewWindow = 7 * 24 * time.Hour
	// ActiveWindow: an org with no session within this is Inactive.
	ActiveWindow = 30 * 24 * time.Hour
)

// Label is the human name shown on a terminal.
func (s Status) Label() string {
	switch s {
	case New:
		return "New"
	case SetupIncomplete:
		return "Setup incomplete"
	case Inactive:
		return "Inactive"
	case Healthy:
		return "Healthy"
	}
	return string(s)
}

// Verdict is a status with the reason the rule gave.
type Verdict struct {
	Status Status
	Rule   int    // 1..4, the rule that matched
	Reason string // why this rule matched, or what is missing
}

// Evaluate applies the rules to org at now.
func Evaluate(o *domain.Org, now time.Time) Verdict {
	age := now.Sub(o.CreatedAt)
	if age < NewWindow && o.LastActiveAt == nil {
		return Verdict{New, 1, fmt.Sprintf("created %s ago (less than 7 days) and no session yet", roundDuration(age))}
	}
	if o.DataSources == 0 && o.Integrations == 0 {
		return Verdict{SetupIncomplete, 2, "no knowledge sources and no integrations"}
	}
	if o.LastActiveAt == nil {
		return Verdict{Inactive, 3, "set up, but no session ever"}
	}
	if idle := now.Sub(*o.LastActiveAt); idle >= ActiveWindow {
		return Verdict{Inactive, 3, fmt.Sprintf("set up, but no session in the last 30 days (last one %s ago)", roundDuration(idle))}
	}
	return Verdict{Healthy, 4, "set up and a session in the last 30 days"}
}

// Of is the status alone.
func Of(o *domain.Org, now time.Time) Status { return Evaluate(o, now).Status }

// Parse accepts a status with `_` or `-` and any case.
func Parse(s string) (Status, error) {
	v := Status(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_"))
	for _, st := range All {
		if v == st {
			return st, nil
		}
	}
	return "", fail.Usagef("invalid status %q: want one of new, setup-incomplete, inactive, healthy", s)
}

// ParseList parses a comma-separated list of statuses.
func ParseList(s string) ([]Status, error) {
	var out []Status
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		st, err := Parse(part)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func roundDuration(d time.Duration) string {
	if d < time.Minute {
		return "under a minute"
	}
	days := int(d / (24 * time.Hour))
	if days >= 1 {
		return fmt.Sprintf("%dd%dh", days, int(d%(24*time.Hour)/time.Hour))
	}
	return d.Truncate(time.Minute).String()
}
