package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/partnerctl/partnerctl/internal/secretscan"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// codeHints are the CLI's hints for the errors pkg/ marks with a code: pkg/
// knows nothing of commands and flags, so what to run next is said here.
// %s takes the error's hint arguments.
var codeHints = map[fail.Code]string{
	fail.CodeNoUser:           "run `partnerctl login EMAIL` or pass --as EMAIL (a member of the admin org)",
	fail.CodeLoggedOut:        "run `partnerctl login EMAIL`",
	fail.CodeNotAdminMember:   "console access comes with membership of the admin org: ask a member to run `partnerctl users invite %s --admin-org`",
	fail.CodeNoPartner:        "run `partnerctl init …` or `partnerctl demo`",
	fail.CodeNoStore:          "create one with `partnerctl init …`, or try `partnerctl demo`",
	fail.CodeNotAStore:        "check --db / PARTNERCTL_DB",
	fail.CodeHalfMadeStore:    "if an interrupted init or demo of an earlier partnerctl left it there, delete it and run the command again; else pass another --db",
	fail.CodeSymlinkStore:     "pass the real path with --db, or remove the link",
	fail.CodeRaceLost:         "use that store, or pass another --db",
	fail.CodeCorruptStore:     "check --db / PARTNERCTL_DB; `partnerctl doctor` inspects a store",
	fail.CodeDamagedStore:     "run `partnerctl doctor --db %s`; restore a backup if it reports problems",
	fail.CodeTruncatedStore:   "restore a backup (`partnerctl backup` makes one)",
	fail.CodeSchemaTooNew:     "upgrade partnerctl",
	fail.CodeSchemaOutdated:   "run `partnerctl db migrate`",
	fail.CodeBusy:             "try again, or wait longer with --lock-timeout",
	fail.CodeInitialised:      "use another --db to start a new store",
	fail.CodeDemoChanged:      "pass --force to rebuild it anyway, or --db with a new path for a fresh demo",
	fail.CodeDemoStore:        "add --replace-demo to replace it with your partner (the demo data is deleted), or --db PATH to keep it and start elsewhere",
	fail.CodeInitStore:        "pass --db with a new path to try the demo",
	fail.CodeUnknownOrg:       "`partnerctl orgs list --search %q` finds orgs by part of a name or ref",
	fail.CodeUnknownLink:      "`partnerctl link list` shows link ids",
	fail.CodeUnknownInvite:    "`partnerctl users invites list` shows them",
	fail.CodeInvitePending:    "`partnerctl users invites resend %s` sends a fresh link",
	fail.CodeMethodNotAllowed: "see `partnerctl partner login-methods show`",
	fail.CodeNotMember:        "invite them: `partnerctl users invite %s …`",
	fail.CodeNeedsRole:        "ask them to run `partnerctl users promote`",
	fail.CodeRoleTooLow:       "`partnerctl users list --admin-org` shows who can",
	fail.CodeLastOwner:        "make someone else an owner first (`partnerctl users promote EMAIL … --role owner`)",
	fail.CodeInvalidLines:     "fix them, or pass --skip-invalid to import the valid lines",
	fail.CodeNothingToUpdate:  "give --name, --ref or a tenant detail such as --shortcode (see --help)",
	fail.CodeInputTooLong:     "save the stream to a file and import the file: a file is read in place, of any size",
	fail.CodeNoBackup:         "a shared database is backed up with its own tools (pg_dump)",
	fail.CodeBackupExists:     "pass --force to replace it",
	fail.CodeUnboundLogin:     "database login %q is no partner user of this store: accept an invitation connected as it (`partnerctl users invites accept TOKEN`), or ask the store's owner to map it",
	fail.CodeNotYourLogin:     "on a shared store you act as your database login: drop --as and PARTNERCTL_USER (and `partnerctl logout`), or connect as that person's own login",
	fail.CodeNotInitialized:   "run `partnerctl init --db URL …` to create a store in it (or check the database name)",
	fail.CodeLicenseHeld:      "pass --force to move it",
}

// FlagLabel is how the CLI names an input field of pkg/: as its flag.
func FlagLabel(field string) string { return "--" + strings.ReplaceAll(field, "_", "-") }

// ErrorMessage is err as partnerctl's one-line message: input fields named
// as flags, and a hint where one helps.
func ErrorMessage(err error) string {
	msg := err.Error()
	var fe *fail.Error
	if errors.As(err, &fe) && err == error(fe) {
		msg = fe.Render(FlagLabel)
	}
	msg = strings.ReplaceAll(msg, "\n", " ")
	if hint := Hint(err); hint != "" {
		msg += "; " + hint
	}
	return msg
}

// Hint is the hint for err: the CLI's for its code, else pkg/'s own.
func Hint(err error) string {
	if code, args := fail.CodeOf(err); code != "" {
		if h, ok := codeHints[code]; ok {
			vals := make([]any, strings.Count(h, "%"))
			for i := range vals {
				if i < len(args) {
					vals[i] = args[i]
				}
			}
			return fmt.Sprintf(h, vals...)
		}
	}
	return fail.HintOf(err)
}

// PrintError writes err as partnerctl's one-line error, after the line
// errors of a bad input file.
func PrintError(w io.Writer, err error) {
	var input *fail.InputError
	if errors.As(err, &input) {
		for _, l := range input.Lines {
			fmt.Fprintf(w, "%s\n", secretscan.Redact(l.String()))
		}
		if more := input.Count - len(input.Lines); more > 0 {
			fmt.Fprintf(w, "… and %d more invalid line(s)\n", more)
		}
	}
	fmt.Fprintf(w, "partnerctl: %s\n", secretscan.Redact(ErrorMessage(err)))
}
