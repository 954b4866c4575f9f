package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// run runs the real program in-process with the store at db and returns the
// exit code, stdout and stderr.
func run(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Now: func() time.Time { return time.Date(2023, 10, 8, 9, 0, 0, 0, time.UTC) },
		Getenv: func(k string) string {
			if k == "GRIDSCORE_DB" {
				return db
			}
			return ""
		}}
	code := m.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// writeFiles writes files (name → content) into a new folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func gb18030(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// smallTown is a town in Chinese headers and values, one file in GB18030,
// dates in several of the accepted forms.
func smallTown(t *testing.T) map[string]string {
	return map[string]string{
		"grids.csv": "\ufeff网格编码,网格名称,村社区,镇街\nG01,青山社区第一网格,青山社区,青山镇\nG02,青山社区第二网格,青山社区,青山镇\n",
		"workers.csv": gb18030(t, "工号,姓名,类型,居委会驻地,网格编码,入职日期,离职日期\n"+
			"W1,王建国,专职,否,G01,2020/3/1,\n"+
			"W2,李秀英,专职,否,G02,2023年5月1日,\n"),
		"ballots.csv":  "评价编号,工号,评价人类别,评价,评价时间\nB1,W1,群众,满意,2023-09-20 10:00\nB2,W1,干部,不满意,2023/9/21 9:05\n",
		"findings.csv": "记录编号,工号,类型,发现日期,次数,说明\nF1,W1,基础信息录入不全或有误,2023-08-02,2,门牌号错误\n",
	}
}

func TestImportThenAssess(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gs.db")
	dir := writeFiles(t, smallTown(t))
	code, out, errOut := run(t, db, "import", dir)
	if code != 0 {
		t.Fatalf("import exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "导入成功") || !strings.Contains(out, "网格员 2 条：新增 2") {
		t.Errorf("import summary:\n%s", out)
	}
	code, out, errOut = run(t, db, "assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00:00", "--format", "json")
	if code != 0 {
		t.Fatalf("assess exit %d: %s", code, errOut)
	}
	var res struct {
		Quarter string `json:"quarter"`
		AsOf    string `json:"as_of"`
		Workers []struct {
			WorkerID   string             `json:"worker_id"`
			Town       string             `json:"town"`
			Eligible   bool               `json:"eligible"`
			Total      *float64           `json:"total"`
			Rank       *int               `json:"rank"`
			Categories map[string]float64 `json:"categories"`
			Pay        float64            `json:"pay_yuan"`
			Flags      []string           `json:"flags"`
		} `json:"workers"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Quarter != "2023Q3" || res.AsOf != "2023-10-08T09:00:00+08:00" || len(res.Workers) != 2 {
		t.Fatalf("result header: %+v", res)
	}
	w1, w2 := res.Workers[0], res.Workers[1]
	// W1: no events (−168 → 0), no logins or patrols (→ 0), info 5−2 = 3,
	// key work 30, satisfaction 1 of 2 = 10: total 43; pay 200 × 3 × 43% = 258.
	if w1.WorkerID != "W1" || !w1.Eligible || *w1.Total != 43 || *w1.Rank != 1 || w1.Pay != 258 || w1.Town != "青山镇" {
		t.Errorf("W1 = %+v (total %v)", w1, *w1.Total)
	}
	if w1.Categories["info"] != 3 || w1.Categories["satisfaction"] != 10 || w1.Categories["events"] != 0 {
		t.Errorf("W1 categories = %v", w1.Categories)
	}
	// W2 was hired 2023-05-01: six months on 2023-11-01, not assessed, paid in full.
	if w2.WorkerID != "W2" || w2.Eligible || w2.Total != nil || w2.Pay != 600 {
		t.Errorf("W2 = %+v", w2)
	}

	// Importing the same files again changes nothing.
	code, out, _ = run(t, db, "import", dir)
	if code != 0 || !strings.Contains(out, "网格员 2 条：新增 0，更新 0，未变 2") {
		t.Errorf("re-import exit %d:\n%s", code, out)
	}
	code, table, _ := run(t, db, "assess", "--quarter", "2023Q3", "--as-of", "2023/10/8 9:00")
	if code != 0 || !strings.Contains(table, "王建国") || !strings.Contains(table, "不参加考核") || !strings.Contains(table, "基础信息录入不全或有误") {
		t.Errorf("table output:\n%s", table)
	}
}

func TestAssessIsStableAcrossReimport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gs.db")
	dir := writeFiles(t, smallTown(t))
	run(t, db, "import", dir)
	_, first, _ := run(t, db, "assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00:00", "--format", "json")
	run(t, db, "import", dir)
	_, second, _ := run(t, db, "assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00:00", "--format", "json")
	if first == "" || first != second {
		t.Errorf("assessment changed after re-import:\n%s\n---\n%s", first, second)
	}
}

func TestBadImportWritesNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gs.db")
	if code, _, errOut := run(t, db, "import", writeFiles(t, smallTown(t))); code != 0 {
		t.Fatal(errOut)
	}
	_, before, _ := run(t, db, "assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00:00", "--format", "json")

	cases := map[string]struct {
		files map[string]string
		want  []string
		not   []string // what stderr must not say
	}{
		"a bad date and an unknown worker": {
			files: map[string]string{
				"events.csv": "事件编号,工号,办理方式,上报时间\nE1,W1,自办,2023-07-03 09:00\nE2,W1,自办,2023-13-45 09:00\nE3,W9,上报,2023-07-03 10:00\n",
				"logins.csv": "工号,登录端,登录时间\nW1,网格E通,2023-07-03 08:00\n",
			},
			want: []string{"events.csv:3:", "上报时间", "events.csv:4:", "W9"},
		},
		"a missing required column": {
			files: map[string]string{"visits.csv": "走访编号,工号,走访时间\nV1,W1,2023-07-03 09:00\n"},
			want:  []string{"visits.csv:1:", "person_id"},
		},
		"a worker's name that clears the terminal": {
			files: map[string]string{"workers.csv": "工号,姓名,类型,网格编码,入职日期\nW3,赵六\x1b[2J\x1b[31m,专职,G01,2023-01-01\n"},
			want:  []string{"workers.csv:2: 姓名（name）: 不能含有控制字符（U+001B）"},
		},
		"a file with a header and no rows": {
			files: map[string]string{"events.csv": "事件编号,工号,办理方式,上报时间\n"},
			want:  []string{"events.csv: 只有表头，没有数据行：这次导入没有任何数据可以导入"},
		},
		"every bad row of many": {
			files: map[string]string{"events.csv": "事件编号,工号,办理方式,上报时间\n" + strings.Repeat("E1,W1,自办,2023-13-45 09:00\n", 500)},
			want:  []string{"发现 500 处问题", "events.csv:2:", "events.csv:201:", "events.csv:501:"},
			not:   []string{"未列出"},
		},
		"a file that is not CSV": {
			files: map[string]string{"events.csv": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"},
			want:  []string{"events.csv"},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := run(t, db, "import", writeFiles(t, c.files))
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
			}
			if strings.Contains(errOut, "\x1b") {
				t.Errorf("stderr carries a terminal escape: %q", errOut)
			}
			if !strings.Contains(errOut, "未写入任何数据") {
				t.Errorf("stderr does not say nothing was written:\n%s", errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			for _, w := range c.not {
				if strings.Contains(errOut, w) {
					t.Errorf("stderr says %q:\n%s", w, errOut)
				}
			}
			_, after, _ := run(t, db, "assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00:00", "--format", "json")
			if after != before {
				t.Errorf("the store changed after a failed import")
			}
		})
	}
}

func TestAssessXLSXAndUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gs.db")
	run(t, db, "import", writeFiles(t, smallTown(t)))
	out := filepath.Join(t.TempDir(), "结果.xlsx")
	if code, _, errOut := run(t, db, "assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00", "--format", "xlsx", "--out", out); code != 0 {
		t.Fatal(errOut)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("考核结果")
	if len(rows) != 4 || rows[2][3] != "王建国" {
		t.Errorf("xlsx rows: %q", rows)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"assess"}, "--quarter"},
		{[]string{"assess", "--quarter", "2023Q5"}, "2023Q3"},
		{[]string{"assess", "--quarter", "2023Q3", "--as-of", "昨天"}, "--as-of"},
		{[]string{"assess", "--quarter", "2023Q3", "--format", "pdf"}, "table、json、xlsx"},
		{[]string{"import"}, "文件或文件夹"},
		{[]string{"frobnicate"}, "未知命令"},
	} {
		code, _, errOut := run(t, db, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

func TestMigrate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gs.db")
	if code, out, errOut := run(t, db, "migrate"); code != 0 || !strings.Contains(out, "已升级") {
		t.Fatalf("first migrate: exit %d %s%s", code, out, errOut)
	}
	if code, out, _ := run(t, db, "migrate"); code != 0 || !strings.Contains(out, "无需升级") {
		t.Errorf("second migrate: exit %d %s", code, out)
	}
}

// TestTablesEscapeStoredNames: a worker's name stored with terminal escapes
// and a right-to-left override (by a version that did not check names) is
// printed as text by `assess` and `warnings`, not obeyed by the terminal.
func TestTablesEscapeStoredNames(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gs.db")
	if code, _, errOut := run(t, db, "import", writeFiles(t, smallTown(t))); code != 0 {
		t.Fatal(errOut)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	evil := gs.Worker{ID: "W1", Name: "王建国\x1b[2J\x1b[31m\u202e", Type: gs.FullTime, GridCode: "G01", HiredOn: gs.NewDate(2020, 3, 1)}
	if _, err := st.Import(context.Background(), &gs.Records{Workers: []gs.Worker{evil}}, nil); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, args := range [][]string{
		{"assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00"},
		{"warnings", "--town", "青山镇", "--as-of", "2023-08-15 09:00"},
	} {
		code, out, errOut := run(t, db, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", args[0], code, errOut)
		}
		if strings.ContainsAny(out, "\x1b\u202e") || !strings.Contains(out, `王建国\x1b[2J\x1b[31m\u202e`) {
			t.Errorf("%s prints the name raw or not at all:\n%q", args[0], out)
		}
	}
}

// An empty file beside others is imported as nothing, and said so.
func TestImportNotesEmptyFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gs.db")
	files := smallTown(t)
	files["events.csv"] = "事件编号,工号,办理方式,上报时间\n"
	code, out, errOut := run(t, db, "import", writeFiles(t, files))
	if code != 0 || !strings.Contains(out, "导入成功") || !strings.Contains(out, "注意：events.csv 只有表头，没有数据行，其中没有可导入的数据。") {
		t.Errorf("exit %d\n%s%s\nwant the import done and a note on events.csv", code, out, errOut)
	}
}

// TestReadingCommandsNeedTheStore: assess, warnings and export filing only
// read; given a SQLite file that does not exist (a mistyped --db) they say
// so and fail, and create nothing, instead of answering from a new, empty
// store.
func TestReadingCommandsNeedTheStore(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "typo.db")
	for _, args := range [][]string{
		{"assess", "--quarter", "2023Q3", "--format", "json"},
		{"warnings", "--town", "青山镇", "--quarter", "2023Q3"},
		{"export", "filing", "--town", "青山镇", "--quarter", "2023Q3", "--out", filepath.Join(t.TempDir(), "f.xlsx")},
	} {
		code, out, errOut := run(t, missing, args...)
		if code != 1 || out != "" || !strings.Contains(errOut, "数据库文件 "+missing+" 不存在") {
			t.Errorf("%v with a missing store: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Fatalf("%v created the missing store: %v", args, err)
		}
	}
}
