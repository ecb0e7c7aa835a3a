package tui

// injectPanic, set only in a build with the partnerctl_panic tag (see
// panic_inject.go), makes the key panicKey panic in "update" or the next
// "view", so the end-to-end test can prove a crash restores the terminal.
// In a normal build it is always "".
var injectPanic string

const panicKey = "!"
