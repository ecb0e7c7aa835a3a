package output

import "iter"

// readAhead calls write with rows, running write in a goroutine of its own
// while this one reads the rows ahead of it, in batches of readAheadRows.
// Listing every org of a store spent a third of its time writing JSON; this
// way the writing overlaps the reading and decoding of the next records.
//
// write sees the rows in order and, after the rows before it, the error rows
// yields, if any; when write returns early, rows is read no further. Each
// row must stay as it was yielded once the next one is read: write may still
// be writing it.
func readAhead[T any](rows iter.Seq2[T, error], write func(iter.Seq2[T, error]) error) error {
	type batch struct {
		rows []T
		err  error
	}
	todo := make(chan batch, readAheadBatches)
	free := make(chan []T, readAheadBatches+2) // every batch in use fits: returning one never blocks
	stop := make(chan struct{})                // write returned
	done := make(chan error, 1)
	var panicked any
	go func() {
		var err error
		defer func() {
			if p := recover(); p != nil {
				panicked = p
			}
			close(stop)
			done <- err
		}()
		err = write(func(yield func(T, error) bool) {
			var zero T
			for b := range todo {
				for _, r := range b.rows {
					if !yield(r, nil) {
						return
					}
				}
				if b.err != nil {
					yield(zero, b.err)
					return
				}
				clear(b.rows) // let the collector have what the rows point at
				free <- b.rows[:0]
			}
		})
	}()
	// A panic while reading (a store's bug) still ends the writer, after
	// the rows before it, instead of leaving it waiting for more.
	todoClosed := false
	defer func() {
		if !todoClosed {
			close(todo)
		}
	}()
	send := func(b batch) bool {
		select {
		case todo <- b:
			return true
		case <-stop:
			return false
		}
	}
	cur := make([]T, 0, readAheadRows)
	for r, err := range rows {
		if err != nil {
			send(batch{rows: cur, err: err})
			cur = nil
			break
		}
		cur = append(cur, r)
		if len(cur) < readAheadRows {
			continue
		}
		if !send(batch{rows: cur}) {
			cur = nil
			break
		}
		select {
		case cur = <-free:
		default:
			cur = make([]T, 0, readAheadRows)
		}
	}
	if len(cur) > 0 {
		send(batch{rows: cur})
	}
	close(todo)
	todoClosed = true
	err := <-done
	if panicked != nil {
		panic(panicked) // where it would have surfaced without the goroutine
	}
	return err
}

// readAheadRows rows make a batch, and up to readAheadBatches batches wait
// for write: enough to keep it busy, little memory (a few MB of org views).
const (
	readAheadRows    = 256
	readAheadBatches = 4
)
