package health

import (
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func at(d time.Duration) *time.Time { t := now.Add(-d); return &t }

func TestEvaluateRulesAtTheirBoundaries(t *testing.T) {
	setUp := func(o domain.Org) domain.Org { o.DataSources = 1; return o }
	cases := []struct {
		name string
		org  domain.Org
		want Status
		rule int
	}{
		{"created now, no session", domain.Org{CreatedAt: now}, New, 1},
		{"created 7d minus 1ns ago, no session", domain.Org{CreatedAt: now.Add(-NewWindow + 1)}, New, 1},
		{"created exactly 7d ago is no longer new", domain.Org{CreatedAt: now.Add(-NewWindow)}, SetupIncomplete, 2},
		{"young but had a session is not new", setUp(domain.Org{CreatedAt: now.Add(-time.Hour), LastActiveAt: at(time.Minute)}), Healthy, 4},
		{"young with a session but nothing set up", domain.Org{CreatedAt: now.Add(-time.Hour), LastActiveAt: at(time.Minute)}, SetupIncomplete, 2},
		{"new even when set up", setUp(domain.Org{CreatedAt: now.Add(-time.Hour)}), New, 1},
		{"integrations alone count as set up", domain.Org{CreatedAt: now.Add(-40 * 24 * time.Hour), Integrations: 1, LastActiveAt: at(time.Hour)}, Healthy, 4},
		{"AI training alone is not set up", domain.Org{CreatedAt: now.Add(-40 * 24 * time.Hour), AITrained: true, LastActiveAt: at(time.Hour)}, SetupIncomplete, 2},
		{"set up, never a session", setUp(domain.Org{CreatedAt: now.Add(-8 * 24 * time.Hour)}), Inactive, 3},
		{"last session 30d minus 1ns ago", setUp(domain.Org{CreatedAt: now.Add(-90 * 24 * time.Hour), LastActiveAt: at(ActiveWindow - 1)}), Healthy, 4},
		{"last session exactly 30d ago", setUp(domain.Org{CreatedAt: now.Add(-90 * 24 * time.Hour), LastActiveAt: at(ActiveWindow)}), Inactive, 3},
		{"created in the future (pinned clock) counts as new", domain.Org{CreatedAt: now.Add(time.Hour)}, New, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := Evaluate(&c.org, now)
			if v.Status != c.want || v.Rule != c.rule {
				t.Fatalf("got %s (rule %d, %q), want %s (rule %d)", v.Status, v.Rule, v.Reason, c.want, c.rule)
			}
			if got := Of(&c.org, now); got != c.want {
				t.Fatalf("Of = %s, want %s (Evaluate's)", got, c.want)
			}
		})
	}
}

func TestExplainSaysWhatIsMissing(t *testing.T) {
	o := domain.Org{CreatedAt: now.Add(-10 * 24 * time.Hour)}
	if got := Evaluate(&o, now).Reason; got != "no knowledge sources and no integrations" {
		t.Fatalf("reason %q", got)
	}
	o.DataSources = 2
	o.LastActiveAt = at(45*24*time.Hour + 3*time.Hour)
	if got := Evaluate(&o, now).Reason; got != "set up, but no session in the last 30 days (last one 1 month ago)" {
		t.Fatalf("reason %q", got)
	}
}

func TestParseAcceptsDashesUnderscoresAndCase(t *testing.T) {
	for in, want := range map[string]Status{"setup-incomplete": SetupIncomplete, "SETUP_INCOMPLETE": SetupIncomplete, " healthy ": Healthy, "New": New} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Parse("sleepy"); err == nil || err.Error() != `invalid status "sleepy": want one of new, setup-incomplete, inactive, healthy` {
		t.Fatalf("Parse(sleepy) error = %v", err)
	}
	if _, err := ParseList("--fail-on", "inactive,bogus"); err == nil || err.Error() != `invalid --fail-on "bogus": want one of new, setup-incomplete, inactive, healthy` {
		t.Fatalf("ParseList names the flag: %v", err)
	}
	list, err := ParseList("--status", "inactive,,setup-incomplete")
	if err != nil || len(list) != 2 || list[0] != Inactive || list[1] != SetupIncomplete {
		t.Fatalf("ParseList = %v, %v", list, err)
	}
}
