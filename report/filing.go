package report

import (
	"bytes"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
)

// WriteFiling writes the filing package (报备材料) as one workbook: the
// results and the deductions with their explanations (WriteXLSX),
// then the appeals with their decisions, the voided deductions with their
// reasons, and a cover sheet saying what the package is.
func WriteFiling(w io.Writer, town string, fl *gs.Filing) error {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, fl.Result); err != nil {
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
	ap.add(town + " " + fl.Result.Quarter + " 申诉及处理结果")
	ap.add("编号", "工号", "姓名", "规则", "规则编号", "期间", "依据记录", "申诉理由", "提出时间", "结果", "答复", "处理人", "处理时间")
	ap.style("A2", "M2", bold)
	// 期间 is wide enough for a login deduction's day and channel (2023-07-03 网格E通).
	apWidths := []float64{6, 10, 10, 24, 14, 17, 30, 40, 17, 8, 40, 14, 17}
	for _, a := range fl.Appeals {
		by := ""
		if a.DecidedBy != "" {
			by = fl.Person(a.DecidedBy)
		}
		ap.add(a.ID, a.WorkerID, names[a.WorkerID], gs.NameOr(gs.RuleName, a.Rule), string(a.Rule), a.PeriodName(), evidence(a.EvidenceKey),
			a.Reason, cst(a.CreatedAt), gs.AppealStatusName[a.Status], a.Reply, by, cst(a.DecidedAt))
		ap.fit(apWidths, "", "", "", "", "", "", evidence(a.EvidenceKey), a.Reason, "", "", a.Reply, by)
	}
	if len(fl.Appeals) == 0 {
		ap.add("本季度没有申诉。")
	}
	ap.widths(apWidths...)

	vd := newSheet(f, "撤销的扣分", false)
	vd.add(town + " " + fl.Result.Quarter + " 撤销的扣分")
	vd.add("工号", "姓名", "规则", "规则编号", "期间", "依据记录", "撤销原因", "撤销人", "撤销时间")
	vd.style("A2", "I2", bold)
	vdWidths := []float64{10, 10, 24, 14, 17, 30, 40, 14, 17}
	for _, v := range fl.Voided {
		vd.add(v.WorkerID, names[v.WorkerID], gs.NameOr(gs.RuleName, v.Rule), string(v.Rule), v.PeriodName(), evidence(v.EvidenceKey),
			v.Reason, fl.Person(v.By), cst(v.At))
		vd.fit(vdWidths, "", "", "", "", "", evidence(v.EvidenceKey), v.Reason, fl.Person(v.By))
	}
	if len(fl.Voided) == 0 {
		vd.add("本季度没有撤销的扣分。")
	}
	vd.widths(vdWidths...)

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
	scheme := schemeTitle(fl.Result)
	if scheme != fl.Result.Scheme {
		scheme += "（" + fl.Result.Scheme + "）"
	}
	cover.add("考核方案", scheme)
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
	// Rows grow to their wrapped texts (fit above); every cell of a row is
	// read from its top line.
	top, _, err := topStyles(f)
	if err != nil {
		return err
	}
	for _, s := range []struct {
		sheet, last, from, to string
		rows                  int
	}{{"申诉", "M", "G", "L", ap.row - 1}, {"撤销的扣分", "I", "F", "H", vd.row - 1}} {
		if s.rows < 3 {
			continue
		}
		if err := f.SetCellStyle(s.sheet, "A3", s.last+strconv.Itoa(s.rows), top); err != nil {
			return err
		}
		if err := wrapColumns(f, s.sheet, s.from, s.to, 3, s.rows); err != nil {
			return err
		}
	}
	for _, p := range []struct {
		sheet     string
		header    int
		landscape bool
	}{{"申诉", 2, true}, {"撤销的扣分", 2, true}, {"报备说明", 0, false}} {
		if err := pageSetup(f, p.sheet, p.header, p.landscape); err != nil {
			return err
		}
	}
	return writeBook(w, f)
}
