package console

import (
	"fmt"
	"math"
	"testing"
)

func TestSeqIDsAreWhatSprintfWrote(t *testing.T) {
	seqs := []uint64{0, 1, 9, 10, 99_999, 100_000, 999_999, 1_000_000, 1_234_567, 10_000_000_000, math.MaxUint64}
	for n := uint64(1); n < 1e6; n = n*3 + 1 {
		seqs = append(seqs, n)
	}
	for _, seq := range seqs {
		for _, tc := range []struct {
			id     func(uint64) string
			prefix string
		}{{orgID, "org_"}, {inviteID, "inv_"}, {linkID, "lnk_"}, {licenseID, "lic_"}, {connectID, "con_"}} {
			if got, want := tc.id(seq), fmt.Sprintf("%s%06d", tc.prefix, seq); got != want {
				t.Errorf("id of %d = %q, want %q", seq, got, want)
			}
		}
	}
}
