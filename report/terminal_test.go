package report_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/report"
)

// TestTerminalText: what a terminal would obey is shown as its escape;
// ordinary text, Chinese and line breaks are left alone.
func TestTerminalText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"王建华":                    "王建华",
		"第一行\n第二行":               "第一行\n第二行",
		"张三\x1b[2J\x1b[31m":      `张三\x1b[2J\x1b[31m`,
		"王\u202e华建":              `王\u202e华建`,
		"a\rb\tc\x7f\u009b":      `a\rb\tc\x7f\u009b`,
		"坏\xff字节":                `坏\xff字节`,
		`张三\x1b[2J`:              `张三\x1b[2J`, // escaped once is escaped
		"\u2066隔离\u2069\u200f标记": `\u2066隔离\u2069\u200f标记`,
	} {
		if got := report.TerminalText(in); got != want {
			t.Errorf("TerminalText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTablesShowNamesNotEscapes: a worker's name stored with a terminal
// escape and a right-to-left override (before names were checked) is
// printed as text by the assessment's and the warnings' tables: nothing
// that clears or recolours the terminal, or turns a line around, reaches
// it.
func TestTablesShowNamesNotEscapes(t *testing.T) {
	t.Parallel()
	evil := "张三\x1b[2J\x1b[31m\u202e"
	res := sample()
	res.Workers[0].Name = evil
	res.Workers[0].Deductions[0].Detail = "说明\x1b]0;title\x07"
	res.Workers[1].Name = evil
	warn := midQuarter()
	warn.Workers[0].Name = evil
	(*warn.Workers[0].Warnings)[0].Detail = "还需\x1b[2J"
	for name, write := range map[string]func(io.Writer) error{
		"assess":   func(w io.Writer) error { return report.WriteTable(w, res) },
		"warnings": func(w io.Writer) error { return report.WriteWarningsTable(w, "XX镇", warn) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\x07\u202e") {
			t.Errorf("%s: the table prints escapes raw:\n%q", name, out)
		}
		if !strings.Contains(out, `张三\x1b[2J\x1b[31m\u202e`) {
			t.Errorf("%s: the name is not shown escaped:\n%s", name, out)
		}
	}
}
