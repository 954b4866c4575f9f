package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
)

// TestRecordPagesRender renders the records pages with typed samples: a
// template that fails or leaves a value out fails here.
func TestRecordPagesRender(t *testing.T) {
	admin := &gs.User{Username: "admin", Role: gs.RoleTownAdmin, Town: "青山镇"}
	worker := &gs.User{Username: "QS001", Role: gs.RoleWorker, Town: "青山镇", WorkerID: "QS001"}
	opts := []Option{{Value: "QS-01", Label: "QS-01 第一网格", Selected: true}}
	samples := map[string][]any{
		"records": {
			&RecordsPage{Page: Page{Title: "核查记录", User: admin, Nav: "records"}, Kind: "findings", KindName: "核查记录",
				Kinds: []KindTab{{Name: "findings", Label: "核查记录", URL: "/records/findings", Current: true}}, ShowTown: true, ShowGrid: true, ShowWorker: true,
				Filter: RecordFilterForm{Worker: "QS001", From: "2023-07-01", To: "2023-09-30"}, Towns: opts, Grids: opts,
				Header: []Column{{Label: "记录编号", URL: "/records/findings?sort=finding_id&dir=desc", Sort: "ascending", Arrow: "↑"}, {Label: "佐证文件"}}, Rows: []RecordRow{{Cells: []string{"HC-1"}, URL: "/records/findings/HC-1", Evidence: []EvidenceLink{{Name: "照片.png", URL: "/evidence/1", Size: "2 KB"}}}},
				Count: "共 1 条", Pager: Pager{Page: 2, Pages: 3, First: 51, Last: 100, Prev: "/records/findings?page=1", Next: "/records/findings?page=3",
					Start: "/records/findings", End: "/records/findings?page=3", Note: "没有第 9 页（共 3 页），已显示最后一页。",
					Jump: PageJump{Action: "/records/findings", Hidden: []Hidden{{"worker", "QS001"}}}},
				ExportURL: "/export/records/findings?worker=QS001", NewURL: "/records/findings/new", Linked: true, Masked: true, Done: "记录已删除。"},
			&RecordsPage{Page: Page{Title: "事件", User: worker, Nav: "records"}, Kind: "events", KindName: "事件",
				Filter: RecordFilterForm{From: "2023-13-01", FromError: "请按 2023-10-08 的格式填写日期。", ToError: "结束日期不能早于开始日期。"}},
		},
		"record_form": {
			&RecordFormPage{Page: Page{Title: "录入会议", User: admin, Nav: "records"}, Kind: "meetings", KindName: "会议", New: true, Editable: true,
				Action: "/records/meetings", Fields: []FormField{
					{Name: "meeting_id", Label: "会议编号", Type: "text", Hint: "留空则自动编号"},
					{Name: "held_on", Label: "会议日期", Type: "date", Required: true, Error: "必填，不能为空"},
					{Name: "kind", Label: "类型", Type: "select", Options: opts},
					{Name: "note", Label: "说明", Type: "textarea", Value: "<b>"},
					{Name: "count", Label: "次数", Type: "number", Min: "1"},
					{Name: "worker_id", Label: "工号", Type: "worker", Value: "QS001"}},
				Attendance: []AttendanceField{{WorkerID: "QS001", Name: "王建华", Grid: "QS-01", Field: "att:QS001", Error: "无法识别的值", Options: opts}},
				Workers:    opts, Upload: true, UploadError: "文件太大", Evidence: []EvidenceLink{{Name: "a.pdf", URL: "/evidence/2", Size: "1.2 MB"}},
				Reason: "更正", ReasonError: "请填写修改原因。", Error: "有些内容需要修改", Saved: "已保存。", Frozen: "2023Q3", ListURL: "/records/meetings"},
			&RecordFormPage{Page: Page{Title: "核查记录 HC-1", User: worker, Nav: "records"}, Kind: "findings", KindName: "核查记录",
				Action: "/records/findings/HC-1", DeleteAction: "/records/findings/HC-1/delete", Editable: true, DeleteError: "请填写删除原因。",
				Fields:     []FormField{{Name: "finding_id", Label: "记录编号", Value: "HC-1", Fixed: true}, {Name: "kind", Label: "类型", Type: "select", Options: opts}},
				Attendance: []AttendanceField{{WorkerID: "QS001", Name: "王建华", Options: opts}}, ListURL: "/records/findings"},
		},
	}
	s := &Server{}
	for _, name := range []string{"records", "record_form"} {
		if len(samples[name]) == 0 {
			t.Errorf("page %q has no sample", name)
		}
		for _, data := range samples[name] {
			rec := httptest.NewRecorder()
			if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, name, data); err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			body := rec.Body.String()
			for _, bad := range []string{"<no value>", "%!", "ZgotmplZ", "<b>"} {
				if strings.Contains(body, bad) {
					t.Errorf("%s: the page contains %q", name, bad)
				}
			}
		}
	}
}
