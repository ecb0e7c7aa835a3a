package console

import "strconv"

// seqID is a record id: prefix, then seq in at least six digits, as
// fmt.Sprintf("%s%06d") writes it. Without fmt: an import of a million orgs
// spent a quarter of a second formatting their ids.
func seqID(prefix string, seq uint64) string {
	var buf [32]byte
	b := append(buf[:0], prefix...)
	for range 6 - digits(seq) {
		b = append(b, '0')
	}
	return string(strconv.AppendUint(b, seq, 10))
}

// digits is how many decimal digits seq has.
func digits(seq uint64) int {
	n := 1
	for ; seq >= 10; seq /= 10 {
		n++
	}
	return n
}

func orgID(seq uint64) string     { return seqID("org_", seq) }
func inviteID(seq uint64) string  { return seqID("inv_", seq) }
func linkID(seq uint64) string    { return seqID("lnk_", seq) }
func licenseID(seq uint64) string { return seqID("lic_", seq) }
func connectID(seq uint64) string { return seqID("con_", seq) }
