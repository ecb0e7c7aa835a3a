package console

// chunkLen is how many values a chunk of a chunked holds.
const chunkLen = 1024

// chunked collects large values (views, import rows) in fixed-size chunks.
// Appending them to one slice copied and faulted in about five times the
// final size as it grew (large slices grow by a quarter), which cost more
// than making them.
type chunked[T any] struct {
	full [][]T // each chunkLen long
	cur  []T
	n    int
}

func (c *chunked[T]) add(v T) {
	if len(c.cur) == cap(c.cur) {
		if c.cur != nil {
			c.full = append(c.full, c.cur)
		}
		c.cur = make([]T, 0, chunkLen)
	}
	c.cur = append(c.cur, v)
	c.n++
}

// at is the i-th value added.
func (c *chunked[T]) at(i int) *T {
	if f := i / chunkLen; f < len(c.full) {
		return &c.full[f][i%chunkLen]
	}
	return &c.cur[i-len(c.full)*chunkLen]
}

// slice is every value added, in order, joined into one slice; nil when
// there is none. The join copies every value: for values with pointers,
// behind the collector's write barrier.
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
