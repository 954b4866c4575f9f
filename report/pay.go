package report

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
)

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
	// 总分 and the pay have two decimals; 排名 between them is a whole
	// number, left in the General format (1, not 1.00).
	sw.style("G3", cellName(7, last), num)
	sw.style(cellName(9, 3), cellName(9, last), num)
	sw.style(cellName(1, last), cellName(10, last), bold)
	sw.style(cellName(9, last), cellName(9, last), boldNum)
	sw.widths(6, 12, 10, 12, 8, 8, 8, 6, 14, 30)
	if sw.err != nil {
		return sw.err
	}
	// Ten columns, the remarks wide: landscape.
	if err := wrapColumns(f, "工资表", "J", "J", 3, last-1); err != nil {
		return err
	}
	if err := pageSetup(f, "工资表", 2, true); err != nil {
		return err
	}
	return writeBook(w, f)
}
