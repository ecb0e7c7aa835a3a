package fail

import "fmt"

// LineError is what is wrong with one line of an input file.
type LineError struct {
	Line   int
	Reason string
}

func (e LineError) String() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// InputError is returned when a file has invalid lines; nothing was written.
type InputError struct {
	Summary *Error
	Lines   []LineError // the first few
	Count   int         // all invalid lines
}

func (e *InputError) Error() string { return e.Summary.Error() }
func (e *InputError) Unwrap() error { return e.Summary }

// MaxReportedLineErrors bounds how many line errors an import lists.
const MaxReportedLineErrors = 10

// Add records one invalid line, keeping the first MaxReportedLineErrors.
func (e *InputError) Add(line int, reason string) {
	e.Count++
	if len(e.Lines) < MaxReportedLineErrors {
		e.Lines = append(e.Lines, LineError{line, reason})
	}
}
