package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
)

// The list of a town's warnings (预警清单) of RULES.md §9, grid by grid, to
// print or send out in the morning: `gridscore warnings` and the web's
// warnings workbook.

// closedNote is the sentence said instead of an empty list when res's
// as_of is outside its quarter ("" inside it).
func closedNote(res *gs.Result) string {
	q, err := gs.ParseQuarter(res.Quarter)
	if err != nil {
		return ""
	}
	return gs.WarningsClosed(q, res.AsOf)
}

// warningsTitle is the first line of the list.
func warningsTitle(town string, res *gs.Result) string {
	return fmt.Sprintf("%s %s 网格员预警清单（截至 %s，方案 %s）", town, res.Quarter, res.AsOf.In(gs.CST).Format("2006-01-02 15:04"), schemeTitle(res))
}

// dueText is when a warning falls due, to the minute in CST. A due at
// midnight is written as 24:00 of the day before ("2023-08-15 24:00"), as
// people say a deadline: "today's login" falls due at the end of today,
// not at 00:00 of a day that reads like tomorrow.
func dueText(t time.Time) string {
	t = t.In(gs.CST)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.AddDate(0, 0, -1).Format("2006-01-02") + " 24:00"
	}
	return t.Format("2006-01-02 15:04")
}

// WriteWarningsTable writes town's warnings as a Chinese table for a
// terminal: a title and a count, then grid by grid a heading and the grid's
// warnings by due (due, worker, rule, period, points at risk, what to do),
// then the points at risk of each worker, most first. Outside the quarter
// it says why there are no warnings instead. What the records hold is
// shown, never obeyed (TerminalText).
func WriteWarningsTable(w io.Writer, town string, res *gs.Result) error {
	return toTerminal(w, func(w io.Writer) error { return writeWarningsTable(w, town, res) })
}

func writeWarningsTable(w io.Writer, town string, res *gs.Result) error {
	fmt.Fprintf(w, "%s\n\n", warningsTitle(town, res))
	if note := closedNote(res); note != "" {
		_, err := fmt.Fprintln(w, note)
		return err
	}
	rows := res.WarningRows()
	risks := gs.RiskByWorker(rows)
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "目前没有预警。")
		return err
	}
	fmt.Fprintf(w, "共 %d 条预警，涉及 %d 名网格员，可扣分合计 %s 分。\n", len(rows), len(risks), sumPoints(rows))

	// One table aligned across every grid: each grid's heading, then its
	// header and rows.
	header := []string{"截止时间", "工号", "姓名", "规则", "期间", "可扣分", "说明"}
	table := [][]string{header}
	for _, r := range rows {
		table = append(table, []string{dueText(r.Due), r.WorkerID, r.Name, gs.NameOr(gs.RuleName, r.Rule), r.Period, r.Points.String(), r.Detail})
	}
	widths := columnWidths(table)
	right := map[int]bool{5: true}
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].GridCode == rows[i].GridCode {
			j++
		}
		grid := rows[i].GridCode
		if grid == "" {
			grid = "（无网格）"
		}
		fmt.Fprintf(w, "\n网格 %s：%d 条，可扣 %s 分\n", grid, j-i, sumPoints(rows[i:j]))
		writeRow(w, header, widths, right)
		for k := i; k < j; k++ {
			writeRow(w, table[k+1], widths, right)
		}
		i = j
	}

	fmt.Fprintf(w, "\n各网格员可扣分合计（未计类别最低 0 分的限制）\n")
	totals := [][]string{{"工号", "姓名", "网格", "预警条数", "可扣分"}}
	for _, k := range risks {
		totals = append(totals, []string{k.WorkerID, k.Name, k.GridCode, strconv.Itoa(k.Count), k.Points.String()})
	}
	tw := columnWidths(totals)
	for _, row := range totals {
		writeRow(w, row, tw, map[int]bool{3: true, 4: true})
	}
	_, err := fmt.Fprintln(w)
	return err
}

// sumPoints adds up the points at risk of rows.
func sumPoints(rows []gs.WarningRow) gs.Points {
	var p gs.Points
	for _, r := range rows {
		p += r.Points
	}
	return p
}

// columnWidths is the display width of each column of rows, each cell
// made safe for a terminal first (terminalCells).
func columnWidths(rows [][]string) []int {
	terminalCells(rows)
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], DisplayWidth(cell))
		}
	}
	return widths
}

// writeRow writes one row of columns two spaces apart, indented by two:
// the columns in right right-aligned, the last column as it is.
func writeRow(w io.Writer, row []string, widths []int, right map[int]bool) {
	var b strings.Builder
	b.WriteString("  ")
	for i, cell := range row {
		if i > 0 {
			b.WriteString("  ")
		}
		if i == len(row)-1 && !right[i] {
			b.WriteString(cell)
		} else {
			b.WriteString(pad(cell, widths[i], right[i]))
		}
	}
	fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
}

// WarningsJSON is the JSON of a town's warnings (`gridscore warnings
// --format json`), a shape the README documents: the moment, the
// warnings grid by grid and by due, and the points at risk by worker.
type WarningsJSON struct {
	Town    string    `json:"town"`
	Quarter string    `json:"quarter"`
	AsOf    time.Time `json:"as_of"`
	Scheme  string    `json:"scheme"`
	// Note says why there are no warnings when as_of is outside the
	// quarter; absent inside it.
	Note     string          `json:"note,omitempty"`
	Warnings []WarningJSON   `json:"warnings"`
	Workers  []gs.WorkerRisk `json:"workers"`
}

// WarningJSON is one warning of WarningsJSON: the worker, the warning's
// fields as in DATA.md §3, and the rule's Chinese name.
type WarningJSON struct {
	gs.WarningRow
	RuleName string `json:"rule_name"`
}

// WriteWarningsJSON writes town's warnings as WarningsJSON, indented.
func WriteWarningsJSON(w io.Writer, town string, res *gs.Result) error {
	rows := res.WarningRows()
	out := WarningsJSON{Town: town, Quarter: res.Quarter, AsOf: res.AsOf, Scheme: res.Scheme, Note: closedNote(res),
		Warnings: []WarningJSON{}, Workers: gs.RiskByWorker(rows)}
	for _, r := range rows {
		if r.Evidence == nil {
			r.Evidence = []string{}
		}
		out.Warnings = append(out.Warnings, WarningJSON{WarningRow: r, RuleName: gs.NameOr(gs.RuleName, r.Rule)})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// SheetWarnings is the one sheet of the warnings workbook.
const SheetWarnings = "预警清单"

// WriteWarningsXLSX writes town's warnings as a workbook of one sheet,
// 预警清单, to print: a title, a header, then grid by grid the grid's
// warnings by due and a bold subtotal row, and a bold total. It prints on
// A4 landscape, one page wide, with the header repeated on every page and
// frozen on screen. Outside the quarter the sheet says why there are no
// warnings instead.
func WriteWarningsXLSX(w io.Writer, town string, res *gs.Result) error {
	f := excelize.NewFile()
	defer f.Close()
	_, bold, err := styles(f)
	if err != nil {
		return err
	}
	boldNum, err := f.NewStyle(&excelize.Style{NumFmt: 2, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	top, topNum, err := topStyles(f)
	if err != nil {
		return err
	}
	sw := newSheet(f, SheetWarnings, true)
	sw.add(warningsTitle(town, res))
	sw.style("A1", "A1", bold)
	sw.add("网格", "工号", "姓名", "规则", "期间", "可扣分", "截止时间", "说明", "依据记录")
	sw.style("A2", "I2", bold)
	rows := res.WarningRows()
	switch note := closedNote(res); {
	case note != "":
		sw.add(note)
	case len(rows) == 0:
		sw.add("目前没有预警。")
	}
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].GridCode == rows[i].GridCode {
			j++
		}
		first := sw.row
		for _, r := range rows[i:j] {
			ev := printedEvidence(r.Evidence)
			sw.add(r.GridCode, r.WorkerID, r.Name, gs.NameOr(gs.RuleName, r.Rule), r.Period, points(r.Points), dueText(r.Due), r.Detail, ev)
			sw.fit(warningWidths, "", "", "", "", "", "", "", r.Detail, ev)
		}
		sw.style(cellName(1, first), cellName(7, sw.row-1), top)
		sw.style(cellName(6, first), cellName(6, sw.row-1), topNum)
		sw.style(cellName(8, first), cellName(9, sw.row-1), wrap)
		sw.add(rows[i].GridCode+" 小计", nil, nil, nil, nil, points(sumPoints(rows[i:j])), nil, fmt.Sprintf("%d 条预警", j-i))
		sw.style(cellName(1, sw.row-1), cellName(9, sw.row-1), bold)
		sw.style(cellName(6, sw.row-1), cellName(6, sw.row-1), boldNum)
		i = j
	}
	if len(rows) > 0 {
		sw.add("合计", nil, nil, nil, nil, points(sumPoints(rows)), nil, fmt.Sprintf("%d 条预警，涉及 %d 名网格员", len(rows), len(gs.RiskByWorker(rows))))
		sw.style(cellName(1, sw.row-1), cellName(9, sw.row-1), bold)
		sw.style(cellName(6, sw.row-1), cellName(6, sw.row-1), boldNum)
	}
	sw.widths(warningWidths...)
	if sw.err != nil {
		return sw.err
	}
	if err := printable(f, SheetWarnings); err != nil {
		return err
	}
	return writeBook(w, f)
}

// warningWidths are the widths of the warnings sheet's columns, in
// characters.
var warningWidths = []float64{10, 9, 9, 20, 10, 8, 17, 46, 30}

// maxPrintedEvidence is how many ids of a warning the printed list names;
// a month's quota rests on every event of the month so far, which would
// make one row a page long.
const maxPrintedEvidence = 3

// printedEvidence names a warning's records for the printed list: all of
// them, or the first few and how many there are in all.
func printedEvidence(ids []string) string {
	if len(ids) <= maxPrintedEvidence {
		return strings.Join(ids, "、")
	}
	return strings.Join(ids[:maxPrintedEvidence], "、") + fmt.Sprintf(" 等共 %d 条", len(ids))
}

// printable sets sheet up for printing a list: A4 landscape, one page wide,
// the header (row 2) repeated on every page and frozen on screen.
func printable(f *excelize.File, sheet string) error { return pageSetup(f, sheet, 2, true) }
