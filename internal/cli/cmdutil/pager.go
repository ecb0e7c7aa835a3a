package cmdutil

import "github.com/spf13/cobra"

const pagedAnnotation = "partnerctl/paged"

// Paged marks cmd as one whose output can run longer than a screen: on a
// terminal it goes through the pager (see iostreams.StartPager), the way gh
// pages, so a 25-row page plus its header card reads on a 24-line terminal.
func Paged(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[pagedAnnotation] = "true"
	return cmd
}

// IsPaged reports whether cmd was marked with Paged.
func IsPaged(cmd *cobra.Command) bool { return cmd.Annotations[pagedAnnotation] == "true" }
