package csvfile_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// The report lists every bad row of every file, rows numbered as a
// spreadsheet shows them: a quoted value with a line break is one row and a
// blank line is a row too.
func TestEveryProblemOfEveryFile(t *testing.T) {
	t.Parallel()
	events := "event_id,worker_id,flow,reported_at,category\n" + // row 1
		"E1,W1,自办,2023-07-03 09:00,治安\n" + // row 2
		"E2,W1,上报,2023-07-03 10:00,\"跨两行\n的类别\"\n" + // row 3
		"\n" + // row 4, blank
		"E3,W1,转办,2023-07-32 10:00,环境\n" + // row 5: bad date
		"E4,W1,self_handled,2023-07-04 10:00,环境\n" // row 6
	other := "事件编号,工号,办理方式,上报时间\n" +
		"E10,W2,上报,2023-07-05 08:00\n" +
		"E11,W2,转交,2023-07-05 09:00\n" // row 3: unknown flow
	dir := writeFiles(t, map[string]string{"events.csv": events})
	dir2 := writeFiles(t, map[string]string{"事件.csv": other})
	got := problems(t, dir, dir2)
	want := []string{
		"events.csv:3: 事件类别（category）: 不能含有换行符或制表符", // a category is one line
		`events.csv:5: 上报时间（reported_at）: 日期不存在："2023-07-32 10:00"`,
		`事件.csv:3: 办理方式（flow）: 无法识别的值 "转交"，应为：自办、上报、转办（或 self_handled、reported、assigned）`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestRowProblems(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, content string
		want                []string
	}{
		{"required value empty", "grids.csv", "grid_code,grid_name,town\nG1,,XX镇\n",
			[]string{"grids.csv:2: 网格名称（grid_name）: 必填，不能为空"}},
		{"several problems in one row", "workers.csv",
			"worker_id,name,type,grid_code,hired_on,left_on,stationed\nW1,张三,临时工,G1,2023-07-01,2023-06-30,也许\n",
			[]string{
				`workers.csv:2: 类型（type）: 无法识别的值 "临时工"，应为：专职、兼职（或 full_time、part_time）`,
				`workers.csv:2: 居委会驻地（stationed）: 无法识别的值 "也许"，应为：是、否（或 true、false）`,
				"workers.csv:2: 离职日期（left_on）: 离职日期早于入职日期",
			}},
		{"leave ends before it starts", "leaves.csv", "worker_id,from,to\nW1,2023-07-05,2023-07-04\n",
			[]string{"leaves.csv:2: 结束日期（to）: 结束日期早于开始日期"}},
		{"patrol ends before it starts", "patrols.csv", "patrol_id,worker_id,started_at,ended_at\nP1,W1,2023-07-05 09:00,2023-07-05 08:59\n",
			[]string{"patrols.csv:2: 结束时间（ended_at）: 结束时间早于开始时间"}},
		{"negative distance", "patrols.csv", "patrol_id,worker_id,started_at,distance_m\nP1,W1,2023-07-05 09:00,-3\n",
			[]string{`patrols.csv:2: 里程米（distance_m）: 不能小于 0："-3"`}},
		{"count zero", "findings.csv", "finding_id,worker_id,kind,occurred_on,count\nF1,W1,phone,2023-07-05,0\n",
			[]string{`findings.csv:2: 次数（count）: 不能小于 1："0"`}},
		{"negative money shown as typed", "workers.csv",
			"worker_id,name,type,grid_code,hired_on,monthly_performance_yuan\nW1,张三,兼职,G1,2023-07-01,-1.5\n",
			[]string{`workers.csv:2: 月绩效金额（monthly_performance_yuan）: 金额不能为负数："-1.5"`}},
		{"problems of a row in the order of its columns, rules between columns last", "events.csv",
			"event_id,worker_id,flow,occurred_at,reported_at,closed_at,card\nE1,,坏,2023-07-05 10:00,2023-07-05 09:00,2023-07-04 10:00,蓝\n",
			[]string{
				"events.csv:2: 工号（worker_id）: 必填，不能为空",
				`events.csv:2: 办理方式（flow）: 无法识别的值 "坏"，应为：自办、上报、转办（或 self_handled、reported、assigned）`,
				`events.csv:2: 警告（card）: 无法识别的值 "蓝"，应为：黄牌、红牌（或 yellow、red）`,
				"events.csv:2: 上报时间（reported_at）: 上报时间早于发生时间",
				"events.csv:2: 办结时间（closed_at）: 办结时间早于发生时间",
			}},
		{"a required number left empty", "quiz.csv", "quiz_id,worker_id,taken_on,wrong_answers\nQ1,W1,2023-07-05,\n",
			[]string{"quiz.csv:2: 答错处数（wrong_answers）: 必填，不能为空"}},
		{"a value that cannot be read is not also missing", "leaves.csv", "worker_id,from,to\nW1,2023-07-05,2023-07-04 10:00\n",
			[]string{`leaves.csv:2: 结束日期（to）: 应为日期，不带时间："2023-07-04 10:00"`}},
		{"money with three decimals", "workers.csv",
			"worker_id,name,type,grid_code,hired_on,quarterly_subsidy_yuan\nW1,张三,兼职,G1,2023-07-01,1.005\n",
			[]string{`workers.csv:2: 季度补助金额（quarterly_subsidy_yuan）: 金额应为元，最多两位小数："1.005"`}},
		{"wrong answers not a number", "quiz.csv", "quiz_id,worker_id,taken_on,wrong_answers\nQ1,W1,2023-07-05,两处\n",
			[]string{`quiz.csv:2: 答错处数（wrong_answers）: 应为整数："两处"`}},
		{"event reported before it occurred", "events.csv",
			"event_id,worker_id,flow,occurred_at,reported_at\nE1,W1,上报,2023-07-05 10:00,2023-07-05 09:00\n",
			[]string{"events.csv:2: 上报时间（reported_at）: 上报时间早于发生时间"}},
		{"cells beyond the header", "grids.csv", "grid_code,grid_name,town\nG1,一网格,XX镇,多余\n",
			[]string{"grids.csv:2: 第 D 列: 表头之外的列有内容（该行可能多了逗号或错位）"}},
		{"stray quote", "grids.csv", "grid_code,grid_name,town\nG1,一\"网格,XX镇\nG2,,XX镇\n",
			[]string{
				"grids.csv:2: CSV 格式错误：未加引号的值中出现了双引号（含引号的值应整体用双引号括起，值中的引号写成两个）",
				"grids.csv:3: 网格名称（grid_name）: 必填，不能为空",
			}},
		{"ID number mangled by Excel", "register.csv", "person_id,category,grid_code,entered_at,id_number\nP1,吸毒人员,G1,2023-07-01 08:00,3.30102E+17\n",
			[]string{"register.csv:2: 身份证号（id_number）: 数字被 Excel 改成了科学计数法（3.30102E+17），原来的数字已丢失：请把该列设为文本格式后重新填写"}},
		{"unknown file name", "人员.csv", "a,b\n1,2\n",
			[]string{"人员.csv: 无法从名称 “人员” 看出数据类别；应为以下之一：网格（grids）、网格员（workers）、事件（events）、登录（logins）、巡查（patrols）、请假（leaves）、特殊人群（register）、部门名单（rosters）、走访（visits）、会议（meetings）、考勤（attendance）、核查记录（findings）、应知应会（quiz）、满意度（ballots）、工作日历（calendar）"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problems(t, writeFiles(t, map[string]string{tc.file: tc.content}))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestDefaultsAndValueSpellings(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"events.csv": "event_id,worker_id,flow,reported_at,severity,card,irregular\n" +
			"E1,W1,上报,2023-07-05 09:00,,,\n" +
			"E2,W1,ASSIGNED,2023-07-05 09:00,重大,红牌,1\n",
		"logins.csv":   "worker_id,channel,at\nW1,APP,2023-07-05 08:00\nW1,网格E通,2023-07-05 09:00\nW1,PC端,2023-07-05 08:00\nW1,pc,2023-07-05 10:00\n",
		"findings.csv": "finding_id,worker_id,kind,occurred_on\nF1,W1,暗访或举报,2023-07-05\n",
	})
	b := mustRead(t, dir)
	e := b.Records.Events
	if e[0].Severity != gridscore.SeverityGeneral || !e[0].OccurredAt.Equal(e[0].ReportedAt) || e[0].Card != gridscore.CardNone || e[0].Irregular {
		t.Errorf("defaults not applied: %+v", e[0])
	}
	if e[1].Flow != gridscore.FlowAssigned || e[1].Severity != gridscore.SeveritySerious || e[1].Card != gridscore.CardRed || !e[1].Irregular {
		t.Errorf("values misread: %+v", e[1])
	}
	var chans []gridscore.Channel
	for _, l := range b.Records.Logins {
		chans = append(chans, l.Channel)
	}
	if want := []gridscore.Channel{"app", "app", "pc", "pc"}; !reflect.DeepEqual(chans, want) {
		t.Errorf("channels = %v, want %v", chans, want)
	}
	if f := b.Records.Findings[0]; f.Count != 1 || f.Kind != gridscore.FindingInspection {
		t.Errorf("finding = %+v", f)
	}
}

func TestNotCSV(t *testing.T) {
	t.Parallel()
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("a.txt")
	w.Write([]byte("hello"))
	zw.Close()
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
	for _, tc := range []struct {
		name, content, want string
	}{
		{"png", png, "events.csv: 不是 CSV 文本文件（含有二进制内容），请另存为 CSV（UTF-8 或 GB18030 编码）"},
		{"zip", zipped.String(), "events.csv: 这是 ZIP 或 XLSX 文件而不是 CSV 文件；XLSX 工作簿的文件名应以 .xlsx 结尾"},
		{"utf16", "\xFF\xFEe\x00v\x00", "events.csv: 文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为 CSV（UTF-8 或 GB18030 编码）"},
		{"neither UTF-8 nor GB18030", "event_id\n\xFF\xFF\xFF\n", "events.csv: 编码无法识别：既不是 UTF-8 也不是 GB18030，请另存为 CSV（UTF-8 或 GB18030 编码）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problems(t, writeFiles(t, map[string]string{"events.csv": tc.content}))
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestPaths(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"grids.csv":   "grid_code,grid_name,town\nG1,一网格,XX镇\n",
		"readme.txt":  "not read",
		"~$book.xlsx": "lock file",
	})
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(sub, "grids.csv"), []byte("grid_code,grid_name,town\nG2,二网格,XX镇\n"), 0o644)

	// A folder, the same file again by name: read once, subfolder ignored.
	b := mustRead(t, dir, filepath.Join(dir, "grids.csv"))
	if len(b.Records.Grids) != 1 || b.Records.Grids[0].Code != "G1" {
		t.Errorf("grids = %+v", b.Records.Grids)
	}

	got := problems(t, filepath.Join(dir, "readme.txt"), filepath.Join(dir, "missing.csv"))
	want := []string{
		filepath.Join(dir, "missing.csv") + ": 无法读取：文件或文件夹不存在",
		"readme.txt: 不支持的文件类型：只接受 .csv 文件或 .xlsx 工作簿",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestDuplicateKeys(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"events.csv": "event_id,worker_id,flow,reported_at\n" +
			"E1,W1,上报,2023-07-05 09:00\n" +
			"E2,W1,上报,2023-07-05 10:00\n" +
			"E1,W1,上报,2023/7/5 9:00\n" + // same as row 2: kept once
			"E2,W2,上报,2023-07-05 10:00\n", // differs from row 3
		"leaves.csv": "worker_id,from,to\nW1,2023-07-03,2023-07-04\n",
		// A date of the district's, of 青山镇 and of 白石镇: three days; the
		// same date and town again with another kind: a duplicate.
		"calendar.csv": "date,kind,town\n2023-08-12,工作日,\n2023-08-12,休息日,青山镇\n2023-08-12,工作日,白石镇\n2023/8/12,工作日,青山镇\n",
	})
	dir2 := writeFiles(t, map[string]string{
		"请假.csv": "工号,开始日期,结束日期\nW1,2023年7月3日,2023年7月5日\n",
	})
	got := problems(t, dir, dir2)
	want := []string{
		`calendar.csv:5: 日期（date）+镇街（town）: 与 calendar.csv:3 重复（"2023-08-12 青山镇"），但两行内容不同`,
		`events.csv:5: 事件编号（event_id）: 与 events.csv:3 重复（"E2"），但两行内容不同`,
		`请假.csv:2: 工号（worker_id）+开始日期（from）: 与 leaves.csv:2 重复（"W1 2023-07-03"），但两行内容不同`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	b := mustRead(t, writeFiles(t, map[string]string{"events.csv": "event_id,worker_id,flow,reported_at\n" +
		"E1,W1,上报,2023-07-05 09:00\nE1,W1,reported,2023-07-05 09:00:00\n"}))
	if len(b.Records.Events) != 1 || b.Origins.Events[0].Row != 2 {
		t.Errorf("identical rows not merged: %+v %+v", b.Records.Events, b.Origins.Events)
	}
}

func TestReportIsInvalidInput(t *testing.T) {
	t.Parallel()
	_, err := csvfile.Read(writeFiles(t, map[string]string{"grids.csv": "grid_code,grid_name,town\nG1,,XX镇\n"}))
	if code := gridscore.ErrorCode(err); code != gridscore.EINVALID {
		t.Errorf("ErrorCode = %q, want %q", code, gridscore.EINVALID)
	}
	if msg := gridscore.ErrorMessage(err); !strings.Contains(msg, "grids.csv:2: 网格名称（grid_name）") {
		t.Errorf("ErrorMessage = %q", msg)
	}
}

// TestProblemTitles checks how a page names each problem's column (Title,
// the Chinese header alone) next to how the command line names it
// (Column): a header problem, a bad value, a key of two columns repeated
// with other content, a cell beyond the header, a reference to nothing,
// and a problem the app makes of a kind's column.
func TestProblemTitles(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"events.csv": "event_id,worker_id,flow\nE1,W1,自办\n",
		"leaves.csv": "工号,开始日期,结束日期\nW1,2023-07-03,2023-07-04\nW1,2023-07-03,2023-07-05\nW1,2023-07-10,2023-07-11,多余\n" +
			"W1,2023-07-12,2023-07-1x\n",
	})
	_, err := csvfile.Read(dir)
	var rep *csvfile.Report
	if !errors.As(err, &rep) {
		t.Fatalf("want a report, got %v", err)
	}
	type named struct{ column, title, key string }
	got := map[named]bool{}
	for _, p := range rep.Problems {
		got[named{p.Column, p.Title, p.Key}] = true
	}
	for _, want := range []named{
		{"上报时间（reported_at）", "上报时间", "reported_at"},
		{"工号（worker_id）+开始日期（from）", "工号+开始日期", "worker_id+from"},
		{"第 D 列", "第 D 列", ""},
		{"结束日期（to）", "结束日期", "to"},
	} {
		if !got[want] {
			t.Errorf("no problem naming %q as %q and %q; got %v", want.column, want.title, want.key, got)
		}
	}

	b := mustRead(t, writeFiles(t, map[string]string{"leaves.csv": "工号,开始日期,结束日期\nW9,2023-07-03,2023-07-04\n"}))
	err = b.CheckReferences(csvfile.Known{})
	if !errors.As(err, &rep) || len(rep.Problems) != 1 || rep.Problems[0].Column != "工号（worker_id）" || rep.Problems[0].Title != "工号" {
		t.Errorf("a leave of an unknown worker: %v", err)
	}

	o := csvfile.Origin{File: "workers.csv", Row: 4}
	if p := csvfile.ColumnProblem(o, "workers", "grid_code", "网格属于别的镇"); p.Column != "网格编码（grid_code）" || p.Title != "网格编码" || p.Key != "grid_code" || p.Row != 4 {
		t.Errorf("ColumnProblem: %+v", p)
	}
	if p := csvfile.ColumnProblem(o, "workers", "no_such", "x"); p.Column != "no_such" || p.Title != "no_such" {
		t.Errorf("ColumnProblem of an unknown column: %+v", p)
	}
}

// A file with a header and no rows imports nothing. Beside files with rows
// it is no problem (the Scanner's Sources say it is empty, for a remark);
// alone, or beside other empty files, the import is refused: nothing would
// be imported.
func TestFileWithoutRows(t *testing.T) {
	t.Parallel()
	empty := writeFiles(t, map[string]string{"events.csv": "event_id,worker_id,flow,reported_at\n\n\n"})
	got := problems(t, empty)
	if want := []string{"events.csv: 只有表头，没有数据行：这次导入没有任何数据可以导入"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	book := writeBook(t, false, map[string]sheet{"事件": {"A1": "事件编号", "B1": "工号", "C1": "办理方式", "D1": "上报时间"}})
	got = problems(t, empty, book)
	if want := []string{
		"book.xlsx[事件]: 只有表头，没有数据行：这次导入没有任何数据可以导入",
		"events.csv: 只有表头，没有数据行：这次导入没有任何数据可以导入",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	grids := writeFiles(t, map[string]string{"grids.csv": "grid_code,grid_name,town\nG1,一,镇\n"})
	sc := &csvfile.Scanner{}
	if err := sc.Scan(context.Background(), []string{empty, grids}, func(*gridscore.Records) error { return nil }); err != nil {
		t.Fatalf("an empty file beside one with rows: %v", err)
	}
	want := []csvfile.Source{{File: "grids.csv", Kind: "grids", Rows: 1, Valid: 1}, {File: "events.csv", Kind: "events"}}
	if !reflect.DeepEqual(sc.Sources, want) || !sc.Sources[1].Empty() || sc.Sources[0].Empty() {
		t.Errorf("sources %+v, want %+v", sc.Sources, want)
	}
}
