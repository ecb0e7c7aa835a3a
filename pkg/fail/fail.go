// Package fail classifies errors into the kinds that partnerctl's exit codes
// promise to scripts. Every rule in pkg/ returns one of these, so the CLI can
// map an error to its exit code without knowing where it came from.
package fail

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is a class of failure with a stable exit code.
type Kind int

const (
	Internal   Kind = 1 // unexpected: I/O, corrupt store
	Usage      Kind = 2 // bad flag value, malformed input
	NotFound   Kind = 3 // org, link, invite, license, user
	Denied     Kind = 4 // no current user, not a partner admin, role too low
	Conflict   Kind = 5 // already exists, already used, expired, revoked
	Busy       Kind = 6 // store locked by another process
	HealthGate Kind = 7 // orgs list --fail-on matched
)

// Error is an error with a Kind and an optional hint printed on its own line.
//
// An error about one input names its field (Fields) in the message with a
// {field} placeholder, rendered as the plain field name by Error and as
// whatever a front end calls it (a flag, a form label) by Render. An error a
// front end can help with beyond its hint carries a Code: the CLI maps codes
// to hints that name its own commands, which pkg/ knows nothing of.
type Error struct {
	Kind   Kind
	Msg    string
	Hint   string
	Code   Code
	Fields []string
	// HintArgs are the values a front end's hint for Code may quote.
	HintArgs []string
	Err      error
	format   string
	args     []any
}

// Code names an error a front end may explain further.
type Code string

// Codes the CLI turns into hints.
const (
	CodeLoggedOut        Code = "logged_out"
	CodeNoUser           Code = "no_user"          // HintArgs: none
	CodeNotAdminMember   Code = "not_admin_member" // HintArgs: email
	CodeNoPartner        Code = "no_partner"
	CodeNoStore          Code = "no_store"
	CodeNotAStore        Code = "not_a_store"
	CodeCorruptStore     Code = "corrupt_store"  // HintArgs: store
	CodeSchemaTooNew     Code = "schema_too_new" // upgrade partnerctl
	CodeSchemaOutdated   Code = "schema_outdated"
	CodeBusy             Code = "busy"
	CodeInitialised      Code = "initialised"
	CodeDemoChanged      Code = "demo_changed"
	CodeDemoStore        Code = "demo_store"
	CodeInitStore        Code = "init_store"     // demo on a store made by init
	CodeUnknownOrg       Code = "unknown_org"    // HintArgs: the key
	CodeUnknownLink      Code = "unknown_link"   // HintArgs: the id
	CodeUnknownInvite    Code = "unknown_invite" // HintArgs: the id
	CodeInvitePending    Code = "invite_pending" // HintArgs: the pending invite's id
	CodeMethodNotAllowed Code = "method_not_allowed"
	CodeNotMember        Code = "not_member" // HintArgs: email
	CodeNeedsRole        Code = "needs_role"
	CodeRoleTooLow       Code = "role_too_low" // a console command needs a higher admin-org role
	CodeLastOwner        Code = "last_owner"   // HintArgs: email
	CodeInvalidLines     Code = "invalid_lines"
	CodeNothingToUpdate  Code = "nothing_to_update"
	CodeHalfMadeStore    Code = "half_made_store"
	CodeSymlinkStore     Code = "symlink_store"
	CodeRaceLost         Code = "race_lost"
	CodeNoBackup         Code = "no_backup"
	CodeDamagedStore     Code = "damaged_store" // HintArgs: store
	CodeBackupExists     Code = "backup_exists"
	CodeTruncatedStore   Code = "truncated_store"
	CodeInputTooLong     Code = "input_too_long"
	CodeUnboundLogin     Code = "unbound_login" // HintArgs: the login's name
	CodeNotYourLogin     Code = "not_your_login"
	CodeNotInitialized   Code = "not_initialized" // a database without a store
	CodeLicenseHeld      Code = "license_held"    // HintArgs: the license number, the org it would go to
)

func (e *Error) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// WithCode returns a copy of e with a code and the values its hint quotes.
func (e *Error) WithCode(c Code, hintArgs ...string) *Error {
	cp := *e
	cp.Code, cp.HintArgs = c, hintArgs
	return &cp
}

// Render is the message with each {field} placeholder replaced by label(field).
func (e *Error) Render(label func(field string) string) string {
	msg := e.Msg
	if e.format != "" {
		msg = fmt.Sprintf(fill(e.format, label), e.args...)
	}
	if e.Err != nil && msg == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// FieldLabel is how Error names a field: its name with spaces for underscores.
func FieldLabel(field string) string { return strings.ReplaceAll(field, "_", " ") }

// fill replaces each {name} of format by label(name), escaping % so the
// label can't act as a verb.
func fill(format string, label func(string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(format, '{')
		j := strings.IndexByte(format[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(format)
			return b.String()
		}
		b.WriteString(format[:i])
		b.WriteString(strings.ReplaceAll(label(format[i+1:i+j]), "%", "%%"))
		format = format[i+j+1:]
	}
}

// placeholders lists the {name} fields of format, in order.
func placeholders(format string) []string {
	var out []string
	for {
		i := strings.IndexByte(format, '{')
		j := strings.IndexByte(format[max(i, 0):], '}')
		if i < 0 || j < 0 {
			return out
		}
		out = append(out, format[i+1:i+j])
		format = format[i+j+1:]
	}
}

// Fieldf is an error of kind k about the input fields its format names as
// {field} (e.g. "invalid {ttl} %q: …"); args fill the format's verbs.
func Fieldf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(fill(format, FieldLabel), args...), Fields: placeholders(format), format: format, args: args}
}

// WithHint returns a copy of e that carries a hint for the user.
func (e *Error) WithHint(format string, args ...any) *Error {
	c := *e
	c.Hint = fmt.Sprintf(format, args...)
	return &c
}

func newf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

func Usagef(format string, args ...any) *Error    { return newf(Usage, format, args...) }
func NotFoundf(format string, args ...any) *Error { return newf(NotFound, format, args...) }
func Deniedf(format string, args ...any) *Error   { return newf(Denied, format, args...) }
func Conflictf(format string, args ...any) *Error { return newf(Conflict, format, args...) }
func Busyf(format string, args ...any) *Error     { return newf(Busy, format, args...) }
func Internalf(format string, args ...any) *Error { return newf(Internal, format, args...) }

// Wrap gives err the kind k and a context message, keeping it inspectable.
func Wrap(k Kind, err error, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...), Err: err}
}

// KindOf reports err's kind; anything unclassified is Internal.
func KindOf(err error) Kind {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return Internal
}

// Is reports whether err is of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// ExitCode is the process exit code for err (0 for nil).
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	return int(KindOf(err))
}

// HintOf returns the first hint found along err's chain.
func HintOf(err error) string {
	for err != nil {
		var fe *Error
		if !errors.As(err, &fe) {
			return ""
		}
		if fe.Hint != "" {
			return fe.Hint
		}
		err = fe.Err
	}
	return ""
}

// CodeOf is the code of the first coded error along err's chain.
func CodeOf(err error) (Code, []string) {
	for err != nil {
		var fe *Error
		if !errors.As(err, &fe) {
			return "", nil
		}
		if fe.Code != "" {
			return fe.Code, fe.HintArgs
		}
		err = fe.Err
	}
	return "", nil
}
