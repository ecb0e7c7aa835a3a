package store

import (
	"errors"
	"reflect"
	"testing"
)

func TestSeqCounterReadsOnceAndWritesWhatMoved(t *testing.T) {
	stored := map[string]uint64{"org": 41}
	reads := 0
	var c SeqCounter
	next := func(name string) uint64 {
		t.Helper()
		n, err := c.Next(name, func() (uint64, error) { reads++; return stored[name], nil })
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	got := []uint64{next("org"), next("link"), next("org"), next("link"), next("org")}
	if want := []uint64{42, 1, 43, 2, 44}; !reflect.DeepEqual(got, want) {
		t.Errorf("numbers %v, want %v", got, want)
	}
	if reads != 2 {
		t.Errorf("%d reads, want one a sequence", reads)
	}
	names, lasts := c.Moved()
	if !reflect.DeepEqual(names, []string{"link", "org"}) || !reflect.DeepEqual(lasts, []uint64{2, 44}) {
		t.Errorf("moved %v %v, want [link org] [2 44]", names, lasts)
	}
	if names, _ := c.Moved(); names != nil {
		t.Errorf("moved again %v, want none", names)
	}
	next("link")
	if names, lasts := c.Moved(); !reflect.DeepEqual(names, []string{"link"}) || !reflect.DeepEqual(lasts, []uint64{3}) {
		t.Errorf("moved %v %v, want [link] [3]", names, lasts)
	}
	c.Forget()
	if n := next("org"); n != 42 || reads != 3 {
		t.Errorf("after Forget: %d with %d reads, want 42 read again", n, reads)
	}
	boom := errors.New("boom")
	if _, err := c.Next("invite", func() (uint64, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("failed read: %v", err)
	}
	if n := next("invite"); n != 1 {
		t.Errorf("after a failed read: %d, want 1", n)
	}
}
