package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"unicode"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// SQLSTATE codes partnerctl tells apart.
const (
	codeLockNotAvailable     = "55P03"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeUniqueViolation      = "23505"
	codeInsufficientPriv     = "42501"
	codeInvalidPassword      = "28P01"
	codeInvalidAuthSpec      = "28000"
	codeInvalidCatalogName   = "3D000"
	codeTooManyConnections   = "53300"
	codeCannotConnectNow     = "57P03"
	codeProtocolViolation    = "08P01"
	codeUndefinedFunction    = "42883"
	codeUndefinedTable       = "42P01"
	classIntegrity           = "23"
	classConnection          = "08"
)

// parseError explains a connection string pgx can't parse. A malformed URL
// can be too ambiguous to find the password in, so no text from the parser
// is shown when the string could hold one; the rest is scrubbed anyway.
func parseError(raw string, err error) error {
	const form = "the form is postgres://user:password@host:port/database?sslmode=…, with @ : / ? # % in the user name or password percent-encoded"
	if mayHoldPassword(raw) {
		return fail.Internalf("malformed PostgreSQL URL (not shown: it may hold a password)").WithHint("%s", form)
	}
	reason := err.Error()
	var pce *pgconn.ParseConfigError
	if errors.As(err, &pce) {
		// "cannot parse `<redacted string>`: <reason>"
		if _, after, ok := strings.Cut(reason, "`: "); ok {
			reason = after
		}
	}
	env := []string{os.Getenv("PGPASSWORD")}
	return fail.Internalf("malformed PostgreSQL URL %q: %s", scrub(raw, env), scrub(reason, env)).WithHint("%s", form)
}

// mayHoldPassword reports whether a connection string might hold a
// password, however malformed: a password= parameter, or a ':' before its
// last '@' (user:password@host).
func mayHoldPassword(raw string) bool {
	if strings.Contains(strings.ToLower(raw), "password") {
		return true
	}
	_, rest, _ := strings.Cut(raw, "://")
	at := strings.LastIndexByte(rest, '@')
	return at >= 0 && strings.Contains(rest[:at], ":")
}

// ambiguousPassword reports a URL that parses, but probably not as meant:
// a password with an unencoded '@', '/', '?' or '&' splits into pieces that
// libpq's parser takes for the host, port, database or query parameters,
// and messages (which name host and database) would show them. Signs of it:
// a second '@' before the path, an '@' in the database name, an '@' in a
// query parameter that isn't a known one's value, an empty parameter name,
// or an unknown parameter after password=.
func ambiguousPassword(connString string) bool {
	_, rest, ok := strings.Cut(connString, "://")
	if !ok {
		return false
	}
	// Like libpq, only a '/' ends the part that holds user, password and
	// hosts (a '?' before it doesn't).
	authority, path, _ := strings.Cut(rest, "/")
	if strings.Count(authority, "@") > 1 {
		return true
	}
	path, query, hasQuery := strings.Cut(path, "?")
	if strings.Contains(path, "@") {
		return true
	}
	if !hasQuery {
		return false
	}
	seenPassword := false
	for _, param := range strings.Split(query, "&") {
		key, value, _ := strings.Cut(param, "=")
		key = strings.ToLower(key)
		known := urlKeys[key] || strings.HasPrefix(key, "pool_")
		if key == "" || strings.Contains(key, "@") || (!known && (seenPassword || strings.Contains(value, "@"))) {
			return true
		}
		seenPassword = seenPassword || key == "password" || key == "sslpassword"
	}
	return false
}

// urlKeys are the connection parameters libpq and pgx take from a URL.
var urlKeys = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "password": true,
	"passfile": true, "connect_timeout": true, "sslmode": true, "sslkey": true, "sslcert": true,
	"sslcertmode": true, "sslrootcert": true, "sslnegotiation": true, "sslpassword": true, "sslsni": true,
	"krbspn": true, "krbsrvname": true, "gssencmode": true, "target_session_attrs": true, "service": true,
	"servicefile": true, "min_protocol_version": true, "max_protocol_version": true,
	"channel_binding": true, "require_auth": true, "application_name": true, "options": true,
}

// connectError classifies a failure to connect: a refused login is Denied
// (exit 4), everything else Internal (exit 1), each naming host and
// database in one line.
func connectError(t target, secrets []string, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		msg := scrub(pgErr.Message, secrets)
		code := pgErr.Code
		if poolerRefusedLogin(pgErr) {
			code = codeInvalidPassword
		}
		switch code {
		case codeInvalidPassword, codeInvalidAuthSpec:
			return fail.Deniedf("PostgreSQL refused the login of %q to %s: %s", t.user, t, msg).
				WithHint("check the user name and password (in the URL, PGPASSWORD or ~/.pgpass)")
		case codeInsufficientPriv:
			return fail.Deniedf("PostgreSQL refused %q access to %s: %s", t.user, t, msg).
				WithHint("ask the database's administrator for CONNECT on it")
		case codeInvalidCatalogName:
			return fail.Internalf("%s does not exist", t).
				WithHint("create it (createdb), or check the database name in the URL")
		case codeTooManyConnections, codeCannotConnectNow:
			return fail.Busyf("PostgreSQL can't take a connection to %s now: %s", t, msg).
				WithHint("try again in a moment")
		}
		return fail.Internalf("cannot connect to %s: %s", t, msg)
	}
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return fail.Internalf("cannot connect to %s: no answer in time", t).
			WithHint("check the host and port, and that the server accepts connections from here")
	}
	return fail.Internalf("cannot connect to %s: %s", t, scrub(netReason(err), secrets)).
		WithHint("check that the server is running and the host and port are right")
}

// poolerRefusedLogin tells a login refused by PgBouncer: it answers a
// wrong password with a protocol-violation error ("SASL authentication
// failed", "password authentication failed") where the server says 28P01.
func poolerRefusedLogin(e *pgconn.PgError) bool {
	return e.Code == codeProtocolViolation && strings.Contains(e.Message, "authentication failed")
}

// isUndefinedObject tells an error for a function or table the database
// doesn't have.
func isUndefinedObject(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == codeUndefinedFunction || pgErr.Code == codeUndefinedTable)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// netReason is the innermost description of a network failure ("connection
// refused", "no such host"), or the error's own text.
func netReason(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return "cannot resolve host " + dnsErr.Name + ": " + dnsErr.Err
	}
	if errors.Is(err, os.ErrNotExist) {
		return "no such socket"
	}
	// pgconn: "failed to connect to `user=… database=…`: <address> (<host>): <reason>"
	msg := err.Error()
	if i := strings.LastIndex(msg, "): "); i >= 0 {
		msg = msg[i+3:]
	}
	return msg
}

// classify gives errors from the server or the connection a partnerctl
// kind, naming the store. Other errors (fn's own, such as
// store.ErrNotFound, and those that already have a kind) pass through
// unchanged, as they do on bbolt.
func (s *Store) classify(err error) error {
	if err == nil {
		return nil
	}
	var fe *fail.Error
	if errors.As(err, &fe) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		msg := scrub(pgErr.Message, s.secrets)
		switch {
		case pgErr.Code == codeLockNotAvailable:
			return s.busy()
		case pgErr.Code == codeSerializationFailure || pgErr.Code == codeDeadlockDetected:
			return fail.Busyf("%s: another transaction got in the way: %s", s.target, msg).WithHint("try again")
		case pgErr.Code == codeUniqueViolation && pgErr.ConstraintName == "orgs_by_ref":
			return refTaken("")
		case pgErr.Code == codeUniqueViolation && pgErr.ConstraintName == "orgs_by_shortcode":
			return shortcodeTaken("")
		case pgErr.Code == codeUniqueViolation:
			return fail.Conflictf("%s: %s", s.target, msg)
		case pgErr.Code == codeInsufficientPriv:
			return fail.Deniedf("%s: %s", s.target, msg)
		case strings.HasPrefix(pgErr.Code, classIntegrity):
			return fail.Internalf("%s: the change would break a rule of the store: %s", s.target, msg)
		case strings.HasPrefix(pgErr.Code, classConnection):
			return connectError(s.target, s.secrets, err)
		}
		return fail.Internalf("%s: %s (SQLSTATE %s)", s.target, msg, pgErr.Code)
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return connectError(s.target, s.secrets, err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fail.Wrap(fail.Internal, err, "%s: interrupted", s.target)
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || pgconn.Timeout(err) {
		return &fail.Error{Kind: fail.Internal, Msg: fmt.Sprintf("lost the connection to %s: %s", s.target, scrub(oneLine(err.Error()), s.secrets))}
	}
	return err
}

// classifyOwn classifies the error of a call this package made itself
// (begin, lock, commit): whatever it is, it names the store.
func (s *Store) classifyOwn(err error) error {
	err = s.classify(err)
	var fe *fail.Error
	if err == nil || errors.As(err, &fe) {
		return err
	}
	return fail.Internalf("%s: %s", s.target, scrub(oneLine(err.Error()), s.secrets))
}

// busy is the error of a writer that waited longer than the lock timeout.
func (s *Store) busy() error {
	return fail.Busyf("%s is busy: another partnerctl is writing (waited %s)", s.target, s.lockTimeout).
		WithHint("try again, or allow a longer lock timeout")
}

// scrub removes secrets (passwords of four characters or more: shorter ones
// can't be told from ordinary text) and line breaks from a message.
func scrub(msg string, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return oneLine(msg)
}

// oneLine keeps a message's first line, without control characters (a
// server message can quote what a user typed).
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

// refTaken is the console's refusal of a ref another org has, for the one
// the console can't check first: an org out of a scoped teammate's sight,
// which row-level security hides from them (and from the index's message:
// the server leaves the key out). ref is the org's being written, when
// it is known ("": a batch).
func refTaken(ref string) error {
	if ref == "" {
		return fail.Conflictf("a ref ID is already used by another org")
	}
	return fail.Conflictf("ref ID %q is already used by another org", ref)
}

func isRefTaken(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation && pgErr.ConstraintName == "orgs_by_ref"
}

// shortcodeTaken is refTaken for a shortcode (the console's refusal, the
// other org unnamed): the console checks every org first (see
// outOfSightOrgID), so this is only a backstop.
func shortcodeTaken(code string) error {
	if code == "" {
		return fail.Conflictf("a shortcode is already used by another org")
	}
	return fail.Fieldf(fail.Conflict, "{shortcode} %q is already used by another org", code)
}

func isShortcodeTaken(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation && pgErr.ConstraintName == "orgs_by_shortcode"
}
