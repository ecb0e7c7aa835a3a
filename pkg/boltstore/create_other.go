//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package boltstore

import (
	"time"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// replaceEmpty: without flock an empty file can't be replaced safely, so
// it is left to the user.
func replaceEmpty(_, path string, _ time.Duration) error {
	return fail.Conflictf("%s already exists (an empty file?); it was left as it is", path).
		WithHint("remove it, then run the command again")
}
