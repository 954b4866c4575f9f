package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// TestImportPagesRender renders each import page with every branch that
// shows data: a page that fails or leaves a value out fails here.
func TestImportPagesRender(t *testing.T) {
	staff := &gs.User{Username: "staff", DisplayName: "青山镇工作人员", Role: gs.RoleTownStaff, Town: "青山镇"}
	up := &gs.Upload{ID: 7, Town: "青山镇", Username: "staff", CreatedAt: time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST),
		Files: []gs.UploadFile{{Name: "events.csv", Size: 10}, {Name: "book.xlsx", Size: 20}}}
	kinds := []app.KindReport{{Name: "events", Title: "事件", Received: 3, Inserted: 1, Updated: 1, Unchanged: 1}}
	files := []app.FileReport{{Name: "events.csv", Kind: "事件", Rows: 3}, {Name: "notes.txt"}}
	bad := &app.UploadReport{Upload: up, Files: files, Notes: []string{"工作日历对所有镇街生效"},
		Problems: []app.Problem{{File: "events.csv", Row: 3, Column: "工号（worker_id）", Title: "工号", Message: "工号 \"X\" 没有对应的网格员"}, {File: "notes.txt", Message: "不支持的文件类型"}},
		Unlisted: []app.UnlistedProblems{{File: "events.csv", Count: 2716000}}}
	samples := map[string]any{
		"import": &ImportPage{Page: Page{Title: "导入数据", User: staff, Nav: "import"}, Error: "请选择文件", Cancelled: true, MaxMB: 200, MaxFiles: 64,
			Uploads: []UploadRow{{URL: "/import/7", Files: "events.csv", Username: "staff", CreatedAt: "2023-10-08 09:00"}}},
		"import_report": &ImportReportPage{Page: Page{Title: "导入校验报告", User: staff, Nav: "import"}, ID: 7, Report: bad, Error: "重新校验时发现问题"},
		"import_checking": &CheckingPage{Page: Page{Title: "正在校验上传的文件", User: staff, Nav: "import", Refresh: 3}, ID: 7,
			Files: "events.csv、book.xlsx", Size: "190 MB", Elapsed: "12 秒"},
	}
	good := &app.UploadReport{Upload: up, Files: files, Kinds: kinds}
	done := &app.UploadReport{Upload: up, Files: files, Kinds: kinds, Committed: true}
	for _, name := range []string{"import", "import_report", "import_checking"} {
		if _, ok := samples[name]; !ok {
			t.Errorf("page %q has no sample", name)
		}
	}
	s := &Server{}
	for name, data := range map[string]any{
		"import": samples["import"], "import_report": samples["import_report"], "import_checking": samples["import_checking"],
		"import_report ok":   &ImportReportPage{Page: Page{Title: "导入校验报告", User: staff}, ID: 7, Report: good},
		"import_report done": &ImportReportPage{Page: Page{Title: "导入完成", User: staff}, ID: 7, Report: done},
	} {
		rec := httptest.NewRecorder()
		if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, strings.Fields(name)[0], data); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		body := rec.Body.String()
		for _, bad := range []string{"<no value>", "%!", "ZgotmplZ", " style=", "<script"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the page contains %q", name, bad)
			}
		}
	}
}

// TestImportReportCountsUnlistedProblems: a report listing only the first
// problems of a file says how many there are in all and how many are not
// listed.
func TestImportReportCountsUnlistedProblems(t *testing.T) {
	staff := &gs.User{Username: "staff", Role: gs.RoleTownStaff, Town: "青山镇"}
	up := &gs.Upload{ID: 7, Town: "青山镇", Username: "staff", Files: []gs.UploadFile{{Name: "events.csv"}}}
	rep := &app.UploadReport{Upload: up, Problems: []app.Problem{{File: "events.csv", Row: 2, Message: "坏"}},
		Unlisted: []app.UnlistedProblems{{File: "events.csv", Count: 2716000}}}
	rec := httptest.NewRecorder()
	page := &ImportReportPage{Page: Page{Title: "导入校验报告", User: staff}, ID: 7, Report: rep}
	if err := (&Server{}).render(rec, httptest.NewRequest("GET", "/", nil), 200, "import_report", page); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	for _, want := range []string{"发现 2716001 处问题，不能导入", "问题（2716001 处）", "events.csv：…还有 2716000 处问题未列出", "每个文件最多列出前 10000 处问题"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
