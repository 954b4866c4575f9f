package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/report"
)

func sample() *gs.Result {
	total, rank := gs.Points(8750), 1
	return &gs.Result{
		Quarter: "2023Q3", AsOf: time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST), Scheme: "xx-town-2023",
		Workers: []gs.WorkerResult{
			{WorkerID: "W001", Name: "张三", Type: gs.FullTime, Town: "XX镇", GridCode: "G01", Eligible: true,
				Total: &total, Rank: &rank,
				Categories: &gs.CategoryScores{Info: 500, Events: 2200, KeyWork: 3000, Discipline: 1200, Satisfaction: 1850},
				Deductions: []gs.Deduction{{Rule: gs.RuleEventsQuota, Period: "2023-07", Count: 3, Points: 300, Detail: "7月事件53条（上报6件），差3条", Evidence: []string{"E1", "E2"}}},
				Flags:      []string{gs.FlagNoBallots}, Pay: 52500},
			{WorkerID: "W002", Name: "欧阳小明", Type: gs.PartTime, Town: "XX镇", GridCode: "G02", Reason: "在岗未满6个月", Deductions: []gs.Deduction{}, Flags: []string{}, Pay: 90000},
		},
	}
}

func TestTableIsAlignedChinese(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteTable(&b, sample()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"2023Q3 考核结果", "张三", "87.5", "525.00", "本季度无满意度评价", "不参加考核", "-3      2023-07    月事件量不达标：7月事件53条（上报6件），差3条", "W002 欧阳小明：在岗未满6个月"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// The pay column ends at the same screen column on every row, though names differ in width.
	lines := strings.Split(out, "\n")
	var cols []int
	for _, l := range lines[2:5] {
		i := strings.Index(l, "525.00")
		if i < 0 {
			i = strings.Index(l, "900.00")
		}
		if i < 0 {
			i = strings.Index(l, "绩效(元)")
			i += len("绩效(元)")
			cols = append(cols, screen(l[:i]))
			continue
		}
		cols = append(cols, screen(l[:i+6]))
	}
	if len(cols) != 3 || cols[0] != cols[1] || cols[1] != cols[2] {
		t.Errorf("pay column not aligned: %v\n%s", cols, out)
	}
}

// screen counts terminal columns: Chinese characters take two.
func screen(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x2E80 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func TestTableListsWarningsUnderTheWorker(t *testing.T) {
	res := sample()
	res.AsOf = time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST)
	res.Workers[0].Warnings = &[]gs.Warning{
		{Rule: gs.RuleKeyVisits, Period: "2023-08", Points: 500, Due: time.Date(2023, 8, 29, 0, 0, 0, 0, gs.CST),
			Detail: "8月28日前还需走访：王*（SP0012）", Evidence: []string{"SP0012"}},
	}
	// A worker with no deduction but a warning is listed too.
	total, rank := gs.Points(10000), 1
	res.Workers = append(res.Workers, gs.WorkerResult{WorkerID: "W003", Name: "李四", Type: gs.FullTime, Town: "XX镇", GridCode: "G03",
		Eligible: true, Total: &total, Rank: &rank, Categories: &gs.CategoryScores{}, Deductions: []gs.Deduction{}, Flags: []string{},
		Warnings: &[]gs.Warning{{Rule: gs.RuleDisciplinePatrol, Period: "2023-08-15", Points: 300, Due: time.Date(2023, 8, 16, 0, 0, 0, 0, gs.CST),
			Detail: "今天还需巡查 1 次（已巡查 3小时10分）", Evidence: []string{}}}})
	var b bytes.Buffer
	if err := report.WriteTable(&b, res); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"W001 张三（总分 87.5）\n  -3      2023-07    月事件量不达标：7月事件53条（上报6件），差3条\n  预警 可扣5分，2023-08-29 00:00前：" + gs.RuleName[gs.RuleKeyVisits] + "：8月28日前还需走访：王*（SP0012）\n",
		"W003 李四（总分 100）\n  预警 可扣3分，2023-08-16 00:00前：" + gs.RuleName[gs.RuleDisciplinePatrol] + "：今天还需巡查 1 次（已巡查 3小时10分）\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestXLSXHasEveryWorkerAndDeduction(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteXLSX(&b, sample()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("考核结果")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[2][3] != "张三" || rows[2][12] != "87.50" || rows[2][13] != "525.00" || rows[3][6] != "否" {
		t.Errorf("summary rows = %q", rows)
	}
	det, err := f.GetRows("扣分明细")
	if err != nil {
		t.Fatal(err)
	}
	// A title row, then the header: a clerk reads the rule by its Chinese
	// name; the id follows for a program that needs it.
	if len(det) != 3 || det[1][3] != "规则" || det[2][3] != gs.RuleName[gs.RuleEventsQuota] || det[1][4] != "规则编号" || det[2][4] != "events.quota" ||
		det[2][7] != "3.00" || det[2][9] != "E1、E2" {
		t.Errorf("detail rows = %q", det)
	}
	// The title names the scheme by its name, or by its id when it has none.
	if rows[0][0] != "2023Q3 网格员考核结果（截至 2023-10-08 09:00，方案 xx-town-2023）" {
		t.Errorf("title of a scheme without a name: %q", rows[0][0])
	}
	res := sample()
	res.SchemeName = "XX镇网格员管理考核办法"
	b.Reset()
	if err := report.WriteXLSX(&b, res); err != nil {
		t.Fatal(err)
	}
	if f, err = excelize.OpenReader(&b); err != nil {
		t.Fatal(err)
	}
	if title, _ := f.GetCellValue("考核结果", "A1"); title != "2023Q3 网格员考核结果（截至 2023-10-08 09:00，方案 XX镇网格员管理考核办法）" {
		t.Errorf("title of a named scheme: %q", title)
	}
}
