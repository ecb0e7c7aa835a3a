package output

import (
	"errors"
	"iter"
	"slices"
	"testing"
	"time"
)

// numbers yields 0..n-1, then err if there is one, counting what it handed out.
func numbers(n int, err error, handed *int) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for i := range n {
			*handed++
			if !yield(i, nil) {
				return
			}
		}
		if err != nil {
			yield(0, err)
		}
	}
}

func TestReadAheadWritesEveryRowInOrder(t *testing.T) {
	for _, n := range []int{0, 1, readAheadRows - 1, readAheadRows, readAheadRows + 1, 20 * readAheadRows} {
		var handed int
		var got []int
		err := readAhead(numbers(n, nil, &handed), func(rows iter.Seq2[int, error]) error {
			for r, err := range rows {
				if err != nil {
					return err
				}
				got = append(got, r)
			}
			return nil
		})
		if err != nil || !slices.Equal(got, slices.Collect(func(yield func(int) bool) {
			for i := range n {
				yield(i)
			}
		})) {
			t.Fatalf("%d rows: err %v, wrote %d rows: %v…", n, err, len(got), got[:min(len(got), 5)])
		}
	}
}

// An error from the rows reaches write after the rows before it.
func TestReadAheadPassesTheRowsErrorAfterItsRows(t *testing.T) {
	boom := errors.New("store: boom")
	var handed, before int
	err := readAhead(numbers(1000, boom, &handed), func(rows iter.Seq2[int, error]) error {
		for _, err := range rows {
			if err != nil {
				return err
			}
			before++
		}
		return nil
	})
	if !errors.Is(err, boom) || before != 1000 {
		t.Fatalf("err %v after %d rows, want boom after 1000", err, before)
	}
}

// When write gives up, the rows are read no further than the batches
// already waiting, and readAhead returns write's error.
func TestReadAheadStopsReadingWhenWriteReturns(t *testing.T) {
	failed := errors.New("write: disk full")
	var handed int
	err := readAhead(numbers(1_000_000, nil, &handed), func(rows iter.Seq2[int, error]) error {
		for r := range rows {
			if r == 10 {
				return failed
			}
		}
		return nil
	})
	if !errors.Is(err, failed) {
		t.Fatalf("err = %v", err)
	}
	if most := (readAheadBatches + 3) * readAheadRows; handed > most {
		t.Errorf("read %d rows after write returned at row 10 (at most %d)", handed, most)
	}
}

// A panic in write surfaces in the caller's goroutine, as it would have
// without the goroutine.
func TestReadAheadRepanicsInTheCaller(t *testing.T) {
	var handed int
	defer func() {
		if p := recover(); p != "printer bug" {
			t.Fatalf("recovered %v", p)
		}
	}()
	_ = readAhead(numbers(5000, nil, &handed), func(rows iter.Seq2[int, error]) error {
		for r := range rows {
			if r == 300 {
				panic("printer bug")
			}
		}
		return nil
	})
	t.Fatal("no panic")
}

// A panic while reading the rows leaves no writer waiting: it writes the
// rows before it and returns.
func TestReadAheadEndsTheWriterWhenReadingPanics(t *testing.T) {
	wrote := make(chan int, 1)
	func() {
		defer func() {
			if p := recover(); p != "store bug" {
				t.Fatalf("recovered %v", p)
			}
		}()
		rows := func(yield func(int, error) bool) {
			for i := range 1000 {
				if i == 700 {
					panic("store bug")
				}
				if !yield(i, nil) {
					return
				}
			}
		}
		_ = readAhead(rows, func(rows iter.Seq2[int, error]) error {
			n := 0
			for range rows {
				n++
			}
			wrote <- n
			return nil
		})
		t.Fatal("no panic")
	}()
	select {
	case n := <-wrote:
		if n != 2*readAheadRows {
			t.Errorf("the writer wrote %d rows, want the %d of the batches sent before the panic", n, 2*readAheadRows)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the writer is still waiting for rows after the reader panicked")
	}
}
