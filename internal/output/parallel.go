package output

import (
	"bufio"
	"bytes"
	"io"
	"runtime"
	"sync"
)

// parallelChunk is how many rows one worker formats at a time when a list
// is formatted on several cores: large enough that handing chunks around
// costs nothing next to formatting them, small enough that the chunks in
// flight stay a few megabytes.
const parallelChunk = 4096

// writeChunks writes rows formatted by format, which must write the rows
// it is given (at is the first one's index in rows) and nothing else. A
// list of many rows is cut into chunks that every core formats side by
// side and that are written in order: printing the million orgs an `orgs
// import` created took a fifth of its time on one core. format is called
// from several goroutines at once, so the columns it calls must share
// nothing they change (see views.CreatedOrg).
func writeChunks[T any](w *bufio.Writer, rows []T, format func(w *bufio.Writer, at int, rows []T) error) error {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || len(rows) < 4*parallelChunk {
		return format(w, 0, rows)
	}
	type piece struct {
		buf *bytes.Buffer
		err error
	}
	type job struct {
		at   int
		rows []T
		out  chan piece
	}
	jobs := make(chan job)
	order := make(chan chan piece, 2*workers) // the chunks in flight, in row order
	stop := make(chan struct{})               // the writer gave up
	free := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	var formatting sync.WaitGroup
	for range workers {
		formatting.Go(func() {
			bw := bufio.NewWriterSize(io.Discard, 64<<10)
			for j := range jobs {
				buf := free.Get().(*bytes.Buffer)
				buf.Reset()
				bw.Reset(buf)
				err := format(bw, j.at, j.rows)
				if err == nil {
					err = bw.Flush()
				}
				j.out <- piece{buf, err} // buffered: never blocks
			}
		})
	}
	go func() {
		defer close(order)
		defer close(jobs)
		for lo := 0; lo < len(rows); lo += parallelChunk {
			j := job{lo, rows[lo:min(lo+parallelChunk, len(rows))], make(chan piece, 1)}
			select {
			case order <- j.out:
			case <-stop:
				return
			}
			select {
			case jobs <- j:
			case <-stop:
				// Nobody waits for this chunk: the writer stopped
				// before it reached the chunk's place in order.
				return
			}
		}
	}()
	var err error
	for out := range order {
		p := <-out
		err = p.err
		if err == nil {
			_, err = w.Write(p.buf.Bytes())
		}
		free.Put(p.buf)
		if err != nil {
			close(stop)
			break
		}
	}
	for range order { // let the dispatcher see stop and finish
	}
	formatting.Wait()
	return err
}
