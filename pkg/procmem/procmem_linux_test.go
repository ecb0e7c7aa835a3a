package procmem

import (
	"os"
	"testing"
)

func TestResidentOfThisProcessAndOfNone(t *testing.T) {
	self, err := Resident(0)
	if err != nil || self <= 0 {
		t.Fatalf("Resident(0) = %d, %v", self, err)
	}
	byPid, err := Resident(os.Getpid())
	if err != nil || byPid <= 0 {
		t.Fatalf("Resident(own pid) = %d, %v", byPid, err)
	}
	if _, err := Resident(1 << 30); err == nil {
		t.Fatal("Resident of no such process: no error")
	}
}
