package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// OpenInput opens FILE, or standard input for "-" (or no name). The caller
// calls close when done. Standard input at a terminal gets a note on stderr:
// a bare `events import` would otherwise sit there silently, looking hung.
func OpenInput(f *Factory, path string) (r io.Reader, size int64, closeFn func(), err error) {
	if path == "" || path == "-" {
		if f.IO.IsStdinTTY() {
			fmt.Fprintln(f.IO.ErrOut, "Reading standard input: type or paste lines, then Ctrl-D to end (Ctrl-C cancels)")
		}
		return f.IO.In, -1, func() {}, nil
	}
	file, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, 0, nil, fail.Usagef("cannot read %s: %v", path, err)
	}
	size = -1
	if st, err := file.Stat(); err == nil {
		if st.IsDir() {
			file.Close()
			return nil, 0, nil, fail.Usagef("cannot read %s: it is a folder", path)
		}
		size = st.Size()
	}
	return file, size, func() { file.Close() }, nil
}
