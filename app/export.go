package app

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/report"
)

// The downloads of a town's quarter that the centers need: the pay sheet
// (工资表) and the filing package (报备材料) for the district. The result
// itself is report.WriteXLSX; the filing package is that workbook with the
// appeals, the voided deductions and a cover sheet added, all read from the
// stored snapshot, so that a finalized quarter downloads the same whatever
// happens to the records afterwards.

// XLSXType is the media type of an XLSX workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Filing is the filing package of a town's quarter.
type Filing struct {
	State   gs.QuarterState
	Result  *gs.Result
	Appeals []gs.Appeal
	Voided  []gs.Voided
}

// Filing reads the filing package of town's quarter q from what is stored.
// The town's administrator and staff get their town's, the district every
// town's, a grid worker none. ECONFLICT until the quarter is finalized.
func (s *Service) Filing(ctx context.Context, u *gs.User, town string, q gs.Quarter) (*Filing, error) {
	if u == nil || u.Role == gs.RoleWorker || !u.CanSeeTown(town) {
		return nil, gs.Errorf(gs.EFORBIDDEN, "只有本镇街中心和区中心可以下载报备材料。")
	}
	rec, err := s.DB.QuarterRecord(ctx, town, q.String())
	if err != nil {
		return nil, err
	}
	if st := rec.State.State; st != gs.StateFinalized && st != gs.StateFiled {
		return nil, gs.Errorf(gs.ECONFLICT, "%s %s 当前状态为“%s”，定稿后才能下载报备材料。", town, q, gs.StateName[st])
	}
	res := &gs.Result{Quarter: q.String(), AsOf: rec.State.AsOf, Scheme: s.Scheme.ID}
	for _, r := range rec.Snapshot {
		res.Workers = append(res.Workers, r.Result)
	}
	gs.SortWorkerResults(res.Workers) // one town: by rank, then those not assessed
	return &Filing{State: rec.State, Result: res, Appeals: rec.Appeals, Voided: rec.Voided}, nil
}

// sheetWriter writes rows into one sheet of a workbook, keeping the first
// error.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

// newSheet adds sheet to f (or renames the first one when rename is set)
// and returns a writer at its first row.
func newSheet(f *excelize.File, sheet string, rename bool) *sheetWriter {
	sw := &sheetWriter{f: f, sheet: sheet, row: 1}
	if rename {
		sw.err = f.SetSheetName(f.GetSheetName(0), sheet)
	} else {
		_, sw.err = f.NewSheet(sheet)
	}
	return sw
}

// add writes one row; header rows are bold.
func (sw *sheetWriter) add(cells ...any) {
	if sw.err != nil {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(1, sw.row)
	sw.err = sw.f.SetSheetRow(sw.sheet, cell, &cells)
	sw.row++
}

// style applies style id to the cells from..to ("A2", "C9").
func (sw *sheetWriter) style(from, to string, id int) {
	if sw.err == nil {
		sw.err = sw.f.SetCellStyle(sw.sheet, from, to, id)
	}
}

// widths sets the widths of the first columns.
func (sw *sheetWriter) widths(ws ...float64) {
	for i, w := range ws {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if sw.err == nil {
			sw.err = sw.f.SetColWidth(sw.sheet, col, col, w)
		}
	}
}

// styles are the number and header styles of a workbook.
func styles(f *excelize.File) (num, bold int, err error) {
	if num, err = f.NewStyle(&excelize.Style{NumFmt: 2}); err != nil { // 0.00
		return 0, 0, err
	}
	bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	return num, bold, err
}

// WritePaySheet writes the pay sheet (工资表) of a town's quarter: one row a
// worker with the total, rank and performance pay in yuan, and the sum of
// the pay added up in fen. Amounts are numbers with two decimals, each the
// exact fen of the result.
func WritePaySheet(w io.Writer, town, stateName string, res *gs.Result) error {
	f := excelize.NewFile()
	defer f.Close()
	num, bold, err := styles(f)
	if err != nil {
		return err
	}
	sw := newSheet(f, "工资表", true)
	sw.add(town + " " + res.Quarter + " 网格员绩效工资表（" + stateName + "，截至 " + res.AsOf.In(gs.CST).Format("2006-01-02 15:04") + "）")
	sw.add("序号", "工号", "姓名", "网格", "类型", "是否考核", "总分", "排名", "绩效工资(元)", "备注")
	sw.style("A2", "J2", bold)
	var sum gs.Fen
	for i, r := range res.Workers {
		row := []any{i + 1, r.WorkerID, r.Name, r.GridCode, gs.TypeName(r.Type), "否", nil, nil, yuan(r.Pay), r.Reason}
		if r.Eligible {
			row[5] = "是"
		}
		if r.Total != nil {
			row[6] = float64(*r.Total) / 100
		}
		if r.Rank != nil {
			row[7] = *r.Rank
		}
		sw.add(row...)
		sum += r.Pay
	}
	sw.add(nil, "合计", nil, nil, nil, nil, nil, nil, yuan(sum), strconv.Itoa(len(res.Workers))+" 人")
	last := sw.row - 1
	boldNum, err := f.NewStyle(&excelize.Style{NumFmt: 2, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw.style("G3", cellName(9, last), num)
	sw.style(cellName(1, last), cellName(10, last), bold)
	sw.style(cellName(9, last), cellName(9, last), boldNum)
	sw.widths(6, 12, 10, 12, 8, 8, 8, 6, 14, 30)
	if sw.err != nil {
		return sw.err
	}
	return f.Write(w)
}

// WriteFiling writes the filing package (报备材料) as one workbook: the
// results and the deductions with their explanations (report.WriteXLSX),
// then the appeals with their decisions, the voided deductions with their
// reasons, and a cover sheet saying what the package is.
func WriteFiling(w io.Writer, town string, fl *Filing) error {
	var buf bytes.Buffer
	if err := report.WriteXLSX(&buf, fl.Result); err != nil {
		return err
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		return err
	}
	defer f.Close()
	_, bold, err := styles(f)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, r := range fl.Result.Workers {
		names[r.WorkerID] = r.Name
	}

	ap := newSheet(f, "申诉", false)
	ap.add("编号", "工号", "姓名", "规则", "规则说明", "期间", "依据记录", "申诉理由", "提出时间", "结果", "答复", "处理人", "处理时间")
	ap.style("A1", "M1", bold)
	for _, a := range fl.Appeals {
		ap.add(a.ID, a.WorkerID, names[a.WorkerID], string(a.Rule), ruleName(a.Rule), a.Period, evidence(a.EvidenceKey),
			a.Reason, cst(a.CreatedAt), gs.AppealStatusName[a.Status], a.Reply, a.DecidedBy, cst(a.DecidedAt))
	}
	if len(fl.Appeals) == 0 {
		ap.add("本季度没有申诉。")
	}
	ap.widths(6, 10, 10, 22, 24, 12, 30, 40, 17, 8, 40, 10, 17)

	vd := newSheet(f, "撤销的扣分", false)
	vd.add("工号", "姓名", "规则", "规则说明", "期间", "依据记录", "撤销原因", "撤销人", "撤销时间")
	vd.style("A1", "I1", bold)
	for _, v := range fl.Voided {
		vd.add(v.WorkerID, names[v.WorkerID], string(v.Rule), ruleName(v.Rule), v.Period, evidence(v.EvidenceKey),
			v.Reason, v.By, cst(v.At))
	}
	if len(fl.Voided) == 0 {
		vd.add("本季度没有撤销的扣分。")
	}
	vd.widths(10, 10, 22, 24, 12, 30, 40, 10, 17)

	st := fl.State
	cover := newSheet(f, "报备说明", false)
	cover.add(town + " " + fl.Result.Quarter + " 网格员考核报备材料")
	cover.add("镇街", town)
	cover.add("季度", fl.Result.Quarter)
	cover.add("状态", gs.StateName[st.State])
	cover.add("计算时点", cst(st.AsOf))
	cover.add("计算时间", cst(st.ComputedAt))
	cover.add("公示时间", cst(st.PublishedAt))
	cover.add("定稿时间", cst(st.FinalizedAt))
	cover.add("报备时间", cst(st.FiledAt))
	cover.add("考核方案", fl.Result.Scheme)
	cover.add("网格员人数", len(fl.Result.Workers))
	cover.add("申诉件数", len(fl.Appeals))
	cover.add("撤销扣分项数", len(fl.Voided))
	cover.add("说明", "本材料取自定稿时保存的考核结果快照，此后对记录的修改不会改变其中内容。工作表：考核结果、扣分明细、申诉、撤销的扣分。")
	cover.style("A1", "A14", bold)
	cover.widths(14, 80)
	for _, sw := range []*sheetWriter{ap, vd, cover} {
		if sw.err != nil {
			return sw.err
		}
	}
	return f.Write(w)
}

// cst writes an instant in CST to the minute, "" for the zero time.
func cst(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(gs.CST).Format("2006-01-02 15:04")
}

// evidence writes an evidence key (ids joined with ",") for people.
func evidence(key string) string { return strings.ReplaceAll(key, ",", "、") }

// yuan returns an amount in fen as yuan for a spreadsheet cell (display
// only: every sum is made in fen).
func yuan(f gs.Fen) float64 { return float64(f) / 100 }

// cellName is the name of the cell at column col and row (1-based).
func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}
