package pgstore

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/pgstore/pgtest"
)

func TestIsURL(t *testing.T) {
	for s, want := range map[string]bool{
		"postgres://h/db": true, "postgresql://h/db": true, "POSTGRES://h/db": true, "PostgreSQL://u@h": true,
		"postgres:/h": false, "postgres": false, "p.db": false, "/tmp/postgres://x": false, "": false,
		"host=h dbname=d": false, "sqlite://x": false,
	} {
		if IsURL(s) != want {
			t.Errorf("IsURL(%q) = %v", s, !want)
		}
	}
}

// A password that would stand out in any message, with characters that
// need percent-encoding.
const secret = "S3cr3t-p@ss/w0rd#x"

// checkOpenError opens url and checks the one-line error: its exit code,
// that it says all of wants, and that no password shows anywhere in it.
func checkOpenError(t *testing.T, connString string, exit int, wants ...string) {
	t.Helper()
	s, err := Open(testCtx(t), connString, Options{ConnectTimeout: 5 * time.Second})
	if err == nil {
		s.Close()
		t.Fatalf("%s: opened", connString)
	}
	text := err.Error()
	if got := fail.ExitCode(err); got != exit {
		t.Errorf("exit %d, want %d: %s", got, exit, text)
	}
	if strings.ContainsAny(text, "\r\n") || strings.HasPrefix(text, " ") {
		t.Errorf("not one line: %q", text)
	}
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("error %q doesn't say %q", text, w)
		}
	}
	all := text + "\n" + fail.HintOf(err) + "\n" + fmt.Sprintf("%+v %#v", err, err)
	for _, p := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), "S3cr3t", "w0rd", "Wr0ng-pa55"} {
		if strings.Contains(all, p) {
			t.Errorf("the password (%q) shows in: %s", p, all)
		}
	}
}

func TestMalformedURLsAreOneLineExit1WithoutThePassword(t *testing.T) {
	for _, u := range []string{
		"postgres://ann:" + secret + "@db.example.com/acme",            // unencoded / and # in the password
		"postgres://ann:S3cr3t@db.example.com:port/acme",               // port not a number
		"postgres://ann:S3cr3t%zz@db.example.com/acme",                 // bad escape
		"postgres://db.example.com/acme?sslmode=bogus&password=S3cr3t", // password in the query
		"postgres://[::1/acme",
		"postgresql://db.example.com:99999/acme",
	} {
		t.Run("", func(t *testing.T) { checkOpenError(t, u, 1, "malformed PostgreSQL URL") })
	}
	// Without a possible password in it, the URL and the reason are shown.
	checkOpenError(t, "postgres://ann@db.example.com/acme?sslmode=bogus", 1,
		`malformed PostgreSQL URL "postgres://ann@db.example.com/acme?sslmode=bogus": `, "sslmode")
}

func TestAnUnreachableServerIsExit1NamingHostAndDatabase(t *testing.T) {
	checkOpenError(t, "postgres://ann:"+url.QueryEscape(secret)+"@127.0.0.1:1/acme", 1,
		`cannot connect to database "acme" on 127.0.0.1:1: `, "connection refused")
	checkOpenError(t, "postgres://ann:"+url.QueryEscape(secret)+"@/acme?host=/nonexistent/dir", 1,
		`cannot connect to database "acme" on Unix socket /nonexistent/dir/.s.PGSQL.5432: `)
}

func TestAWrongPasswordIsExit4(t *testing.T) {
	db := pgtest.NewDatabase(t)
	role := db.Name + "_ann"
	db.CreateLogin(t, role, secret)
	host := "on Unix socket " + pgtest.Server(t) + "/.s.PGSQL.5432"
	checkOpenError(t, db.URLFor(role, "Wr0ng-pa55"), 4,
		fmt.Sprintf(`PostgreSQL refused the login of %q to database %q %s: password authentication failed`, role, db.Name, host))
	// No password at all, and a wrong one from PGPASSWORD, the same.
	checkOpenError(t, db.URLFor(role, ""), 4, "refused the login")
	t.Setenv("PGPASSWORD", "Wr0ng-pa55")
	checkOpenError(t, db.URLFor(role, ""), 4, "refused the login")
	// The right one from PGPASSWORD gets in (then finds no schema).
	t.Setenv("PGPASSWORD", secret)
	checkOpenError(t, db.URLFor(role, ""), 1, "has no partnerctl schema")
}

func TestAMissingDatabaseIsExit1(t *testing.T) {
	db := pgtest.NewDatabase(t)
	role := db.Name + "_bob"
	db.CreateLogin(t, role, secret)
	u := strings.Replace(db.URLFor(role, secret), "/"+db.Name+"?", "/no_such_db?", 1)
	checkOpenError(t, u, 1, `database "no_such_db" on Unix socket `+pgtest.Server(t)+`/.s.PGSQL.5432 does not exist`)
}

func TestADatabaseNeverInitialisedIsExit1(t *testing.T) {
	db := pgtest.NewDatabase(t)
	role := db.Name + "_cy"
	db.CreateLogin(t, role, secret)
	checkOpenError(t, db.URLFor(role, secret), 1, `database "`+db.Name+`" on Unix socket `, "has no partnerctl schema")
}

func TestMayHoldPassword(t *testing.T) {
	for s, want := range map[string]bool{
		"postgres://ann@h/db?sslmode=x": false, "postgres://h:5432/db": false, "postgres://h/db": false,
		"postgres://ann:pw@h/db": true, "postgres://h/db?PassWord=x": true, "postgres://a@b:c@h": true,
		"postgres://h:1/db?user=a@b": true, // can't tell: assume it might
	} {
		if mayHoldPassword(s) != want {
			t.Errorf("mayHoldPassword(%q) = %v", s, !want)
		}
	}
}

func TestAmbiguousPassword(t *testing.T) {
	for s, want := range map[string]bool{
		"postgres://ann:pw@host/db":                          false,
		"postgres://ann@host:5432/db?user=a@b.co":            false,
		"postgres://host/db":                                 false,
		"postgresql://ann:pw@h1,h2/db?sslmode=":              false,
		"postgres://h/db?password=pw&sslmode=require":        false,
		"postgres://h/db?search_path=x&password=pw":          false,
		"postgres://h/db?password=pw&Pool_Max_Conns=3":       false,
		"postgres://ann:p@ss@host/db":                        true,
		"postgres://ann:p/ss@host/db":                        true,
		"postgres://ann:p@ss/w0rd@host/db":                   true,
		"postgres://ann:?@QQ@127.0.0.1:1/acme":               true,
		"postgres://ann:/QQ?=@127.0.0.1:1/acme":              true,
		"postgres://ann:/QQ?ZZ=@127.0.0.1:1/acme":            true,
		"postgres://h/db?password=p&ss=word&sslmode=disable": true,
		"postgres://h/db?password=p&ss":                      true,
		"postgres://h/db?sslpassword=p&x&application_name=a": true,
	} {
		if ambiguousPassword(s) != want {
			t.Errorf("ambiguousPassword(%q) = %v", s, !want)
		}
	}
}

// FuzzOpenErrorsNeverShowThePassword opens URLs whose password mixes the
// characters that delimit a URL with letters from a set no message uses in
// pairs (Q X Z J): any two of them side by side in the error text would be
// a piece of the password. The host refuses connections at once.
func FuzzOpenErrorsNeverShowThePassword(f *testing.F) {
	for _, seed := range []string{"secret", "pa/ss", "p@ss", "a:b@c/d?e#f", "%zz", "[::1]", "x?password=y", "", "/", "@", "a,b", "p%40ss"} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	const delimiters = "@/:?#%&=,[]. "
	f.Fuzz(func(t *testing.T, shape string, inQuery bool) {
		var pw strings.Builder
		for i := 0; i < len(shape) && i < 40; i++ {
			if c := shape[i]; strings.IndexByte(delimiters, c) >= 0 {
				pw.WriteByte(c)
			} else {
				pw.WriteByte("QXZJ"[c%4])
			}
		}
		u := "postgres://ann:" + pw.String() + "@127.0.0.1:1/acme"
		if inQuery {
			u = "postgres://ann@127.0.0.1:1/acme?password=" + pw.String()
		}
		s, err := Open(context.Background(), u, Options{ConnectTimeout: 2 * time.Second})
		if err == nil {
			s.Close()
			t.Fatalf("%s: opened", u)
		}
		text := err.Error() + "\n" + fail.HintOf(err)
		for i := 0; i+1 < len(text); i++ {
			if strings.IndexByte("QXZJ", text[i]) >= 0 && strings.IndexByte("QXZJ", text[i+1]) >= 0 {
				t.Fatalf("password piece %q shows in: %s", text[i:i+2], text)
			}
		}
		if strings.ContainsAny(err.Error(), "\r\n") {
			t.Fatalf("not one line: %q", err.Error())
		}
	})
}
