package report

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// SurveyReport is a satisfaction campaign's report (issue 15) as its
// workbook shows it: the progress grid by grid, the quarter's ballots of
// the town worker by worker, rater group by rater group and source by
// source with the satisfaction score, the voters' comments and the paper
// tallies typed in. The app fills it in; every text is written as text.
type SurveyReport struct {
	// Title is the workbook's first line: the town, the campaign and its
	// window, its state, when the report was made.
	Title    string
	Grids    [][]any
	Results  [][]any
	Comments [][]any
	Tallies  [][]any
}

// The columns of each sheet of a survey report.
var (
	SurveyGridHeader    = []string{"网格", "网格名称", "网格员", "计划（干部）", "计划（群众）", "已印制", "扫码已答", "未使用", "已作废", "纸质", "收回合计", "满意", "基本满意", "不满意", "满意率", "样本"}
	SurveyResultHeader  = []string{"工号", "姓名", "网格", "评价人", "来源", "满意", "基本满意", "不满意", "合计", "满意率", "满意率得分（20分）"}
	SurveyCommentHeader = []string{"网格", "网格员", "评价人", "评价", "意见或建议"}
	SurveyTallyHeader   = []string{"编号", "工号", "姓名", "评价人", "满意", "基本满意", "不满意", "备注", "录入人", "录入时间"}
)

// WriteSurvey writes the report as an XLSX workbook of four sheets, each
// printable on A4 (one page wide, titles repeated) and frozen under its
// header.
func WriteSurvey(w io.Writer, r *SurveyReport) error {
	f := excelize.NewFile()
	defer f.Close()
	_, bold, err := styles(f)
	if err != nil {
		return err
	}
	sheets := []struct {
		name      string
		header    []string
		rows      [][]any
		widths    []float64
		textCol   string // the column of free text, wrapped
		landscape bool
	}{
		{"进度", SurveyGridHeader, r.Grids, []float64{9, 14, 10, 8, 8, 8, 8, 8, 8, 6, 8, 6, 8, 7, 8, 10}, "", true},
		{"结果", SurveyResultHeader, r.Results, []float64{9, 10, 9, 8, 8, 6, 8, 7, 6, 8, 12}, "", true},
		{"意见", SurveyCommentHeader, r.Comments, []float64{9, 10, 10, 10, 60}, "E", false},
		{"纸质录入", SurveyTallyHeader, r.Tallies, []float64{6, 9, 10, 10, 6, 8, 7, 30, 10, 16}, "H", true},
	}
	for i, s := range sheets {
		sw := newSheet(f, s.name, i == 0)
		sw.add(r.Title + " · " + s.name)
		head := make([]any, len(s.header))
		for j, h := range s.header {
			head[j] = h
		}
		sw.add(head...)
		sw.style("A2", cellName(len(s.header), 2), bold)
		for _, row := range s.rows {
			sw.add(row...)
		}
		sw.widths(s.widths...)
		if sw.err != nil {
			return sw.err
		}
		if s.textCol != "" {
			if err := wrapColumns(f, s.name, s.textCol, s.textCol, 3, len(s.rows)+2); err != nil {
				return err
			}
		}
		if err := pageSetup(f, s.name, 2, s.landscape); err != nil {
			return err
		}
	}
	return writeBook(w, f)
}
