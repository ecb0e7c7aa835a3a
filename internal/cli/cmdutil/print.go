package cmdutil

import (
	"context"
	"strings"

	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// ReadList runs a read-only query and prints its rows with table: the whole
// body of a plain list command. The store is released before printing.
// empty is what a terminal is told when there are no rows (see
// output.Options.Empty).
func ReadList[T any](f *Factory, table output.Table[T], empty string, query func(ctx context.Context, c *console.Console) ([]T, error)) error {
	o, err := f.OutputOptions()
	if err != nil {
		return err
	}
	o.Empty = empty
	rows, err := Read(f, query)
	if err != nil {
		return err
	}
	return output.PrintList(f.IO.Out, table, rows, o)
}

// ReadOne is ReadList for a command that shows one object.
func ReadOne[T any](f *Factory, table output.Table[T], query func(ctx context.Context, c *console.Console) (T, error)) error {
	o, err := f.OutputOptions()
	if err != nil {
		return err
	}
	v, err := Read(f, query)
	if err != nil {
		return err
	}
	return output.PrintOne(f.IO.Out, table, v, o)
}

// WriteOne runs a change and prints the object it returns.
func WriteOne[T any](f *Factory, table output.Table[T], change func(ctx context.Context, c *console.Console) (T, error)) error {
	o, err := f.OutputOptions()
	if err != nil {
		return err
	}
	v, err := Write(f, change)
	if err != nil {
		return err
	}
	return output.PrintOne(f.IO.Out, table, v, o)
}

// ShellQuote quotes s for a POSIX shell when it needs it, so a command
// suggested in a message can be pasted as is.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.,:/@+=", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
