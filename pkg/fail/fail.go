// Package fail classifies errors into the kinds that partnerctl's exit codes
// promise to scripts. Every rule in pkg/ returns one of these, so the CLI can
// map an error to its exit code without knowing where it came from.
package fail

import (
	"errors"
	"fmt"
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
type Error struct {
	Kind Kind
	Msg  string
	Hint string
	Err  error
}

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
