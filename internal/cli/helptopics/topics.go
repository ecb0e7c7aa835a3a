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
		{Use: "output", Short: "Output formats, terminal tables, JSON, --jq and --template", Long: outputTopic},
		{Use: "output-safety", Short: "Escaped text, CSV formula cells, --csv-raw", Long: outputSafety},
		{Use: "team", Short: "Roles in the admin org, scoped teammates, time-boxed access, offboarding", Long: team},
	}
}

const team = `Everyone who uses the console is a member of the partner's admin org. Their
role there decides what they may do; the same words mean the same in
customer orgs.

  action                                                     member admin owner
  console reads, orgs open/create/import/update, link
  create/list, revoking one's own links, events import         yes   yes   yes
  invite, remove, promote, demote admin-org members
  (up to one's own role), users scope                           no   yes   yes
  orgs delete, licenses issue/assign/renew/deactivate,
  partner update/brand set/login-methods set, revoking
  anyone's link                                                 no   yes   yes
  promoting to owner                                            no    no   yes

Demoting an owner needs the account manager (exit 4). The last owner of an
org can't be removed (exit 5). Below the role needed: exit 4.

In a customer org, the org's own owners and admins manage its team (users
list, invite, promote, demote, remove with --org ORG) and read its audit
trail (audit list --org ORG), without console access. Admins and owners of
the admin org promote and demote there too, and may end partner access;
partner access from "orgs open" manages nothing.

  users scope EMAIL --orgs ORG,…   a member sees those customer orgs alone:
                                   in lists, counts, stats, completion, the
                                   audit trail, reports and login links; any
                                   other org is not found (exit 3), exactly
                                   as if it did not exist. --all lifts it.
                                   Admins and owners are never scoped.
  orgs open ORG --for 30m          partner access that ends by itself
                                   (1m to 24h); "orgs current" then says it
                                   expired.
  users remove EMAIL --admin-org   offboarding: the membership ends now, the
                                   login links they made are revoked, their
                                   partner access ends, all of it audited.

Trust: on a local store file, the file's permissions are the boundary.
Whoever can write the file can act as anyone (--as) or edit it with other
tools; exit 4 is a guard rail for honest mistakes, not a lock. On a shared
PostgreSQL store the database login is the identity, and the database
enforces these rules itself.`

const exitCodes = `partnerctl exits with one of these codes. They are a stable contract.

  0  success
  1  unexpected failure: I/O error, corrupt or foreign store file, store missing
  2  usage or invalid input: bad flag value, malformed file, invalid email or date
  3  not found: org, link, invite, license, user (to a scoped teammate, also
     any org outside their scope: see "partnerctl help team")
  4  permission denied: no current user, not a partner admin, role too low
  5  conflict or state: already initialised, ref ID taken, link used/expired/revoked,
     the last owner of an org
  6  store busy: locked by another process past --lock-timeout (default 5s)
  7  health gate: "orgs list --fail-on ..." matched at least one org
     (or "report changes --fail-on ..." listed a change of a named kind)

On a store that is a local file, 4 is a guard rail, not authentication:
--as, PARTNERCTL_USER and login take any email, and whoever can write the
file can act as anyone. The file's 0600 mode is what protects the data.

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
only: lower-case letters, digits and _). Unknown fields are ignored.

Limits: a line may be at most 1 MiB; "id", "org" and "device" at most 200
bytes each and "email" 254; "at", once converted to UTC, must fall between
0001-01-01T00:00:01Z and 9999-12-31T23:59:59Z (so 9999-12-31T23:59:59-23:59,
which is in year 10000 in UTC, is refused). A line over a limit is an
invalid line like any other.

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

  PARTNERCTL_DB         the store (same as --db): a file, or a postgres://
                        (or postgresql://) URL of a shared PostgreSQL
                        database. Default: $XDG_DATA_HOME/partnerctl/partnerctl.db,
                        where XDG_DATA_HOME defaults to ~/.local/share
  PARTNERCTL_USER       act as this user (same as --as), overriding the user
                        saved by "partnerctl login"; on a shared database you
                        are your database login, and only it may be named
  PARTNERCTL_CONFIG     the local config file (who is logged in, which org is
                        open); default $XDG_CONFIG_HOME/partnerctl/config.json
  PARTNERCTL_NOW        pin the clock to an RFC 3339 time, for reproducible
                        reports and tests (an invalid value exits 2). It
                        never makes an expired login link or invitation
                        valid, nor lets one live longer than its TTL in
                        real time; the audit trail records the real time
                        (a shared database's: the server's)
  PARTNERCTL_FORCE_TTY  1: render as on a terminal even when piped
  COLUMNS               the width terminal tables fit (else the terminal's
                        own width, else 80)
  PARTNERCTL_PAGER      the pager long output goes through on a terminal
  PAGER                 the same, when PARTNERCTL_PAGER is unset (default
                        less, with LESS=FRX unless LESS is set); "cat" or
                        empty turns paging off
  NO_COLOR              any value: no ANSI color (same as --no-color)
  CLICOLOR              0: no ANSI color, like NO_COLOR
  XDG_DATA_HOME         where the default store lives
  XDG_CONFIG_HOME       where the config file lives
  HOME                  used when XDG_DATA_HOME is unset

A PostgreSQL URL follows libpq's conventions: what it leaves out comes from
  PGHOST PGPORT PGDATABASE PGUSER   where and as whom to connect
  PGPASSWORD, ~/.pgpass (PGPASSFILE) the password (best kept out of the URL)
  PGSSLMODE, PGSSLROOTCERT …        TLS (or sslmode=… in the URL)
  PGCONNECT_TIMEOUT, PGAPPNAME      connect timeout (default 10s), application name
e.g. PGPASSWORD=… partnerctl --db postgres://ann@db.example.com/acme_partners orgs list
No password is ever printed, in errors either.

Global flags: --db PATH|URL, -o/--output table|json|csv, --fields a,b,c,
--no-headers, --as EMAIL, --lock-timeout DURATION (default 5s; then exit 6),
--no-color, --csv-raw, -q/--jq EXPR, -t/--template TEMPLATE. A flag wins
over its environment variable.`

const outputTopic = `Every result is printed in one of three formats, chosen with -o; all are
derived from one declaration of each result's fields, whose names are the
JSON keys (and the names --fields takes).

Tables (-o table, the default)
  On a terminal: a drawn table with humanized times and colors, fitted to
  the terminal's width (COLUMNS, else the terminal's own, else 80). Free
  text (names, emails, reasons) is cut with "…" and, when that is not
  enough, columns leave in a fixed order declared for each table, the ones
  that identify a row last; nothing wraps. Columns chosen with --fields are
  cut, never dropped. One object (orgs show, partner show) is a field/value
  listing whose long values continue on the next line under themselves.
  An empty result prints nothing on stdout and says so on stderr, with the
  command to try next. Long output goes through a pager as gh does
  ($PARTNERCTL_PAGER, $PAGER, else "less -FRX", which quits at once when
  the output fits the screen), so a page of 25 orgs with the header card
  reads on a 24-line terminal; PAGER=cat turns it off.
  Off a terminal: a header line of upper-cased JSON keys, then one line a
  row, fields separated by one TAB, times in RFC 3339 UTC, nothing cut.
  Lists show their default columns, one object every field; --fields
  chooses any.

JSON (-o json)
  A list is an array ([] when empty), one object is an object, with every
  field unless --fields chooses: snake_case keys, RFC 3339 UTC times, null
  for none. Compact (one line) when stdout is not a terminal, for scripts;
  indented on a terminal, for people. The same for every command.

--jq EXPR (-q) and --template TEMPLATE (-t) filter the JSON, as in gh, and
imply -o json (with -o table or csv they are a usage error, exit 2).
  --jq is a jq expression (gojq): each result on its own line, strings
  printed raw, anything else as JSON.
      partnerctl orgs list --jq '.[] | select(.status == "inactive") | .ref_id'
      partnerctl orgs create --name "Acme Bakery" --owner ceo@acme.example --jq .invite_url
  --template is a Go text/template over the same JSON, printed as is, with
  gh's helpers: join SEP LIST, pluck KEY LIST, truncate N TEXT, timeago
  TIME, timefmt LAYOUT TIME.
      partnerctl orgs list --template '{{range .}}{{.name}} ({{timeago .last_active_at}}){{"\n"}}{{end}}'
  An expression that doesn't parse exits 2 before anything is done.

Long lists
  orgs list off a terminal (compact JSON, CSV, the TAB table) writes each
  row as it is read, so a million orgs print in bounded memory. The store
  is released once the list is read, whether or not stdout has taken it
  all: output stdout has not taken yet waits in memory (8 MB), then in an
  unlinked file in the temporary folder ($TMPDIR), so a consumer that
  stops reading never holds writers back, but may cost disk space the
  size of the output. A drawn table, indented JSON, --jq and --template
  need every row first, and hold them.
  If reading fails part way, partnerctl stops, prints its one-line error
  on stderr and exits non-zero (1 for a store error). stdout then holds a
  prefix of the output cut anywhere, even inside a row (nothing when the
  error comes within the first 64 KB), and a JSON array is never closed,
  so a JSON reader rejects it. Check the exit status before using output.`
