package output

// Style paints text for a terminal; with color off every method returns its
// input unchanged.
type Style struct{ Color bool }

func (s Style) paint(code, text string) string {
	if !s.Color || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s Style) Green(t string) string  { return s.paint("32", t) }
func (s Style) Yellow(t string) string { return s.paint("33", t) }
func (s Style) Red(t string) string    { return s.paint("31", t) }
func (s Style) Blue(t string) string   { return s.paint("34", t) }
func (s Style) Gray(t string) string   { return s.paint("90", t) }
func (s Style) Bold(t string) string   { return s.paint("1", t) }
