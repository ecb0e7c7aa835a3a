package boltstore

import (
	"slices"
	"testing"
)

func TestInKeyOrder(t *testing.T) {
	for _, c := range []struct {
		keys []string
		want []int
	}{
		{nil, []int{}},
		{[]string{"b", "a", "c", "a"}, []int{1, 3, 0, 2}},
		{[]string{"org_2", "ORG-1", "org_10"}, []int{1, 2, 0}},
		{[]string{"a", "b", "c"}, []int{0, 1, 2}},
	} {
		if got := inKeyOrder(c.keys); !slices.Equal(got, c.want) {
			t.Errorf("inKeyOrder(%q) = %v, want %v", c.keys, got, c.want)
		}
	}
}
