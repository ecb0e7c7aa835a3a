package output

import (
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// cellPadding is what the drawn table adds around each cell: one space on
// either side.
const cellPadding = 2

// minTruncatedWidth is the narrowest a free-text column is cut to before
// columns are dropped instead: below it names stop being recognisable.
const minTruncatedWidth = 20

// minDetailWidth is the narrowest value column of a one-object listing.
const minDetailWidth = 20

// ellipsis marks a cut cell.
const ellipsis = "…"

// fitColumn is what fitting needs to know of a column.
type fitColumn struct {
	Drop     int
	Truncate bool
}

// fitWidths makes a table fit width terminal columns, the way gh does: while
// it is too wide even with its free-text columns cut to minTruncatedWidth,
// the droppable column with the lowest Drop leaves; then the widest
// free-text columns are cut with "…" until it fits. When nothing more can
// go (columns chosen with --fields, a very narrow window), every column is
// cut, widest first. Nothing ever wraps. It returns the columns that stay
// (keep, in order) and how wide each may be (widths, by column index); keep
// is nil when width is 0, no limit.
func fitWidths(headers []string, rows [][]string, cols []fitColumn, width int, withHeaders bool) (keep []int, widths []int) {
	if width <= 0 || len(headers) == 0 {
		return nil, nil
	}
	natural := make([]int, len(headers))
	for i, h := range headers {
		if withHeaders {
			natural[i] = twwidth.Width(h)
		}
		for _, r := range rows {
			natural[i] = max(natural[i], twwidth.Width(r[i]))
		}
	}
	keep = make([]int, len(headers))
	for i := range keep {
		keep[i] = i
	}
	floor := func(i int) int {
		if !cols[i].Truncate {
			return natural[i]
		}
		f := minTruncatedWidth
		if withHeaders {
			f = max(f, twwidth.Width(headers[i]))
		}
		return min(natural[i], f)
	}
	total := func(w func(int) int) int {
		sum := 0
		for _, i := range keep {
			sum += w(i) + cellPadding
		}
		return sum
	}
	for total(floor) > width {
		next := -1
		for k, i := range keep {
			if d := cols[i].Drop; d > 0 && (next < 0 || d < cols[keep[next]].Drop) {
				next = k
			}
		}
		if next < 0 {
			break
		}
		keep = append(keep[:next:next], keep[next+1:]...)
	}
	widths = make([]int, len(headers))
	for _, i := range keep {
		widths[i] = natural[i]
	}
	shrink := func(excess int, lowest func(int) int) int {
		for ; excess > 0; excess-- {
			widest := -1
			for _, i := range keep {
				if widths[i] > lowest(i) && (widest < 0 || widths[i] > widths[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				break
			}
			widths[widest]--
		}
		return excess
	}
	excess := total(func(i int) int { return widths[i] }) - width
	excess = shrink(excess, func(i int) int {
		if cols[i].Truncate {
			return floor(i)
		}
		return widths[i]
	})
	shrink(excess, func(int) int { return 1 })
	return keep, widths
}

// truncateCell cuts s to width display columns, the last one "…", keeping
// its colors intact.
func truncateCell(s string, width int) string {
	if twwidth.Width(s) <= width {
		return s
	}
	return twwidth.Truncate(s, width, ellipsis)
}

// padRight pads s with spaces to width display columns.
func padRight(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-twwidth.Width(s)))
}

// wrapText breaks s into lines of at most width display columns, at spaces
// where it can and inside a word only when the word alone is too long. It
// always returns at least one line; width 0 means no limit.
func wrapText(s string, width int) []string {
	if width <= 0 || twwidth.Width(s) <= width {
		return []string{s}
	}
	var lines []string
	line := ""
	for _, word := range strings.Split(s, " ") {
		switch {
		case line == "":
			line = word
		case twwidth.Width(line)+1+twwidth.Width(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
		for twwidth.Width(line) > width {
			if strings.Contains(line, "\x1b") { // painted text is cut, not split
				line = truncateCell(line, width)
				break
			}
			head := twwidth.Truncate(line, width)
			if head == "" {
				_, size := utf8.DecodeRuneInString(line)
				head = line[:size]
			}
			lines = append(lines, head)
			line = line[len(head):]
		}
	}
	return append(lines, line)
}
