package report_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/report"
)

// midQuarter is a town on the morning of 2023-08-15: two grids, a worker
// with nothing at risk and one not assessed.
func midQuarter() *gs.Result {
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2023, m, d, h, min, 0, 0, gs.CST) }
	ws := func(xs ...gs.Warning) *[]gs.Warning { return &xs }
	return &gs.Result{Quarter: "2023Q3", AsOf: at(8, 15, 9, 0), Scheme: "xx-town-2023", Workers: []gs.WorkerResult{
		{WorkerID: "W3", Name: "欧阳小明", GridCode: "G02", Eligible: true, Warnings: ws(
			gs.Warning{Rule: gs.RuleEventsQuota, Period: "2023-08", Points: 2800, Due: at(9, 1, 0, 0), Detail: "本月还需办理事件 28 条"},
			gs.Warning{Rule: gs.RuleEventsYellow, Period: "2023-08-15", Points: 500, Due: at(8, 15, 14, 25), Detail: "事件 E9 将于 8月15日 14:25 超时（黄牌）", Evidence: []string{"E9"}})},
		{WorkerID: "W1", Name: "张三", GridCode: "G01", Eligible: true, Warnings: ws(
			gs.Warning{Rule: gs.RuleDisciplinePatrol, Period: "2023-08-15", Points: 600, Due: at(8, 16, 0, 0), Detail: "今天还需巡查 2 次"})},
		{WorkerID: "W2", Name: "李四", GridCode: "G01", Eligible: true, Warnings: ws(
			gs.Warning{Rule: gs.RuleKeyVisits, Period: "2023-08", Points: 550, Due: at(8, 29, 0, 0), Detail: "8月28日前还需走访：董*（TS1）", Evidence: []string{"TS1", "TS2"}})},
		{WorkerID: "W4", Name: "赵六", GridCode: "G01", Eligible: true, Warnings: ws()},
		{WorkerID: "W5", Name: "钱七", GridCode: "G03", Reason: "在岗未满6个月"},
	}}
}

// TestWarningsTable: grid by grid, a heading with the grid's count and
// points, the warnings by due with a midnight due read as 24:00 of the day
// before, then each worker's points at risk, most first, columns aligned.
func TestWarningsTable(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report.WriteWarningsTable(&b, "青山镇", midQuarter()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"青山镇 2023Q3 网格员预警清单（截至 2023-08-15 09:00，方案 xx-town-2023）",
		"共 4 条预警，涉及 3 名网格员，可扣分合计 44.5 分。",
		"网格 G01：2 条，可扣 11.5 分",
		"网格 G02：2 条，可扣 33 分",
		"2023-08-15 24:00  W1    张三",
		"2023-08-15 14:25  W3    欧阳小明  黄牌警告",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// Grid by grid, each by due; the totals by points at risk.
	order := []string{"网格 G01", "W1 ", "W2 ", "网格 G02", "黄牌警告", "月事件量不达标", "各网格员可扣分合计", "W3 ", "W1 ", "W2 "}
	rest := out
	for _, s := range order {
		i := strings.Index(rest, s)
		if i < 0 {
			t.Fatalf("%q missing or out of order in:\n%s", s, out)
		}
		rest = rest[i+len(s):]
	}
	if strings.Contains(out, "赵六") || strings.Contains(out, "钱七") {
		t.Errorf("a worker without warnings is listed:\n%s", out)
	}
	// The points at risk end in one column on every row of a grid's table.
	var ends []int
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  2023-") {
			i := strings.Index(line, "  "+strings.Fields(line)[7]) // the column after the points
			ends = append(ends, report.DisplayWidth(line[:i]))
		}
	}
	if len(ends) != 4 || slices.Min(ends) != slices.Max(ends) {
		t.Errorf("points column not aligned (%v):\n%s", ends, out)
	}
}

// TestWarningsTableOutsideTheQuarter: after the quarter's end, and before
// its start, a sentence instead of an empty table; none when nothing is at
// risk.
func TestWarningsTableOutsideTheQuarter(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		asOf time.Time
		want string
	}{
		{time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST), "2023年第3季度已结束，没有预警。"},
		{time.Date(2023, 6, 30, 9, 0, 0, 0, gs.CST), "2023年第3季度尚未开始，没有预警。"},
	} {
		res := &gs.Result{Quarter: "2023Q3", AsOf: c.asOf, Scheme: "xx-town-2023", Workers: []gs.WorkerResult{{WorkerID: "W1", Eligible: true}}}
		var b bytes.Buffer
		if err := report.WriteWarningsTable(&b, "青山镇", res); err != nil {
			t.Fatal(err)
		}
		if out := b.String(); !strings.Contains(out, c.want) || strings.Contains(out, "截止时间") {
			t.Errorf("as of %s:\n%s", c.asOf, out)
		}
	}
	res := midQuarter()
	for i := range res.Workers {
		res.Workers[i].Warnings = &[]gs.Warning{}
	}
	var b bytes.Buffer
	if err := report.WriteWarningsTable(&b, "青山镇", res); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "目前没有预警。") || strings.Contains(out, "截止时间") {
		t.Errorf("nothing at risk:\n%s", out)
	}
}

// TestWarningsJSON: the shape the README documents.
func TestWarningsJSON(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report.WriteWarningsJSON(&b, "青山镇", midQuarter()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Town, Quarter, Scheme string
		AsOf                  time.Time `json:"as_of"`
		Note                  *string
		Warnings              []map[string]any
		Workers               []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if got.Town != "青山镇" || got.Quarter != "2023Q3" || got.Note != nil || len(got.Warnings) != 4 || len(got.Workers) != 3 {
		t.Fatalf("warnings JSON:\n%s", b.String())
	}
	first := got.Warnings[0]
	for k, v := range map[string]any{"worker_id": "W1", "name": "张三", "grid_code": "G01", "rule": "discipline.patrol",
		"rule_name": "一日双巡不足", "period": "2023-08-15", "points": 6.0, "due": "2023-08-16T00:00:00+08:00", "detail": "今天还需巡查 2 次"} {
		if first[k] != v {
			t.Errorf("first warning %s = %v, want %v", k, first[k], v)
		}
	}
	if ev, ok := first["evidence"].([]any); !ok || len(ev) != 0 {
		t.Errorf("evidence %#v, want []", first["evidence"])
	}
	if w := got.Workers[0]; w["worker_id"] != "W3" || w["points"] != 33.0 || w["count"] != 2.0 {
		t.Errorf("first worker %v, want W3 with 33 points in 2 warnings", w)
	}

	b.Reset()
	ended := &gs.Result{Quarter: "2023Q3", AsOf: time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)}
	if err := report.WriteWarningsJSON(&b, "青山镇", ended); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); !strings.Contains(s, `"note": "2023年第3季度已结束，没有预警。"`) || !strings.Contains(s, `"warnings": []`) || !strings.Contains(s, `"workers": []`) {
		t.Errorf("ended quarter JSON:\n%s", s)
	}
}

// TestWarningsXLSX: one sheet, grid by grid with a subtotal after each grid
// and a total, set up to print on A4 landscape with the header repeated
// and frozen.
func TestWarningsXLSX(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report.WriteWarningsXLSX(&b, "青山镇", midQuarter()); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{"预警清单"}) {
		t.Fatalf("sheets %v", got)
	}
	rows, err := x.GetRows("预警清单")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[0][0], "青山镇 2023Q3 网格员预警清单") {
		t.Errorf("title %q", rows[0][0])
	}
	if want := []string{"网格", "工号", "姓名", "规则", "期间", "可扣分", "截止时间", "说明", "依据记录"}; !slices.Equal(rows[1], want) {
		t.Errorf("header %v", rows[1])
	}
	var got []string
	for _, r := range rows[2:] {
		got = append(got, strings.Join(r[:min(len(r), 7)], "|"))
	}
	want := []string{
		"G01|W1|张三|一日双巡不足|2023-08-15|6.00|2023-08-15 24:00",
		"G01|W2|李四|特殊人群走访未完成|2023-08|5.50|2023-08-28 24:00",
		"G01 小计|||||11.50|",
		"G02|W3|欧阳小明|黄牌警告|2023-08-15|5.00|2023-08-15 14:25",
		"G02|W3|欧阳小明|月事件量不达标|2023-08|28.00|2023-08-31 24:00",
		"G02 小计|||||33.00|",
		"合计|||||44.50|",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ev := rows[3][8]; ev != "TS1、TS2" {
		t.Errorf("evidence cell %q", ev)
	}
	if n := rows[len(rows)-1][7]; n != "4 条预警，涉及 3 名网格员" {
		t.Errorf("total row says %q", n)
	}

	lay, err := x.GetPageLayout("预警清单")
	if err != nil {
		t.Fatal(err)
	}
	if lay.Orientation == nil || *lay.Orientation != "landscape" || lay.Size == nil || *lay.Size != 9 || lay.FitToWidth == nil || *lay.FitToWidth != 1 {
		t.Errorf("page layout %+v, want A4 landscape one page wide", lay)
	}
	panes, err := x.GetPanes("预警清单")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 2 || panes.TopLeftCell != "A3" {
		t.Errorf("panes %+v, want the title and header frozen", panes)
	}
	var titles bool
	for _, d := range x.GetDefinedName() {
		titles = titles || (d.Name == "_xlnm.Print_Titles" && d.Scope == "预警清单" && strings.HasSuffix(d.RefersTo, "!$1:$2"))
	}
	if !titles {
		t.Errorf("no repeated header rows: %+v", x.GetDefinedName())
	}
	if w, _ := x.GetColWidth("预警清单", "H"); w < 40 {
		t.Errorf("the 说明 column is %v wide", w)
	}
}

// TestWarningsXLSXAfterTheQuarter: the sheet says why it lists nothing.
func TestWarningsXLSXAfterTheQuarter(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	res := &gs.Result{Quarter: "2023Q3", AsOf: time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)}
	if err := report.WriteWarningsXLSX(&b, "青山镇", res); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("预警清单")
	if len(rows) != 3 || rows[2][0] != "2023年第3季度已结束，没有预警。" {
		t.Errorf("rows %v", rows)
	}
}
