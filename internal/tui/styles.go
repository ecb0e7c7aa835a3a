package tui

import (
	"charm.land/lipgloss/v2"

	"github.com/partnerctl/partnerctl/pkg/health"
)

// styles are the console's looks. Without color (NO_COLOR, CLICOLOR=0,
// --no-color) they keep bold, faint and reverse video, which are not color,
// so the selection and the cursor stay visible.
type styles struct {
	plain, bold, faint, selected, header lipgloss.Style
	title, errText, okText, key          lipgloss.Style
	status                               map[health.Status]lipgloss.Style
	licenseActive, licenseNone           lipgloss.Style
	box                                  lipgloss.Style
}

func newStyles(color bool) styles {
	fg := func(s lipgloss.Style, c string) lipgloss.Style {
		if !color {
			return s
		}
		return s.Foreground(lipgloss.Color(c))
	}
	n := lipgloss.NewStyle
	s := styles{plain: n()}
	s.bold = n().Bold(true)
	s.faint = n().Faint(true)
	s.selected = n().Reverse(true)
	s.header = n().Bold(true)
	s.title = fg(n().Bold(true), "4")
	s.errText = fg(n().Bold(true), "1")
	s.okText = fg(n(), "2")
	s.key = n().Bold(true)
	s.status = map[health.Status]lipgloss.Style{
		health.Healthy:         fg(n(), "2"),
		health.New:             fg(n(), "4"),
		health.SetupIncomplete: fg(n(), "3"),
		health.Inactive:        fg(n(), "1"),
	}
	s.licenseActive = fg(n(), "2")
	s.licenseNone = fg(n(), "1")
	s.box = n().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	if color {
		s.box = s.box.BorderForeground(lipgloss.Color("8"))
	}
	return s
}
