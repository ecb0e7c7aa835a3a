package domain

// Brand is the partner's white-label look. The logo is the partner's
// LogoURL: one source of truth for the console header and the brand.
type Brand struct {
	SidebarColor string `json:"sidebar_color,omitempty"`
	ButtonColor  string `json:"button_color,omitempty"`
	StatusColor  string `json:"status_color,omitempty"`
	ToggleColor  string `json:"toggle_color,omitempty"`
}
