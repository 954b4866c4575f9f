package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWarningsOnTheDemoTown runs `gridscore warnings` on the demo town in
// mid-August: the table lists the town's warnings grid by grid, the JSON
// holds every warning `assess` finds at that moment, the workbook the same
// rows; after the quarter's end it says there are none; an unknown town is
// refused with the towns there are.
func TestWarningsOnTheDemoTown(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "gs.db")
	if code, _, errOut := run(t, db, "demo"); code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	const asOf = "2023-08-15 09:00"

	code, out, errOut := run(t, db, "warnings", "--town", "青山镇", "--as-of", asOf)
	if code != 0 {
		t.Fatalf("warnings exit %d: %s", code, errOut)
	}
	for _, want := range []string{"青山镇 2023Q3 网格员预警清单（截至 2023-08-15 09:00", "网格 QS-01：", "截止时间", "今天还需", "各网格员可扣分合计"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if i, j := strings.Index(out, "网格 QS-01："), strings.Index(out, "网格 QS-02："); i < 0 || j < i {
		t.Errorf("grids not in order:\n%s", out)
	}

	// Every warning of the assessment at that moment, and no other.
	code, out, errOut = run(t, db, "assess", "--quarter", "2023Q3", "--as-of", asOf, "--format", "json")
	if code != 0 {
		t.Fatalf("assess exit %d: %s", code, errOut)
	}
	var assessed struct {
		Workers []struct {
			WorkerID string            `json:"worker_id"`
			Warnings []json.RawMessage `json:"warnings"`
		} `json:"workers"`
	}
	if err := json.Unmarshal([]byte(out), &assessed); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	total := 0
	for _, w := range assessed.Workers {
		if len(w.Warnings) > 0 {
			want[w.WorkerID] = len(w.Warnings)
			total += len(w.Warnings)
		}
	}
	code, out, errOut = run(t, db, "warnings", "--town", "青山镇", "--as-of", asOf, "--format", "json")
	if code != 0 {
		t.Fatalf("warnings json exit %d: %s", code, errOut)
	}
	var listed struct {
		Town     string `json:"town"`
		Quarter  string `json:"quarter"`
		Warnings []struct {
			WorkerID string `json:"worker_id"`
			GridCode string `json:"grid_code"`
			Due      string `json:"due"`
		} `json:"warnings"`
		Workers []struct {
			WorkerID string `json:"worker_id"`
			Count    int    `json:"count"`
		} `json:"workers"`
	}
	if err := json.Unmarshal([]byte(out), &listed); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if listed.Town != "青山镇" || listed.Quarter != "2023Q3" || total == 0 || len(listed.Warnings) != total {
		t.Fatalf("listed %d warnings of %s %s, assess finds %d", len(listed.Warnings), listed.Town, listed.Quarter, total)
	}
	for i := 1; i < len(listed.Warnings); i++ {
		a, b := listed.Warnings[i-1], listed.Warnings[i]
		if a.GridCode > b.GridCode || (a.GridCode == b.GridCode && a.Due > b.Due) {
			t.Errorf("warning %d (%s %s) after %d (%s %s): not grid by grid, by due", i, b.GridCode, b.Due, i-1, a.GridCode, a.Due)
		}
	}
	for _, w := range listed.Workers {
		if want[w.WorkerID] != w.Count {
			t.Errorf("%s: %d warnings listed, assess finds %d", w.WorkerID, w.Count, want[w.WorkerID])
		}
	}

	// The workbook: a row a warning, a subtotal a grid, a total.
	xlsx := filepath.Join(t.TempDir(), "预警.xlsx")
	if code, _, errOut := run(t, db, "warnings", "--town", "青山镇", "--as-of", asOf, "--format", "xlsx", "--out", xlsx); code != 0 {
		t.Fatalf("warnings xlsx exit %d: %s", code, errOut)
	}
	x, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("预警清单")
	if err != nil {
		t.Fatal(err)
	}
	warned, subtotals := 0, 0
	for _, r := range rows[2:] {
		switch {
		case strings.HasSuffix(r[0], " 小计"):
			subtotals++
		case r[0] != "合计":
			warned++
		}
	}
	if warned != total || subtotals == 0 || rows[len(rows)-1][0] != "合计" {
		t.Errorf("workbook: %d warning rows (want %d), %d subtotals, last row %v", warned, total, subtotals, rows[len(rows)-1])
	}

	// After the quarter's end: a sentence, no table.
	code, out, _ = run(t, db, "warnings", "--town", "青山镇", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00:00")
	if code != 0 || !strings.Contains(out, "2023年第3季度已结束，没有预警。") || strings.Contains(out, "截止时间") {
		t.Errorf("after the quarter (exit %d):\n%s", code, out)
	}
	// The quarter defaults to that of --as-of (the program's clock is
	// 2023-10-08: the fourth quarter, which has just begun).
	if code, out, _ = run(t, db, "warnings", "--town", "青山镇", "--format", "json"); code != 0 || !strings.Contains(out, `"quarter": "2023Q4"`) {
		t.Errorf("default quarter (exit %d):\n%.300s", code, out)
	}

	code, _, errOut = run(t, db, "warnings", "--town", "白石镇", "--as-of", asOf)
	if code != 1 || !strings.Contains(errOut, "没有镇街“白石镇”") || !strings.Contains(errOut, "已有的镇街：青山镇") {
		t.Errorf("unknown town (exit %d): %s", code, errOut)
	}
}

// TestWarningsBadCommandLines: what is missing or wrong is said in Chinese,
// with exit code 2.
func TestWarningsBadCommandLines(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "gs.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"warnings"}, "请用 --town 指定镇街"},
		{[]string{"warnings", "--town", "青山镇", "--as-of", "八月"}, "--as-of 时间格式有误"},
		{[]string{"warnings", "--town", "青山镇", "--quarter", "2023Q5"}, "gridscore warnings："},
		{[]string{"warnings", "--town", "青山镇", "--format", "pdf"}, "不支持的格式"},
		{[]string{"warnings", "--town", "青山镇", "extra"}, "多余的参数"},
	} {
		code, _, errOut := run(t, db, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	if code, out, _ := run(t, db, "help"); code != 0 || !strings.Contains(out, "gridscore warnings --town") {
		t.Errorf("usage lacks the warnings command:\n%s", out)
	}
}
