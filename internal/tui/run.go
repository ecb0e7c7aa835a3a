package tui

import (
	"errors"

	tea "charm.land/bubbletea/v2"
)

// Run shows the console full-screen until the person quits, then restores
// the terminal. opts are extra program options (input and output in
// tests). The error is a recovered panic or the program's own failure;
// quitting with q, esc or ctrl+c (key or SIGINT) is not an error.
func Run(m *Model, opts ...tea.ProgramOption) error {
	p := tea.NewProgram(m, opts...)
	// View can't return a command, so a panic caught there quits through
	// the program; Quit only sends a message, never blocks a running View.
	m.quitProgram = func() { go p.Quit() }
	_, err := p.Run()
	if m.fatal != nil {
		return m.fatal
	}
	if errors.Is(err, tea.ErrInterrupted) {
		return nil
	}
	return err
}
