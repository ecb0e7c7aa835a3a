// Package helptopics holds `partnerctl help <topic>` pages: reference text
// for scripts and operators that belongs to no single command.
package helptopics

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/pkg/events"
)

// Commands returns the topics; they have no run step, so cobra lists them
// under "Additional help topics" and `partnerctl help TOPIC` prints them.
// `help events` is the events command's own help: see EventsSchema.
func Commands() []*cobra.Command {
	return []*cobra.Command{
		{Use: "exit-codes", Short: "Exit codes scripts can rely on", Long: exitCodes},
		{Use: "health", Short: "The four health statuses and their rules", Long: healthRules},
		{Use: "environment", Short: "Environment variables and the global flags they mirror", Long: environment},
	}
}

const exitCodes = `partnerctl exits with one of these codes. They are a stable contract.

  0  success
  1  unexpected failure: I/O error, corrupt or foreign store file, store missing
  2  usage or invalid input: bad flag value, malformed file, invalid email or date
  3  not found: org, link, invite, license, user
  4  permission denied: no current user, not a partner admin, role too low
  5  conflict or state: already initialised, ref ID taken, link used/expired/revoked
  6  store busy: locked by another process past --lock-timeout (default 5s)
  7  health gate: "orgs list --fail-on ..." matched at least one org

Errors are one line on stderr: "partnerctl: <what went wrong>; <hint>".
Results go to stdout, diagnostics and progress to stderr.

Example, a cron health gate:

  partnerctl orgs list --fail-on inactive -o csv > report.csv
  case $? in 0) ;; 7) mail -s "inactive orgs" ops@example.com < report.csv ;; *) exit 1 ;; esac`

const healthRules = `Every org gets one health status, computed when it is read from its counters
and the clock (PARTNERCTL_NOW pins it). The first rule that matches wins:

  1. new               created less than 7×24 h ago and no session ever
  2. setup_incomplete  no knowledge sources (data_sources = 0) and no
                       integrations (integrations = 0)
  3. inactive          no session in the last 30×24 h (or never)
  4. healthy           otherwise: set up and a session in the last 30 days

Labels on a terminal: New, Setup incomplete, Inactive, Healthy. --status and
--fail-on accept the values with "_" or "-" (setup-incomplete).

Boundaries: an org exactly 7×24 h old is no longer new; a last session exactly
30×24 h ago makes it inactive. sessions_30d counts the 30 UTC days ending
today. "partnerctl orgs show ORG --explain" says which rule matched and what
is missing.`

// EventsSchema is the JSON Lines schema with an example line per type; the
// `events` command shows it, so `partnerctl help events` prints it.
func EventsSchema() string {
	examples := map[events.Type]string{
		events.MemberAdded:        `,"email":"ann@customer.example"`,
		events.MemberRemoved:      `,"email":"ann@customer.example"`,
		events.DeviceRegistered:   `,"device":"kiosk-7"`,
		events.DeviceOnboarded:    `,"device":"kiosk-7"`,
		events.DeviceProvisioned:  `,"device":"kiosk-7"`,
		events.DeviceRemoved:      `,"device":"kiosk-7"`,
		events.DeviceStateChanged: `,"device":"kiosk-7","state":"onboarding_in_progress"`,
	}
	effects := map[events.Type]string{
		events.SessionStarted:        "sessions_total +1, sessions_30d, last_active_at",
		events.KnowledgeAdded:        "data_sources +1",
		events.KnowledgeRemoved:      "data_sources -1 (never below 0)",
		events.IntegrationConnected:  "integrations +1",
		events.IntegrationDisconnect: "integrations -1 (never below 0)",
		events.AIInstructionsUpdated: "ai_trained = true",
		events.MemberAdded:           "a team member (users +1 unless already a member)",
		events.MemberRemoved:         "users -1 if a member",
		events.MessageSent:           "messages +1",
		events.ContactCreated:        "subscribers +1",
		events.DeviceRegistered:      "the device is counted once, in its latest state",
		events.DeviceOnboarded:       "the device is counted once, in its latest state",
		events.DeviceProvisioned:     "the device is counted once, in its latest state",
		events.DeviceRemoved:         "the device is no longer counted",
		events.DeviceStateChanged:    "the device moves to the named state; a state other than registered, onboarded, provisioned or removed counts in devices_total only",
	}
	var b strings.Builder
	b.WriteString(`"partnerctl events import [FILE|-]" reads JSON Lines: one JSON object a line.

Fields: "id" (unique; an id imported before is skipped as a duplicate),
"org" (an org id or ref ID), "type" (below), "at" (RFC 3339 time),
"email" (member.* only), "device" (device.* only) and "state" (device.state
only: lower-case letters, digits and _). Unknown fields are ignored. A line
may be at most 1 MiB.

By default an import is all or nothing: any invalid line and nothing is
written, the first bad lines are listed as "line N: reason", exit 2.
--skip-invalid imports the valid lines and reports the rest.

Types, with an example line and what each changes:
`)
	for i, t := range events.Types {
		fmt.Fprintf(&b, "\n  %s — %s\n  {\"id\":\"evt_%d\",\"org\":\"CUST-0042\",\"type\":\"%s\",\"at\":\"2026-11-20T10:00:00Z\"%s}\n",
			t, effects[t], i+1, t, examples[t])
	}
	return b.String()
}

const environment = `partnerctl reads these environment variables:

  PARTNERCTL_DB         the store file (same as --db). Default:
                        $XDG_DATA_HOME/partnerctl/partnerctl.db, where
                        XDG_DATA_HOME defaults to ~/.local/share
  PARTNERCTL_USER       act as this user (same as --as), overriding the user
                        saved by "partnerctl login"
  PARTNERCTL_NOW        pin the clock to an RFC 3339 time, for reproducible
                        reports and tests (an invalid value exits 2)
  PARTNERCTL_FORCE_TTY  1: render as on a terminal even when piped
  NO_COLOR              any value: no ANSI color (same as --no-color)
  XDG_DATA_HOME         where the default store lives
  HOME                  used when XDG_DATA_HOME is unset

Global flags: --db PATH, -o/--output table|json|csv, --fields a,b,c,
--no-headers, --as EMAIL, --lock-timeout DURATION (default 5s; then exit 6),
--no-color. A flag wins over its environment variable.`
