package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// TestMappingPagesRender renders the mapping pages with every branch that
// shows data: the mapping of a file with an enumerated column, a column of
// dates whose form is ambiguous, errors of a save; the saved mappings of a
// town and the district's; and the report of an upload waiting for a
// mapping. A page that fails or leaves a value out fails here.
func TestMappingPagesRender(t *testing.T) {
	staff := &gs.User{Username: "staff", DisplayName: "青山镇工作人员", Role: gs.RoleTownStaff, Town: "青山镇"}
	flow := app.MappingKey{Key: "flow", Title: "办理方式", Required: true, Hint: "可选值", Enumerated: true,
		Choices: []app.MappingChoice{{Code: "self_handled", Title: "自办"}, {Code: "reported", Title: "上报"}}}
	card := app.MappingKey{Key: "card", Title: "警告", Hint: "可选值", Enumerated: true, Choices: []app.MappingChoice{{Code: "red", Title: "红牌"}}}
	at := app.MappingKey{Key: "reported_at", Title: "上报时间", Required: true, Hint: "日期时间", Dated: true, Timestamp: true}
	form := &app.MappingForm{UploadID: 7, File: "导出.xlsx[Sheet1]", Rows: 3, Kind: "events", Name: "网格E通事件导出", From: "网格E通事件导出",
		Kinds: []app.KindChoice{{Name: "events", Title: "事件"}}, Keys: []app.MappingKey{flow, card, at},
		Missing: []string{"事件编号（event_id）"},
		Errors:  gs.MappingErrors{{Column: -1, Message: "请给映射起一个名称。"}},
		Columns: []app.MappingFormColumn{
			{Index: 0, Header: "办理状态", Filled: 3, Samples: []string{"自行处置", "上报"}, Key: "flow", Target: &flow, MoreValues: true,
				Values: []app.MappingFormValue{{Index: 0, Value: "自行处置", Count: 2, Code: "self_handled", Chosen: true}, {Index: 1, Value: "退回", Count: 1}},
				Errors: []string{"请为“办理状态”一列的取值“退回”选择含义。"}},
			{Index: 1, Header: "黄红牌", Filled: 1, Key: "card", Target: &card,
				Values: []app.MappingFormValue{{Index: 0, Value: "无", Count: 1, Chosen: true}}},
			{Index: 2, Header: "上报日期", Filled: 3, Key: "reported_at", Target: &at, DateFormat: "m/d/y", DateValues: 3, Detected: "m/d/y", Ambiguous: true,
				Dates: []app.MappingDate{{ID: "", Title: "标准写法", Example: "2023-07-03", Misfit: "07/03/2023"}, {ID: "m/d/y", Title: "月/日/年", Example: "07/03/2023", Reads: 3}}},
			{Index: 3, Header: "备注"},
		}}
	mappings := &MappingsPage{Page: Page{Title: "导入映射", User: staff, Nav: "import"}, Done: "已导入映射“网格E通事件导出”。", Error: "不是映射文件",
		Mappings: []MappingRow{{Name: "网格E通事件导出", Kind: "事件", Owner: "青山镇", SavedBy: "staff", SavedAt: "2023-10-08 09:00", Own: true,
			FileURL: "/mappings/file?name=x&town=%E9%9D%92", Read: 1,
			Columns: []app.MappingColumnText{{Header: "办理状态", Fills: "办理方式（flow）", Values: "上报 → 上报"}, {Header: "上报日期", Fills: "上报时间（reported_at）", Dates: "年.月.日"}}}}}
	up := &gs.Upload{ID: 7, Town: "青山镇", Username: "staff", CreatedAt: time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST),
		Files: []gs.UploadFile{{Name: "导出.csv", Size: 10}}}
	waiting := &app.UploadReport{Upload: up, Files: []app.FileReport{{Name: "导出.csv"}}, Unmapped: []app.UnmappedFile{{File: "导出.csv", Columns: 9}}}
	mapped := &app.UploadReport{Upload: up, Files: []app.FileReport{{Name: "导出.csv", Kind: "事件", Rows: 3, Mapping: "网格E通事件导出"}},
		Mappable: []string{"events.csv"}}
	s := &Server{}
	for name, data := range map[string]any{
		"mapping":               &MappingPage{Page: Page{Title: "设置对应关系", User: staff, Nav: "import"}, Form: form, Error: "映射没有保存"},
		"mappings":              mappings,
		"mappings district":     &MappingsPage{Page: Page{Title: "导入映射", User: &gs.User{Username: "district", Role: gs.RoleDistrict}}},
		"import_report waiting": &ImportReportPage{Page: Page{Title: "导入校验报告", User: staff}, ID: 7, Report: waiting},
		"import_report mapped":  &ImportReportPage{Page: Page{Title: "导入校验报告", User: staff}, ID: 7, Report: mapped, Mapped: "网格E通事件导出"},
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
