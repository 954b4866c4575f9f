// Package report renders an assessment result for people and programs: a
// Chinese table for a terminal, the JSON of DATA.md §3, and an XLSX
// workbook for Excel or WPS.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"

	gs "github.com/gridscore/gridscore"
)

// WriteJSON writes the result as the JSON object of DATA.md §3, indented.
func WriteJSON(w io.Writer, res *gs.Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// DisplayWidth is how many terminal columns s takes: wide and full-width
// characters (Chinese) take two.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// pad pads s with spaces to w columns (left-aligned, or right-aligned when
// right is true).
func pad(s string, w int, right bool) string {
	gap := w - DisplayWidth(s)
	if gap <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", gap) + s
	}
	return s + strings.Repeat(" ", gap)
}

// WriteTable writes the result as a Chinese table for a terminal: one line a
// worker with the five categories, total, rank and pay, then every worker's
// deductions and, during the quarter, warnings. What the records hold is
// shown, never obeyed (TerminalText).
func WriteTable(w io.Writer, res *gs.Result) error {
	return toTerminal(w, func(w io.Writer) error { return writeTable(w, res) })
}

func writeTable(w io.Writer, res *gs.Result) error {
	fmt.Fprintf(w, "%s 考核结果（截至 %s，方案 %s）\n\n", res.Quarter, res.AsOf.Format("2006-01-02 15:04"), res.Scheme)
	writeAligned(w, summaryRows(res))
	fmt.Fprintf(w, "\n扣分明细\n")
	writeDeductions(w, res)
	for _, n := range res.Notes {
		fmt.Fprintf(w, "\n注意：%s\n", n)
	}
	_, err := fmt.Fprintln(w)
	return err
}

// The columns of the summary table: worker, the five categories in the
// order of the regulation, then total, pay and remarks.
const (
	colRank       = 1
	colCategories = 6
	colTotal      = colCategories + 5
	colPay        = colTotal + 1
	colNotes      = colPay + 1
)

// summaryRows returns the header and one row a worker of the summary table.
func summaryRows(res *gs.Result) [][]string {
	header := []string{"镇街", "排名", "工号", "姓名", "类型", "网格"}
	for _, c := range gs.AllCategories {
		header = append(header, gs.CategoryName[c])
	}
	header = append(header, "总分", "绩效(元)", "备注")
	rows := [][]string{header}
	for _, r := range res.Workers {
		row := []string{r.Town, "-", r.WorkerID, r.Name, gs.TypeName(r.Type), r.GridCode, "-", "-", "-", "-", "-", "-", r.Pay.String(), ""}
		var notes []string
		if r.Eligible {
			row[colRank] = fmt.Sprint(*r.Rank)
			for i, c := range gs.AllCategories {
				row[colCategories+i] = r.Categories.Get(c).String()
			}
			row[colTotal] = r.Total.String()
		} else {
			notes = append(notes, "不参加考核")
		}
		for _, f := range r.Flags {
			notes = append(notes, gs.FlagName[f])
		}
		row[colNotes] = strings.Join(notes, "；")
		rows = append(rows, row)
	}
	return rows
}

// writeAligned writes rows as columns two spaces apart: numbers (rank,
// scores, total, pay) right-aligned, the last column as it is.
func writeAligned(w io.Writer, rows [][]string) {
	terminalCells(rows)
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], DisplayWidth(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			right := i == colRank || (i >= colCategories && i <= colPay)
			if i == len(row)-1 {
				b.WriteString(cell)
			} else {
				b.WriteString(pad(cell, widths[i], right))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// writeDeductions writes each worker's deductions and, during the quarter,
// the warnings (预警) under them: the points at risk, when they fall due and
// what to do; or why the worker is not assessed.
func writeDeductions(w io.Writer, res *gs.Result) {
	for _, r := range res.Workers {
		if !r.Eligible {
			fmt.Fprintf(w, "\n%s %s：%s\n", r.WorkerID, r.Name, r.Reason)
			continue
		}
		var warnings []gs.Warning
		if r.Warnings != nil {
			warnings = *r.Warnings
		}
		if len(r.Deductions) == 0 && len(warnings) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s %s（总分 %s）\n", r.WorkerID, r.Name, r.Total)
		for _, d := range r.Deductions {
			fmt.Fprintf(w, "  -%-6s %-10s %s：%s\n", d.Points, d.Period, gs.RuleName[d.Rule], d.Detail)
		}
		for _, x := range warnings {
			fmt.Fprintf(w, "  预警 可扣%s分，%s前：%s：%s\n", x.Points, x.Due.In(gs.CST).Format("2006-01-02 15:04"), gs.RuleName[x.Rule], x.Detail)
		}
	}
}
