package console

import (
	"context"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// A newcomer's path is demo, then init: these rules keep it free of dead
// ends. init on a demo store says how to replace it (or replaces it when
// asked); demo never rebuilds a store with changes made by hand unless
// told to; a partner made without a login base URL is reminded that its
// links point nowhere.

// handMadeChanges counts the audit entries of a store: a demo is seeded
// without any, so each one is a change somebody made by hand (an org
// created, a link sent, an org opened).
func handMadeChanges(ctx context.Context, tx store.Tx) (int, *domain.AuditEntry, error) {
	n := 0
	var first *domain.AuditEntry
	for e, err := range tx.AuditEntries(ctx, store.AuditFilter{}) {
		if err != nil {
			return n, first, err
		}
		if first == nil {
			first = &e
		}
		n++
	}
	return n, first, nil
}

// refuseDemoRebuild is the conflict of `demo` on a demo store with changes
// made by hand, unless force.
func refuseDemoRebuild(ctx context.Context, tx store.Tx, force bool) error {
	if force {
		return nil
	}
	n, first, err := handMadeChanges(ctx, tx)
	if err != nil || n == 0 {
		return err
	}
	return fail.Conflictf("this demo store has %d change(s) made since it was built (the first: %s by %s); rebuilding would lose them",
		n, first.Action, first.Actor).
		WithCode(fail.CodeDemoChanged)
}

// refuseInitOver is the conflict of `init` on a store that has a partner:
// a demo store can be replaced with ReplaceDemo, a real one never.
func refuseInitOver(ctx context.Context, tx store.Tx, existing domain.Partner, replaceDemo bool) error {
	kind, err := tx.Kind(ctx)
	if err != nil {
		return err
	}
	if kind != domain.KindDemo {
		return fail.Conflictf("this store is already initialised for partner %q", existing.Name).
			WithCode(fail.CodeInitialised)
	}
	if replaceDemo {
		return tx.Reset(ctx)
	}
	return fail.Conflictf("this store holds the demo (%s)", existing.Name).
		WithCode(fail.CodeDemoStore)
}

// PlaceholderLoginBase reports whether the partner's login links and
// invitations point at DefaultLoginBaseURL, a placeholder that signs
// nobody in, because init was given no login base URL. A demo store
// is expected to and doesn't count.
func (c *Console) PlaceholderLoginBase(ctx context.Context) (bool, error) {
	var placeholder bool
	err := c.st.View(ctx, func(tx store.Tx) error {
		p, err := partner(ctx, tx)
		if err != nil {
			return err
		}
		kind, err := tx.Kind(ctx)
		placeholder = p.LoginBaseURL == DefaultLoginBaseURL && kind != domain.KindDemo
		return err
	})
	return placeholder, err
}

// DemoExplainRef is the ref of a demo org worth `orgs show --explain`: the
// first inactive one (CUST-0004), or CUST-0001 in a demo too small for it.
func DemoExplainRef(n int) string {
	for i := 0; i < n; i++ {
		if demoProfile(i) == "inactive" {
			return demoRef(i)
		}
	}
	return demoRef(0)
}
