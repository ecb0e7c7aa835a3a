package cmdutil

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// completionLockTimeout keeps a shell responsive when the store is busy:
// completion gives up quickly and silently.
const completionLockTimeout = 300 * time.Millisecond

// Completer lists candidates for what has been typed so far, as
// "value\tdescription" lines.
type Completer func(ctx context.Context, c *console.Console, typed string) ([]string, error)

// Complete turns a Completer into a cobra completion function that opens the
// store read-only and never prints errors: a failure completes nothing.
func Complete(f *Factory, list Completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
		f.Flags.LockTimeout = completionLockTimeout
		out, err := Read(f, func(ctx context.Context, c *console.Console) ([]string, error) { return list(ctx, c, typed) })
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		for i := range out { // the shell shows them: no control sequences
			out[i] = output.SafeText(out[i])
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteArgs completes the positional argument at index i with list.
func CompleteArgs(f *Factory, lists ...Completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= len(lists) || lists[len(args)] == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return Complete(f, lists[len(args)])(cmd, args, typed)
	}
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Orgs completes ORG arguments: names, refs and ids that start with what was
// typed (any case).
func Orgs(ctx context.Context, c *console.Console, typed string) ([]string, error) {
	page, err := c.ListOrgs(ctx, console.OrgQuery{Search: typed})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, o := range page.Orgs {
		if hasPrefixFold(o.Name, typed) {
			out = append(out, o.Name+"\t"+strings.TrimSpace(o.ID+" "+o.RefID))
		}
		if o.RefID != "" && hasPrefixFold(o.RefID, typed) {
			out = append(out, o.RefID+"\t"+o.Name)
		}
	}
	if strings.HasPrefix("org_", strings.ToLower(typed)) || strings.HasPrefix(strings.ToLower(typed), "org_") {
		all, err := c.ListOrgs(ctx, console.OrgQuery{})
		if err != nil {
			return nil, err
		}
		for _, o := range all.Orgs {
			if hasPrefixFold(o.ID, typed) {
				out = append(out, o.ID+"\t"+o.Name)
			}
		}
	}
	return out, nil
}

// Licenses completes LICENSE arguments with license ids and numbers.
func Licenses(ctx context.Context, c *console.Console, typed string) ([]string, error) {
	ls, err := c.ListLicenses(ctx, console.LicenseQuery{ExpiringWithin: -1})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range ls {
		desc := string(l.Status)
		if l.OrgName != "" {
			desc += ", " + l.OrgName
		}
		if hasPrefixFold(l.ID, typed) {
			out = append(out, l.ID+"\t"+l.Number+" "+desc)
		}
		if hasPrefixFold(l.Number, typed) && !hasPrefixFold(l.ID, typed) {
			out = append(out, l.Number+"\t"+l.ID+" "+desc)
		}
	}
	return out, nil
}

// Links completes link ids.
func Links(ctx context.Context, c *console.Console, typed string) ([]string, error) {
	ls, err := c.Links(ctx, console.LinkQuery{})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range ls {
		if hasPrefixFold(l.ID, typed) {
			out = append(out, l.ID+"\t"+string(l.State)+" "+l.Email+" → "+l.OrgName)
		}
	}
	return out, nil
}
