package console

// chunked collects large values (views, import rows) in fixed-size chunks
// and joins them once. Appending them to one slice copied and faulted in
// about five times the final size as it grew (large slices grow by a
// quarter), which cost more than making them.
type chunked[T any] struct {
	full [][]T
	cur  []T
	n    int
}

func (c *chunked[T]) add(v T) {
	if len(c.cur) == cap(c.cur) {
		if c.cur != nil {
			c.full = append(c.full, c.cur)
		}
		c.cur = make([]T, 0, 1024)
	}
	c.cur = append(c.cur, v)
	c.n++
}

// slice is every value added, in order; nil when there is none.
func (c *chunked[T]) slice() []T {
	if c.n == 0 {
		return nil
	}
	if len(c.full) == 0 {
		return c.cur
	}
	out := make([]T, 0, c.n)
	for _, f := range c.full {
		out = append(out, f...)
	}
	return append(out, c.cur...)
}
