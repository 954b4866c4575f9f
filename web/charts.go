package web

import (
	"fmt"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// The charts are SVG drawn by the templates from the geometry computed here,
// so that they need no script and scale with the page (a viewBox about as
// wide as a phone, so that the text stays legible there).

// Histogram is the distribution of totals in 10-point bins (90–100 includes
// 100).
type Histogram struct {
	Width, Height int
	// BaseY is the y of the axis line; the bars stand on it. TickY is the
	// baseline of the bins' labels under it.
	BaseY, TickY int
	Bars         []HistogramBar
	// Summary describes the chart in words, for screen readers.
	Summary string
	// Empty is set when no worker has a total.
	Empty bool
}

// HistogramBar is one bin.
type HistogramBar struct {
	X, Y, W, H int
	// LabelX is the centre of the bar, where its labels go; CountY is the
	// baseline of the count written above it.
	LabelX, CountY int
	Count          int
	// Label is the bin's lower bound (90 stands for 90–100).
	Label string
	// Range is the bin in words, for the bar's tooltip.
	Range string
}

// Histogram geometry, in viewBox units.
const (
	histWidth   = 360
	histHeight  = 210
	histTop     = 24 // room for the count above the tallest bar
	histBase    = 180
	histLeft    = 10
	histStep    = 34
	histBarW    = 26
	histBinSize = gs.Points(1000) // 10 points in hundredths
)

// newHistogram bins the totals of the eligible workers.
func newHistogram(ws []gs.WorkerResult) Histogram {
	var counts [10]int
	n := 0
	for _, w := range ws {
		if w.Total == nil {
			continue
		}
		counts[min(max(int(*w.Total/histBinSize), 0), 9)]++
		n++
	}
	h := Histogram{Width: histWidth, Height: histHeight, BaseY: histBase, TickY: histBase + 18, Empty: n == 0}
	most := 1
	for _, c := range counts {
		most = max(most, c)
	}
	var parts []string
	for i, c := range counts {
		hgt := c * (histBase - histTop) / most
		if c > 0 && hgt < 2 {
			hgt = 2
		}
		x := histLeft + i*histStep + (histStep-histBarW)/2
		rng := fmt.Sprintf("%d–%d 分", i*10, i*10+10)
		if i < 9 {
			rng = fmt.Sprintf("%d–%d 分（不含 %d）", i*10, i*10+10, i*10+10)
		}
		h.Bars = append(h.Bars, HistogramBar{
			X: x, Y: histBase - hgt, W: histBarW, H: hgt,
			LabelX: x + histBarW/2, CountY: histBase - hgt - 5,
			Count: c, Label: fmt.Sprint(i * 10), Range: rng,
		})
		if c > 0 {
			parts = append(parts, fmt.Sprintf("%d–%d 分 %d 人", i*10, i*10+10, c))
		}
	}
	h.Summary = "总分分布：" + strings.Join(parts, "，")
	if n == 0 {
		h.Summary = "总分分布：暂无参加考核的网格员"
	}
	return h
}

// standing returns the chart described as the standing so far (截至目前,
// RULES.md §9), for a quarter not over yet: the totals are what is left
// after the points already lost, not a provisional final total.
func (h Histogram) standing() Histogram {
	h.Summary = "截至目前的" + h.Summary
	return h
}

// CategoryChart is the average of each category against its full score.
type CategoryChart struct {
	Width, Height int
	Rows          []CategoryBar
	Summary       string
	Empty         bool
}

// CategoryBar is one category's row of the chart.
type CategoryBar struct {
	Y, TextY int
	// BarX, BarW and H are the track of the full score; FillW the average.
	BarX, BarW, FillW, H int
	ValueX               int
	Name                 string
	// Value reads "4.62 / 5".
	Value string
}

// Category chart geometry, in viewBox units.
const (
	catWidth  = 360
	catRow    = 34
	catTop    = 8
	catBarX   = 76
	catBarW   = 196
	catBarH   = 16
	catValueX = 280
)

// newCategoryChart draws the category averages over the eligible workers;
// full is each category's full score from the scheme.
func newCategoryChart(sum summary, full map[gs.CategoryID]gs.Points) CategoryChart {
	c := CategoryChart{Width: catWidth, Height: catTop*2 + catRow*len(gs.AllCategories), Empty: sum.eligible == 0}
	var parts []string
	for i, cat := range gs.AllCategories {
		avg := sum.categoryAverage(i)
		y := catTop + i*catRow
		fill := 0
		if m := full[cat]; m > 0 {
			fill = int(int64(avg) * catBarW / int64(m))
		}
		value := avg.String() + " / " + full[cat].String()
		if c.Empty {
			value = "— / " + full[cat].String()
		}
		c.Rows = append(c.Rows, CategoryBar{
			Y: y + (catRow-catBarH)/2, TextY: y + catRow/2 + 5,
			BarX: catBarX, BarW: catBarW, FillW: min(fill, catBarW), H: catBarH, ValueX: catValueX,
			Name: gs.CategoryName[cat], Value: value,
		})
		parts = append(parts, gs.CategoryName[cat]+"平均 "+value+" 分")
	}
	c.Summary = "各类别平均得分：" + strings.Join(parts, "，")
	return c
}

// standing returns the chart described as the standing so far, as
// Histogram.standing does.
func (c CategoryChart) standing() CategoryChart {
	c.Summary = "截至目前的" + c.Summary
	return c
}

// summary adds up the results of a group of workers (a town, the district).
type summary struct {
	workers, eligible, flagged int
	total                      int64
	lowest, highest            gs.Points
	categories                 [5]int64
}

// summarize adds up ws.
func summarize(ws []gs.WorkerResult) summary {
	var s summary
	for _, w := range ws {
		s.workers++
		if len(w.Flags) > 0 || !w.Eligible {
			s.flagged++
		}
		if w.Total == nil || w.Categories == nil {
			continue
		}
		t := *w.Total
		if s.eligible == 0 || t < s.lowest {
			s.lowest = t
		}
		if s.eligible == 0 || t > s.highest {
			s.highest = t
		}
		s.eligible++
		s.total += int64(t)
		for i, cat := range gs.AllCategories {
			s.categories[i] += int64(w.Categories.Get(cat))
		}
	}
	return s
}

// average returns sum/n rounded half up (n > 0).
func average(sum int64, n int) gs.Points {
	return gs.Points((2*sum + int64(n)) / (2 * int64(n)))
}

// categoryAverage is the average score of category i (0 without eligible
// workers).
func (s summary) categoryAverage(i int) gs.Points {
	if s.eligible == 0 {
		return 0
	}
	return average(s.categories[i], s.eligible)
}

// Text returns the average, highest and lowest totals for display ("—"
// without eligible workers).
func (s summary) text() (avg, high, low string) {
	if s.eligible == 0 {
		return "—", "—", "—"
	}
	return average(s.total, s.eligible).String(), s.highest.String(), s.lowest.String()
}
