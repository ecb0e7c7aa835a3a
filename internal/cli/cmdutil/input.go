package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/partnerctl/partnerctl/pkg/console"
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

// CheckImportAccess runs an import's access check on a read-only store
// when its input is standard input, which the import reads to its end
// before it locks the store: a user who may not import, or a --db that
// names no store, is told at once, not after the whole feed is typed or
// piped in. A file needs no early check: it is read inside the import.
func CheckImportAccess(f *Factory, path string) error {
	if path != "" && path != "-" {
		return nil
	}
	_, err := Read(f, func(ctx context.Context, c *console.Console) (struct{}, error) {
		return struct{}{}, c.CheckImportAccess(ctx)
	})
	return err
}
