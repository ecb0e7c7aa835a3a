package boltstore

import (
	"cmp"
	"slices"
	"strings"
)

// inKeyOrder is the indexes of keys in the keys' byte order: the order to
// look them up in. A day's feed names 95,000 orgs of a million in no
// order; looked up in the order of the B+tree's keys, each lookup walks
// down next to the one before it, through pages and cache lines that are
// already in memory, instead of faulting in a leaf of its own.
func inKeyOrder(keys []string) []int {
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	byKey := func(a, b int) int { return cmp.Or(strings.Compare(keys[a], keys[b]), cmp.Compare(a, b)) }
	if !slices.IsSortedFunc(order, byKey) {
		slices.SortFunc(order, byKey)
	}
	return order
}
