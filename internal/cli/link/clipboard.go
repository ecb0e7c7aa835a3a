package link

import "github.com/partnerctl/partnerctl/internal/clipboard"

// Clipboard is where `link create` copies a URL; tests hand NewCmdLink a
// fake. The interactive console copies through the same abstraction.
type Clipboard = clipboard.Clipboard

// SystemClipboard is the machine's clipboard.
type SystemClipboard = clipboard.System
