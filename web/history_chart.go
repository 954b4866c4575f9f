package web

import (
	"fmt"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// LineChart is the trend of a worker's total across quarters, drawn as SVG
// by the history template from the geometry computed here (the style of
// charts.go: a viewBox about as wide as a phone).
type LineChart struct {
	Width, Height int
	// Left and Right bound the plot horizontally; BaseY is the y of the
	// zero line, LabelY the baseline of the quarters' labels under it.
	Left, Right, BaseY, LabelY int
	TickX                      int
	Ticks                      []ChartTick
	// Lines are polylines ("x,y x,y …"), broken where a quarter has no
	// total (not assessed).
	Lines  []string
	Points []ChartPoint
	// Summary describes the chart in words, for screen readers.
	Summary string
	// Empty is set when no quarter has a total.
	Empty bool
}

// ChartTick is a horizontal grid line of the value axis.
type ChartTick struct {
	// Y is the line's; TextY the baseline of its label, right-aligned at
	// the chart's TickX.
	Y, TextY int
	Label    string
}

// ChartPoint is one quarter on the chart.
type ChartPoint struct {
	X, Y, ValueY int
	// HasValue is unset for a quarter without a total: only its label is
	// drawn.
	HasValue bool
	Label    string
	Value    string
	Live     bool
}

// Line chart geometry, in viewBox units.
const (
	lineWidth  = 360
	lineHeight = 210
	lineLeft   = 36
	lineRight  = 344
	lineTop    = 20
	lineBase   = 176
)

// newTrendChart draws the totals of qs, oldest first, on a scale from 0 to
// full, the scheme's full score. A quarter between two of qs that has no
// result (never published) keeps its place on the axis and breaks the
// line: 23Q3 is not joined to 24Q1 as if they were neighbours.
func newTrendChart(qs []historyQuarter, full gs.Points) LineChart {
	qs = withGaps(qs)
	c := LineChart{Width: lineWidth, Height: lineHeight, Left: lineLeft, Right: lineRight,
		BaseY: lineBase, LabelY: lineBase + 20, TickX: lineLeft - 6, Empty: true}
	full = max(full, 1)
	for i := range 5 {
		v := full * gs.Points(i) / 4
		y := yOf(v, full)
		c.Ticks = append(c.Ticks, ChartTick{Y: y, TextY: y + 4, Label: v.String()})
	}
	var line, parts []string
	flush := func() {
		if len(line) > 0 {
			c.Lines = append(c.Lines, strings.Join(line, " "))
			line = nil
		}
	}
	for i, q := range qs {
		x := (lineLeft + lineRight) / 2
		if n := len(qs); n > 1 {
			x = lineLeft + 14 + i*(lineRight-lineLeft-28)/(n-1)
		}
		p := ChartPoint{X: x, Y: lineBase, Label: shortQuarter(q.state.Quarter), Live: q.live}
		t := q.result.Total
		if q.gap {
			flush()
			parts = append(parts, q.state.Quarter+" 无考核结果")
			c.Points = append(c.Points, p)
			continue
		}
		if t == nil {
			flush()
			parts = append(parts, q.state.Quarter+" 不参加考核")
			c.Points = append(c.Points, p)
			continue
		}
		c.Empty = false
		p.HasValue, p.Y, p.Value = true, yOf(min(*t, full), full), t.String()
		p.ValueY = p.Y - 8
		line = append(line, fmt.Sprintf("%d,%d", p.X, p.Y))
		c.Points = append(c.Points, p)
		parts = append(parts, q.state.Quarter+" "+t.String()+" 分")
	}
	flush()
	c.Summary = "总分趋势：" + strings.Join(parts, "，")
	return c
}

// yOf is the y of value v on a scale from 0 to full.
func yOf(v, full gs.Points) int {
	return lineBase - int(int64(max(v, 0))*(lineBase-lineTop)/int64(full))
}

// shortQuarter writes 2023Q3 as 23Q3, short enough for the axis.
func shortQuarter(q string) string {
	if len(q) == 6 {
		return q[2:]
	}
	return q
}

// withGaps returns qs with a quarter marked gap in place of each quarter
// missing between two of them (qs oldest first); qs unchanged when none is.
func withGaps(qs []historyQuarter) []historyQuarter {
	var out []historyQuarter
	for i, q := range qs {
		if i > 0 {
			prev, err1 := gs.ParseQuarter(qs[i-1].state.Quarter)
			cur, err2 := gs.ParseQuarter(q.state.Quarter)
			for next := nextQuarter(prev); err1 == nil && err2 == nil && next.Year*4+next.Q < cur.Year*4+cur.Q; next = nextQuarter(next) {
				if out == nil {
					out = append(out, qs[:i]...)
				}
				out = append(out, historyQuarter{state: gs.QuarterState{Quarter: next.String()}, gap: true})
			}
		}
		if out != nil {
			out = append(out, q)
		}
	}
	if out == nil {
		return qs
	}
	return out
}

// nextQuarter is the quarter after q.
func nextQuarter(q gs.Quarter) gs.Quarter {
	if q.Q == 4 {
		return gs.Quarter{Year: q.Year + 1, Q: 1}
	}
	return gs.Quarter{Year: q.Year, Q: q.Q + 1}
}
