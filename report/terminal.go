package report

import (
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TerminalText returns s as it may be printed on a terminal: every
// character a terminal would act on instead of showing is shown as its Go
// escape, so that a name stored with an escape sequence (\x1b[2J clears
// the screen) or a right-to-left override (U+202E) is read, not obeyed.
// Control characters other than the line break, the characters that
// change the direction of writing, and bytes that are not UTF-8 are
// escaped: \x1b, \u202e, \xff. Applying it twice changes nothing more.
func TerminalText(s string) string {
	i := strings.IndexFunc(s, unsafeOnTerminal)
	if i < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[0])|0x100, 16)[1:])
		case unsafeOnTerminal(r):
			q := strconv.QuoteRuneToASCII(r) // '\x1b', '\u202e'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

// unsafeOnTerminal reports a character TerminalText escapes.
func unsafeOnTerminal(r rune) bool {
	if r == '\n' {
		return false
	}
	return unicode.IsControl(r) || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' ||
		r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// toTerminal writes to w what write writes, through TerminalText.
func toTerminal(w io.Writer, write func(w io.Writer) error) error {
	var b strings.Builder
	if err := write(&b); err != nil {
		return err
	}
	_, err := io.WriteString(w, TerminalText(b.String()))
	return err
}

// terminalCells makes every cell of rows safe for a terminal, before the
// widths of the columns are measured: an escape takes the room it is
// shown in.
func terminalCells(rows [][]string) {
	for _, row := range rows {
		for i, cell := range row {
			row[i] = TerminalText(cell)
		}
	}
}
