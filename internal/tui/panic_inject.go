//go:build partnerctl_panic

package tui

import "os"

func init() { injectPanic = os.Getenv("PARTNERCTL_TUI_PANIC") }
