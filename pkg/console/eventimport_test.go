package console

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

func importLines(t *testing.T, c *Console, skip bool, lines ...string) EventImportResult {
	t.Helper()
	res, err := c.ImportEvents(ctx, strings.NewReader(strings.Join(lines, "\n")+"\n"), EventImportOptions{SkipInvalid: skip, BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestEventCountersAndFloors(t *testing.T) {
	c := newTestConsole(t)
	org := mustCreate(t, c, "Acme Bakery", "ACME")
	res := importLines(t, c, false,
		`{"id":"1","org":"ACME","type":"knowledge.added","at":"2026-11-01T00:00:00Z"}`,
		`{"id":"2","org":"ACME","type":"knowledge.removed","at":"2026-11-02T00:00:00Z"}`,
		`{"id":"3","org":"ACME","type":"knowledge.removed","at":"2026-11-03T00:00:00Z"}`,
		`{"id":"4","org":"`+org.ID+`","type":"integration.connected","at":"2026-11-03T00:00:00Z"}`,
		`{"id":"5","org":"ACME","type":"integration.disconnected","at":"2026-11-04T00:00:00Z"}`,
		`{"id":"6","org":"ACME","type":"integration.disconnected","at":"2026-11-05T00:00:00Z"}`,
		`{"id":"7","org":"ACME","type":"ai.instructions.updated","at":"2026-11-05T00:00:00Z"}`,
		`{"id":"8","org":"ACME","type":"member.added","email":"Ann@Acme.example","at":"2026-11-05T00:00:00Z"}`,
		`{"id":"9","org":"ACME","type":"member.added","email":"ann@acme.example","at":"2026-11-06T00:00:00Z"}`,
		`{"id":"10","org":"ACME","type":"member.added","email":"bob@acme.example","at":"2026-11-06T00:00:00Z"}`,
		`{"id":"11","org":"ACME","type":"member.removed","email":"bob@acme.example","at":"2026-11-07T00:00:00Z"}`,
		`{"id":"12","org":"ACME","type":"member.removed","email":"zed@acme.example","at":"2026-11-07T00:00:00Z"}`,
		`{"id":"13","org":"ACME","type":"message.sent","at":"2026-11-07T00:00:00Z"}`,
		`{"id":"14","org":"ACME","type":"contact.created","at":"2026-11-07T00:00:00Z"}`,
		`{"id":"15","org":"ACME","type":"device.registered","device":"d1","at":"2026-11-07T00:00:00Z"}`,
		`{"id":"16","org":"ACME","type":"device.provisioned","device":"d1","at":"2026-11-08T00:00:00Z"}`,
		`{"id":"17","org":"ACME","type":"device.onboarded","device":"d1","at":"2026-11-07T12:00:00Z"}`,
		`{"id":"18","org":"ACME","type":"device.registered","device":"d2","at":"2026-11-07T00:00:00Z"}`,
		`{"id":"19","org":"ACME","type":"device.removed","device":"d2","at":"2026-11-09T00:00:00Z"}`,
		`{"id":"20","org":"ACME","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
		`{"id":"20","org":"ACME","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	)
	if res.Imported != 20 || res.Duplicates != 1 || res.Skipped != 0 || res.Lines != 21 {
		t.Fatalf("result %+v", res)
	}
	v, err := c.ShowOrg(ctx, "ACME")
	if err != nil {
		t.Fatal(err)
	}
	o := v.Org
	got := []int{o.DataSources, o.Integrations, o.Users, o.Messages, o.Subscribers, o.SessionsTotal, v.Sessions30d,
		o.Devices.Total, o.Devices.Registered, o.Devices.Onboarded, o.Devices.Provisioned}
	want := []int{0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("counters %v, want %v", got, want)
		}
	}
	if !o.AITrained {
		t.Fatal("ai_trained not set")
	}
	// Re-running the same feed changes nothing.
	res = importLines(t, c, false, `{"id":"20","org":"ACME","type":"session.started","at":"2026-11-20T10:00:00Z"}`)
	if res.Imported != 0 || res.Duplicates != 1 {
		t.Fatalf("re-run %+v", res)
	}
}

func TestEventImportIsAllOrNothing(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Acme", "ACME")
	input := strings.Join([]string{
		`{"id":"1","org":"ACME","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
		`{"id":"2","org":"NOPE","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
		``,
		`{"id":"3","org":"ACME","type":"session.exploded","at":"2026-11-20T10:00:00Z"}`,
		`{"id":"4","org":"ACME","type":"session.started","at":"yesterday"}`,
		`{"id":"5","org":"ACME","type":"member.added","at":"2026-11-20T10:00:00Z"}`,
		`not json`,
		`{"org":"ACME","type":"session.started","at":"2026-11-20T10:00:00Z"}`,
	}, "\n")
	_, err := c.ImportEvents(ctx, strings.NewReader(input), EventImportOptions{})
	var bad *fail.InputError
	if !errors.As(err, &bad) {
		t.Fatalf("err = %v", err)
	}
	var lines []string
	for _, l := range bad.Lines {
		lines = append(lines, l.String())
	}
	want := []string{
		`line 2: unknown org "NOPE"`,
		`line 4: unknown type "session.exploded"`,
		`line 5: bad at "yesterday": want RFC 3339`,
		`line 6: member.added needs an email`,
		`line 7: invalid JSON: invalid character 'o' in literal null (expecting 'u')`,
		`line 8: missing id`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") || bad.Count != 6 {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	v, _ := c.ShowOrg(ctx, "ACME")
	if v.SessionsTotal != 0 {
		t.Fatal("an invalid import wrote something")
	}
	// With --skip-invalid the valid line lands and the rest are reported.
	res, err := c.ImportEvents(ctx, strings.NewReader(input), EventImportOptions{SkipInvalid: true})
	if err != nil || res.Imported != 1 || res.Skipped != 6 || len(res.Invalid) != 6 {
		t.Fatalf("skip-invalid: %+v %v", res, err)
	}
}

// Seed 002: "other brief device states, such as Onboarding in Progress, may
// also be reflected in the total. Devices removed are not counted."
func TestDeviceStatesOtherThanTheThreeCountInTheTotalOnly(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Harbor Dental", "HD")
	devices := func() []int {
		t.Helper()
		v, err := c.ShowOrg(ctx, "HD")
		if err != nil {
			t.Fatal(err)
		}
		d := v.Devices
		return []int{d.Total, d.Registered, d.Onboarded, d.Provisioned}
	}
	expect := func(step string, want ...int) {
		t.Helper()
		if got := devices(); !slices.Equal(got, want) {
			t.Fatalf("%s: devices (total, registered, onboarded, provisioned) = %v, want %v", step, got, want)
		}
	}
	importLines(t, c, false,
		`{"id":"1","org":"HD","type":"device.registered","device":"k1","at":"2026-11-01T00:00:00Z"}`,
		`{"id":"2","org":"HD","type":"device.state","device":"k1","state":"onboarding_in_progress","at":"2026-11-02T00:00:00Z"}`,
		`{"id":"3","org":"HD","type":"device.state","device":"k2","state":"onboarding_in_progress","at":"2026-11-02T00:00:00Z"}`,
	)
	expect("two devices onboarding", 2, 0, 0, 0)
	importLines(t, c, false,
		`{"id":"4","org":"HD","type":"device.state","device":"k1","state":"provisioned","at":"2026-11-03T00:00:00Z"}`,
		`{"id":"5","org":"HD","type":"device.state","device":"k2","state":"removed","at":"2026-11-03T00:00:00Z"}`,
		`{"id":"6","org":"HD","type":"device.state","device":"k3","state":"removed","at":"2026-11-03T00:00:00Z"}`,
		// older than k1's state: changes nothing
		`{"id":"7","org":"HD","type":"device.state","device":"k1","state":"factory_reset","at":"2026-11-01T12:00:00Z"}`,
	)
	expect("one provisioned, the others removed", 1, 0, 0, 1)
	importLines(t, c, false,
		`{"id":"8","org":"HD","type":"device.state","device":"k2","state":"wiping","at":"2026-11-04T00:00:00Z"}`,
		`{"id":"9","org":"HD","type":"device.removed","device":"k1","at":"2026-11-04T00:00:00Z"}`,
	)
	expect("a removed device back in another state; the provisioned one removed", 1, 0, 0, 0)

	_, err := c.ImportEvents(ctx, strings.NewReader(
		`{"id":"10","org":"HD","type":"device.state","device":"k1","at":"2026-11-05T00:00:00Z"}`+"\n"+
			`{"id":"11","org":"HD","type":"device.state","device":"k1","state":"Onboarding In Progress","at":"2026-11-05T00:00:00Z"}`+"\n"), EventImportOptions{})
	var bad *fail.InputError
	if !errors.As(err, &bad) || len(bad.Lines) != 2 || bad.Lines[0].Reason != "device.state needs a state" ||
		!strings.HasPrefix(bad.Lines[1].Reason, `bad state "Onboarding In Progress"`) {
		t.Fatalf("invalid states: %v %+v", err, bad)
	}
}
