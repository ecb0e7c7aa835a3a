// Package procmem reads a process's resident memory from Linux's /proc.
package procmem

import (
	"fmt"
	"os"
	"strconv"
)

// Resident is the resident set of process pid (0 for this one) in bytes,
// the second field of /proc/PID/statm; an error where there is no /proc or
// no such process.
func Resident(pid int) (int64, error) {
	path := "/proc/self/statm"
	if pid != 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/statm"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var size, pages int64
	if _, err := fmt.Sscan(string(b), &size, &pages); err != nil {
		return 0, err
	}
	return pages * int64(os.Getpagesize()), nil
}
