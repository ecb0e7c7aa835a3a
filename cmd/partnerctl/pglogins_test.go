package main

// The end-to-end scripts run a second time against PostgreSQL (see
// TestScriptsPostgres). There, who a user is comes from the database login
// (SPEC §13): each person connects as their own role, and the store maps
// roles to partner users. The scripts, written for a laptop's file, switch
// users with --as, PARTNERCTL_USER and `partnerctl login`. So in
// PostgreSQL mode the in-process partnerctl goes through actAsLogin first,
// which does by machine what a team's DBA and its people do by hand:
//
//   - the person who runs init owns the database (createdb -O);
//   - every person has a login role of their own (here one per email,
//     created on first use, as `CREATE ROLE ann LOGIN PASSWORD …` would be);
//   - the role is mapped to the person's email (here upserted into the
//     logins table before each command, as the store's owner would map a
//     colleague by hand; init, demo and invitations bind roles themselves);
//   - each person connects with their own role (here: the command runs
//     with PARTNERCTL_DB set to that role's URL).
//
// The acting person is the one the command names: --as, else
// PARTNERCTL_USER, else init's --admin-email, login's EMAIL or demo's admin,
// else the user the config file has logged in. Nobody (logged out) is a
// role bound to no one; `users invites accept` runs as a fresh role bound to
// no one, as a new teammate whose DBA-made role the acceptance binds.
//
// Commands given another --db (a bbolt file in a script) or a role of
// their own in the URL are left alone: a script can test the real
// behaviour, e.g. --as someone else on a login that is bound.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/config"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// Environment of a PostgreSQL script (set by TestScriptsPostgres).
const (
	envPGAdmin = "PARTNERCTL_TEST_PG_ADMIN" // the script's database, as the superuser
	envPGStore = "PARTNERCTL_TEST_PG_STORE" // the URL the script's PARTNERCTL_DB holds
	envPGHost  = "PARTNERCTL_TEST_PG_HOST"  // the server's socket folder
	envPGName  = "PARTNERCTL_TEST_PG_NAME"  // the database's name (role names start with it)
)

// actAsLogin returns args, having pointed PARTNERCTL_DB (or --db) at the
// acting person's own login role when the command uses the script's
// PostgreSQL store.
func actAsLogin(args []string) []string {
	admin, storeURL := os.Getenv(envPGAdmin), os.Getenv(envPGStore)
	if admin == "" {
		return args
	}
	dbArg := -1
	for i, a := range args {
		if a == "--db" && i+1 < len(args) {
			dbArg = i + 1
		}
		if strings.HasPrefix(a, "--db=") {
			fmt.Fprintln(os.Stderr, "pglogins: write --db URL, not --db=URL, in a PostgreSQL script")
			os.Exit(99)
		}
	}
	if dbArg >= 0 && args[dbArg] != storeURL || dbArg < 0 && os.Getenv(cmdutil.EnvDB) != storeURL {
		return args
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		fail99("connect as the superuser: %v", err)
	}
	defer conn.Close(ctx)
	role, password := loginFor(ctx, conn, args)
	roleURL := fmt.Sprintf("postgres://%s@/%s?host=%s", url.UserPassword(role, password).String(),
		url.PathEscape(os.Getenv(envPGName)), url.QueryEscape(os.Getenv(envPGHost)))
	if dbArg >= 0 {
		args = append([]string(nil), args...)
		args[dbArg] = roleURL
	} else {
		os.Setenv(cmdutil.EnvDB, roleURL)
	}
	return args
}

func fail99(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pglogins: "+format+"\n", args...)
	os.Exit(99)
}

var guests atomic.Int64

// loginFor makes (or finds) the acting person's role and maps it, and
// returns its name and password.
func loginFor(ctx context.Context, conn *pgx.Conn, args []string) (string, string) {
	prefix := os.Getenv(envPGName)
	if acceptsInvitation(args) {
		role := fmt.Sprintf("%s_guest_%d_%d", prefix, os.Getpid(), guests.Add(1))
		return role, createRole(ctx, conn, role)
	}
	email := actingEmail(ctx, conn, args)
	if email == "" {
		role := prefix + "_nobody"
		return role, createRole(ctx, conn, role)
	}
	sum := sha256.Sum256([]byte(email))
	role := prefix + "_" + hex.EncodeToString(sum[:6])
	password := createRole(ctx, conn, role)
	// Before init the schema isn't there: init binds its login itself.
	var ready bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass('logins') IS NOT NULL").Scan(&ready); err != nil {
		fail99("%v", err)
	}
	if !ready && (subcommand(args) == "init" || subcommand(args) == "demo") {
		// The one who makes the store owns its database (createdb -O).
		if _, err := conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{prefix}.Sanitize()+" OWNER TO "+pgx.Identifier{role}.Sanitize()); err != nil {
			fail99("%v", err)
		}
	}
	if ready {
		if _, err := conn.Exec(ctx, `INSERT INTO logins (role, email, bound_by) VALUES ($1, $2, 'test harness')
			ON CONFLICT (role) DO UPDATE SET email = EXCLUDED.email`, role, email); err != nil {
			fail99("map %s to %s: %v", role, email, err)
		}
	}
	return role, password
}

// createRole creates a login role unless it exists; its password is
// derived from its name.
func createRole(ctx context.Context, conn *pgx.Conn, role string) string {
	password := "pw-" + role
	_, err := conn.Exec(ctx, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN PASSWORD '"+password+"'")
	if pgErr, ok := err.(*pgconn.PgError); ok && pgErr.Code == "42710" { // duplicate_object
		err = nil
	}
	if err != nil {
		fail99("create role %s: %v", role, err)
	}
	return password
}

// actingEmail is who the command acts as, "" for nobody.
func actingEmail(ctx context.Context, conn *pgx.Conn, args []string) string {
	norm := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	if v, ok := flagValue(args, "--as"); ok && v != "" {
		return norm(v)
	}
	if v := os.Getenv(cmdutil.EnvUser); v != "" {
		return norm(v)
	}
	switch sub := subcommand(args); sub {
	case "init":
		v, _ := flagValue(args, "--admin-email")
		return norm(v)
	case "demo":
		return console.DemoAdminEmail
	case "login":
		for _, a := range positional(args)[1:] {
			return norm(a)
		}
	}
	return loggedIn(ctx, conn)
}

// loggedIn is the user the config file has logged in on the script's store.
func loggedIn(ctx context.Context, conn *pgx.Conn) string {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass('store_identity') IS NOT NULL").Scan(&exists); err != nil {
		fail99("%v", err)
	}
	if !exists {
		return ""
	}
	var id string
	if err := conn.QueryRow(ctx, "SELECT id FROM store_identity").Scan(&id); err != nil {
		fail99("%v", err)
	}
	path := os.Getenv(cmdutil.EnvConfig)
	if path == "" {
		var err error
		if path, err = config.DefaultPath(os.Getenv); err != nil {
			return ""
		}
	}
	state, _, err := config.At(path).Read("store:" + id)
	if err != nil {
		return ""
	}
	return state.CurrentUser
}

func acceptsInvitation(args []string) bool {
	p := positional(args)
	return len(p) >= 3 && p[0] == "users" && p[1] == "invites" && p[2] == "accept"
}

func subcommand(args []string) string {
	if p := positional(args); len(p) > 0 {
		return p[0]
	}
	return ""
}

// globalValueFlags are the flags that take a value (so their value isn't
// taken for a command word).
var valueFlags = map[string]bool{"--db": true, "--as": true, "-o": true, "--output": true, "--fields": true,
	"--lock-timeout": true, "--admin-email": true, "--partner-name": true, "--support-email": true, "--admin-org": true,
	"--logo-url": true, "--login-base-url": true, "--orgs": true}

// positional lists the words of args that are not flags or flag values.
func positional(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case valueFlags[a]:
			i++
		case strings.HasPrefix(a, "-"):
		default:
			out = append(out, a)
		}
	}
	return out
}

func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1], true
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// pgroleCmd is `pgrole [-owner] NAME [PASSWORD]` in a PostgreSQL script: a
// login role of its own, bound to no one, as a DBA makes one for a new
// teammate (-owner: and makes it the database's owner, as createdb -O
// does); $NAME_URL (NAME upper-cased) connects to the script's database as
// it, and $NAME_ROLE is its name. Commands given that URL run as that
// role: the harness leaves them alone.
func pgroleCmd(ts *testscript.TestScript, neg bool, args []string) {
	owner := len(args) > 0 && args[0] == "-owner"
	if owner {
		args = args[1:]
	}
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: pgrole [-owner] NAME [PASSWORD]")
	}
	admin := pgAdminURL(ts)
	role := ts.Getenv(envPGName) + "_" + args[0]
	password := "pw-" + role
	if len(args) == 2 {
		password = args[1]
	}
	ts.Check(pgExec(admin, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN PASSWORD '"+strings.ReplaceAll(password, "'", "''")+"'"))
	if owner {
		ts.Check(pgExec(admin, "ALTER DATABASE "+pgx.Identifier{ts.Getenv(envPGName)}.Sanitize()+" OWNER TO "+pgx.Identifier{role}.Sanitize()))
	}
	u := fmt.Sprintf("postgres://%s@/%s?host=%s", url.UserPassword(role, password).String(),
		url.PathEscape(ts.Getenv(envPGName)), url.QueryEscape(ts.Getenv(envPGHost)))
	name := strings.ToUpper(args[0])
	ts.Setenv(name+"_URL", u)
	ts.Setenv(name+"_ROLE", role)
}

// pgexecCmd is `pgexec [-url URL] SQL` in a PostgreSQL script: SQL run on
// the script's database as the superuser (a DBA's hand, or a newer
// build's), or connected with URL (a member trying SQL of their own).
// `! pgexec` expects the SQL to fail and prints the server's message on
// stderr.
func pgexecCmd(ts *testscript.TestScript, neg bool, args []string) {
	conn := pgAdminURL(ts)
	if len(args) == 3 && args[0] == "-url" {
		conn, args = args[1], args[2:]
	}
	if len(args) != 1 {
		ts.Fatalf("usage: pgexec [-url URL] SQL")
	}
	err := pgExec(conn, args[0])
	switch {
	case neg && err == nil:
		ts.Fatalf("pgexec: the SQL succeeded")
	case neg:
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			fmt.Fprintf(ts.Stderr(), "%s (SQLSTATE %s)\n", pgErr.Message, pgErr.Code)
		} else {
			fmt.Fprintln(ts.Stderr(), err)
		}
	default:
		ts.Check(err)
	}
}

func pgAdminURL(ts *testscript.TestScript) string {
	admin := ts.Getenv(envPGAdmin)
	if admin == "" {
		ts.Fatalf("not a PostgreSQL script (add [!postgres] skip)")
	}
	return admin
}

func pgExec(connString, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
