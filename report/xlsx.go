package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
)

// The sheets of the workbook.
const (
	sheetSummary = "考核结果"
	sheetDetails = "扣分明细"
)

// WriteXLSX writes the result as an XLSX workbook: a sheet 考核结果 with one
// row a worker, and a sheet 扣分明细 with one row a deduction. Scores and pay
// are written as numbers with two decimals so that Excel and WPS can sum them.
func WriteXLSX(w io.Writer, res *gs.Result) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetSummary); err != nil {
		return err
	}
	if _, err := f.NewSheet(sheetDetails); err != nil {
		return err
	}
	num, err := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := writeSummarySheet(f, res, num, bold); err != nil {
		return err
	}
	if err := writeDetailsSheet(f, res, num, bold); err != nil {
		return err
	}
	for sheet, widths := range map[string][]float64{
		sheetSummary: {10, 6, 10, 10, 6, 10, 8, 9, 9, 9, 9, 9, 9, 12, 30},
		sheetDetails: detailWidths,
	} {
		for i, wd := range widths {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := f.SetColWidth(sheet, col, col, wd); err != nil {
				return err
			}
		}
	}
	if err := wrapColumns(f, sheetSummary, "O", "O", 3, len(res.Workers)+2); err != nil {
		return err
	}
	// The summary's 15 columns and the details' long sentences need a
	// landscape page.
	if err := pageSetup(f, sheetSummary, 2, true); err != nil {
		return err
	}
	if err := pageSetup(f, sheetDetails, 2, true); err != nil {
		return err
	}
	return writeBook(w, f)
}

// writeSummarySheet fills the sheet 考核结果: a title, a bold header, and
// one row a worker with the five categories in the order of the regulation.
func writeSummarySheet(f *excelize.File, res *gs.Result, num, bold int) error {
	title := res.Quarter + " 网格员考核结果（截至 " + res.AsOf.Format("2006-01-02 15:04") + "，方案 " + schemeTitle(res) + "）"
	if err := f.SetCellValue(sheetSummary, "A1", title); err != nil {
		return err
	}
	header := []any{"镇街", "排名", "工号", "姓名", "类型", "网格编码", "是否考核"}
	for _, c := range gs.AllCategories {
		header = append(header, gs.CategoryName[c])
	}
	header = append(header, "总分", "绩效工资(元)", "备注")
	if err := f.SetSheetRow(sheetSummary, "A2", &header); err != nil {
		return err
	}
	for i, r := range res.Workers {
		row := []any{r.Town, nil, r.WorkerID, r.Name, gs.TypeName(r.Type), r.GridCode, "否", nil, nil, nil, nil, nil, nil, yuan(r.Pay), notes(&r)}
		if r.Eligible {
			row[1], row[6] = *r.Rank, "是"
			for j, c := range gs.AllCategories {
				row[7+j] = points(r.Categories.Get(c))
			}
			row[12] = points(*r.Total)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow(sheetSummary, cell, &row); err != nil {
			return err
		}
	}
	last := len(res.Workers) + 2
	if err := f.SetCellStyle(sheetSummary, "H3", "N"+strconv.Itoa(last), num); err != nil {
		return err
	}
	return f.SetCellStyle(sheetSummary, "A2", "O2", bold)
}

// detailWidths are the widths of the columns of 扣分明细, in characters.
var detailWidths = []float64{10, 10, 10, 24, 14, 12, 6, 8, 60, 40}

// writeDetailsSheet fills the sheet 扣分明细: a title, a bold header and
// one row a deduction.
func writeDetailsSheet(f *excelize.File, res *gs.Result, num, bold int) error {
	title := res.Quarter + " 网格员考核扣分明细（截至 " + res.AsOf.Format("2006-01-02 15:04") + "）"
	if err := f.SetCellValue(sheetDetails, "A1", title); err != nil {
		return err
	}
	dh := []any{"工号", "姓名", "类别", "规则", "规则编号", "期间", "次数", "扣分", "说明", "依据记录"}
	if err := f.SetSheetRow(sheetDetails, "A2", &dh); err != nil {
		return err
	}
	n := 3
	for _, r := range res.Workers {
		for _, d := range r.Deductions {
			row := []any{r.WorkerID, r.Name, gs.CategoryName[gs.CategoryOf(d.Rule)], gs.NameOr(gs.RuleName, d.Rule), string(d.Rule), d.Period, d.Count, points(d.Points), d.Detail, strings.Join(d.Evidence, "、")}
			cell, _ := excelize.CoordinatesToCellName(1, n)
			if err := f.SetSheetRow(sheetDetails, cell, &row); err != nil {
				return err
			}
			if err := fitRow(f, sheetDetails, n, detailWidths, "", "", "", "", "", "", "", "", d.Detail, strings.Join(d.Evidence, "、")); err != nil {
				return err
			}
			n++
		}
	}
	// Rows grow to their wrapped 说明 and 依据记录: the other cells of a
	// row are read from its top line.
	top, topNum, err := topStyles(f)
	if err != nil {
		return err
	}
	if n > 3 {
		if err := f.SetCellStyle(sheetDetails, "A3", "G"+strconv.Itoa(n-1), top); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheetDetails, "H3", "H"+strconv.Itoa(max(n-1, 3)), topNum); err != nil {
		return err
	}
	if err := wrapColumns(f, sheetDetails, "I", "J", 3, n-1); err != nil {
		return err
	}
	return f.SetCellStyle(sheetDetails, "A2", "J2", bold)
}

// schemeTitle names the result's scheme in a title: by its name, else by
// its id.
func schemeTitle(res *gs.Result) string {
	if res.SchemeName != "" {
		return res.SchemeName
	}
	return res.Scheme
}

// points returns p as a float for a spreadsheet cell. It is display only:
// every sum was made on integers before.
func points(p gs.Points) float64 { return float64(p) / 100 }

// yuan returns an amount in fen as yuan for a spreadsheet cell (display only).
func yuan(f gs.Fen) float64 { return float64(f) / 100 }

func notes(r *gs.WorkerResult) string {
	var ns []string
	if !r.Eligible {
		ns = append(ns, r.Reason)
	}
	for _, f := range r.Flags {
		ns = append(ns, gs.FlagName[f])
	}
	return strings.Join(ns, "；")
}
