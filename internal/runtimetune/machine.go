package runtimetune

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// machineMemory is the memory this process may use, in bytes: the
// machine's (MemTotal of /proc/meminfo), or its cgroup's limit when that
// is lower; 0 when neither can be read (the pacer then has no ceiling).
func machineMemory() uint64 {
	total := memTotal("/proc/meminfo")
	if cg := cgroupLimit("/sys/fs/cgroup/memory.max"); cg > 0 && (total == 0 || cg < total) {
		total = cg
	}
	return total
}

// memTotal reads the MemTotal line of a meminfo file ("MemTotal: N kB").
func memTotal(path string) uint64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		rest, ok := strings.CutPrefix(s.Text(), "MemTotal:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
}

// cgroupLimit reads a cgroup v2 memory.max: a number of bytes, or "max".
func cgroupLimit(path string) uint64 {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(raw)), 10, 64)
	if err != nil {
		return 0
	}
	return n
}
