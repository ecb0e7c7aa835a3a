package pgstore

import "strings"

// The tokens' hashes (of login links, invitations and connect requests)
// are no teammate's to read: a token is its holder's credential, looked up
// by the *_by_token_hash functions of the schema, and the hash column of
// those tables is readable by the schema's owner alone. So a session that
// may not read it reads those records without their hash (""), and writing
// one back leaves its hash as it is.

// readable is a column list with token_hash read as "" where the session
// may not read it.
func (t *pgTx) readable(columns string) string {
	if !t.hashesHidden {
		return columns
	}
	return strings.Replace(columns, "token_hash", "''::text AS token_hash", 1)
}

// keepHash is the token_hash assignment of an upsert's update, from the
// statement's parameter param ("$5"): none for a record read without its
// hash, whose stored hash stays. (Not EXCLUDED.token_hash: reading that
// needs the right to read the column.)
func keepHash(hash, param string) string {
	if hash == "" {
		return ""
	}
	return "token_hash = " + param + ", "
}
