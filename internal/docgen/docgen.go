// Package docgen writes the generated parts of the repository: the CLI
// reference (docs/cli/*.md), man pages (docs/man/*.1) and shell completions
// (completions/*). `go generate ./...` runs it; a test fails when the
// committed files are stale.
package docgen

//go:generate go run ./gen -out ../..

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/root"
	"github.com/partnerctl/partnerctl/internal/iostreams"
)

// manDate is the date printed in the man pages' footer; fixed so the pages
// are reproducible. Move it when the reference changes meaningfully.
var manDate = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// Paths of the generated trees, relative to the repository root.
var (
	MarkdownDir    = filepath.Join("docs", "cli")
	ManDir         = filepath.Join("docs", "man")
	CompletionsDir = "completions"
)

func newRoot() *cobra.Command {
	io, _, _, _ := iostreams.Test()
	cmd := root.NewCmdRoot(&cmdutil.Factory{IO: io, Getenv: func(string) string { return "" }})
	cmd.InitDefaultCompletionCmd()
	cmd.InitDefaultHelpCmd()
	cmd.DisableAutoGenTag = true
	return cmd
}

// Generate writes every generated file under the repository root dir,
// replacing the generated folders' contents.
func Generate(dir string) error {
	for _, sub := range []string{MarkdownDir, ManDir} {
		path := filepath.Join(dir, sub)
		if err := os.RemoveAll(path); err != nil {
			return err
		}
		if err := os.MkdirAll(path, 0o755); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, CompletionsDir), 0o755); err != nil {
		return err
	}
	cmd := newRoot()
	if err := doc.GenMarkdownTree(cmd, filepath.Join(dir, MarkdownDir)); err != nil {
		return fmt.Errorf("markdown: %w", err)
	}
	for _, topic := range cmd.Commands() {
		if !topic.IsAdditionalHelpTopicCommand() {
			continue
		}
		page := fmt.Sprintf("## partnerctl help %s\n\n%s\n\n```\n%s\n```\n", topic.Name(), topic.Short, topic.Long)
		if err := os.WriteFile(filepath.Join(dir, MarkdownDir, "partnerctl_help_"+topic.Name()+".md"), []byte(page), 0o644); err != nil {
			return err
		}
	}
	header := &doc.GenManHeader{Title: "PARTNERCTL", Section: "1", Source: "partnerctl", Manual: "partnerctl manual", Date: &manDate}
	if err := doc.GenManTree(cmd, header, filepath.Join(dir, ManDir)); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	completions := map[string]func(*bytes.Buffer) error{
		"partnerctl.bash": func(b *bytes.Buffer) error { return root.GenBashCompletion(cmd, b) },
		"_partnerctl":     func(b *bytes.Buffer) error { return cmd.GenZshCompletion(b) },
		"partnerctl.fish": func(b *bytes.Buffer) error { return cmd.GenFishCompletion(b, true) },
		"partnerctl.ps1":  func(b *bytes.Buffer) error { return cmd.GenPowerShellCompletionWithDesc(b) },
	}
	for name, gen := range completions {
		var b bytes.Buffer
		if err := gen(&b); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, CompletionsDir, name), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
