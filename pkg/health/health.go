// Package health turns an org's counters into one verdict, by the rules of
// SPEC §4, evaluated in order; the first that matches wins.
package health

import (
	"strings"
	"time"

	"github.com/dustin/go-humanize"

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
	switch st, rule := verdict(o, now); rule {
	case 1:
		return Verdict{st, rule, "created " + ago(o.CreatedAt, now) + " (less than 7 days) and no session yet"}
	case 2:
		return Verdict{st, rule, "no knowledge sources and no integrations"}
	case 3:
		if o.LastActiveAt == nil {
			return Verdict{st, rule, "set up, but no session ever"}
		}
		return Verdict{st, rule, "set up, but no session in the last 30 days (last one " + ago(*o.LastActiveAt, now) + ")"}
	default:
		return Verdict{st, rule, "set up and a session in the last 30 days"}
	}
}

// Of is the status alone: the rules without their reasons, which cost
// more than the rules (a relative time to format) when counting a million
// orgs.
func Of(o *domain.Org, now time.Time) Status {
	st, _ := verdict(o, now)
	return st
}

// verdict is the status and the number of the rule that gave it.
func verdict(o *domain.Org, now time.Time) (Status, int) {
	age := now.Sub(o.CreatedAt)
	switch {
	case age < NewWindow && o.LastActiveAt == nil:
		return New, 1
	case o.DataSources == 0 && o.Integrations == 0:
		return SetupIncomplete, 2
	case o.LastActiveAt == nil || now.Sub(*o.LastActiveAt) >= ActiveWindow:
		return Inactive, 3
	}
	return Healthy, 4
}

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

// Names are the statuses as flags accept them, in rule order.
var Names = []string{"new", "setup-incomplete", "inactive", "healthy"}

// ParseList parses a comma-separated list of statuses given as flag (its
// name is in the error: "invalid --fail-on …").
func ParseList(flag, s string) ([]Status, error) {
	var out []Status
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		st, err := Parse(part)
		if err != nil {
			return nil, fail.Usagef("invalid %s %q: want one of %s", flag, part, strings.Join(Names, ", "))
		}
		out = append(out, st)
	}
	return out, nil
}

// ago says how long before now t was, as a person would ("6 months ago").
func ago(t, now time.Time) string {
	if d := now.Sub(t); d < time.Minute {
		return "just now"
	}
	return humanize.RelTime(t, now, "ago", "from now")
}
