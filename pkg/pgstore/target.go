package pgstore

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsURL reports whether s selects the PostgreSQL backend: a postgres:// or
// postgresql:// URL (the scheme in any case). Anything else is a bbolt path.
func IsURL(s string) bool {
	_, ok := normalizeScheme(s)
	return ok
}

// normalizeScheme lower-cases the scheme, which libpq (and pgx) only
// recognise in lower case.
func normalizeScheme(s string) (string, bool) {
	for _, scheme := range []string{"postgres://", "postgresql://"} {
		if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			return scheme + s[len(scheme):], true
		}
	}
	return s, false
}

// target names what a store connects to, for messages: host and database,
// never the password.
type target struct {
	host, database, user string
}

func targetOf(c *pgconn.Config) target {
	return target{host: hostOf(c.Host, c.Port), database: c.Database, user: c.User}
}

func hostOf(host string, port uint16) string {
	p := strconv.Itoa(int(port))
	switch {
	case strings.HasPrefix(host, "/"):
		return "Unix socket " + strings.TrimSuffix(host, "/") + "/.s.PGSQL." + p
	case strings.Contains(host, ":"): // IPv6
		return "[" + host + "]:" + p
	}
	return host + ":" + p
}

// String reads `database "acme" on db.example.com:5432`.
func (t target) String() string {
	return fmt.Sprintf("database %q on %s", t.database, t.host)
}
