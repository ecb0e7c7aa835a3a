package cmdutil

import (
	"fmt"

	"github.com/partnerctl/partnerctl/pkg/console"
)

// WarnPlaceholderLoginBase warns on stderr when the partner's links and
// invitations point at the placeholder login base URL (init without
// --login-base-url): they would sign nobody in. A failure to tell is not
// worth failing the command for: it says nothing.
func WarnPlaceholderLoginBase(f *Factory, c *console.Console) {
	if placeholder, err := c.PlaceholderLoginBase(f.Context()); err == nil && placeholder {
		fmt.Fprintf(f.IO.ErrOut, "partnerctl: warning: login links and invitations point at the placeholder %s, which signs nobody in; "+
			"set your platform's with `partnerctl partner update --login-base-url URL`\n", console.DefaultLoginBaseURL)
	}
}
