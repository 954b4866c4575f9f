package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// The fields of the hand kinds' forms: labels, types and choices come from
// the import's own columns and values (as the export writes them), so the
// form and the files speak alike.

// textareaMax is the most characters typed in a textarea whose field has
// no limit of its own in the domain (gs.MaxLength).
const textareaMax = 1000

// fieldType is the input of a field of kind.
func fieldType(kind, field string) string {
	switch {
	case field == "worker_id":
		return "worker"
	case field == "kind" && kind != "meetings":
		return "select"
	case field == "note":
		return "textarea"
	case field == "count" || field == "wrong_answers":
		return "number"
	case strings.HasSuffix(field, "_on") || field == "from" || field == "to" || field == "date":
		return "date"
	}
	return "text"
}

// choices returns the values of a select field in Chinese, by code.
func choices(kind, field string) []Option {
	var recs gs.Records
	var codes []string
	col := 0
	switch {
	case kind == "findings" && field == "kind":
		for _, k := range gs.FindingKinds {
			recs.Findings = append(recs.Findings, gs.Finding{Kind: k})
			codes = append(codes, string(k))
		}
		col = 2
	case kind == "calendar" && field == "kind":
		for _, k := range []gs.DayKind{gs.DayHoliday, gs.DayWorkday} {
			recs.Calendar = append(recs.Calendar, gs.CalendarDay{Kind: k})
			codes = append(codes, string(k))
		}
		col = 1
	case kind == "attendance" && field == "status":
		for _, st := range []gs.AttendanceStatus{gs.StatusPresent, gs.StatusLeave, gs.StatusAbsent} {
			recs.Attendance = append(recs.Attendance, gs.Attendance{Status: st})
			codes = append(codes, string(st))
		}
		col = 2
	default:
		return nil
	}
	_, rows, err := app.ChineseRows(kind, &recs)
	if err != nil {
		return nil
	}
	out := make([]Option, len(codes))
	for i, c := range codes {
		out[i] = Option{Value: c, Label: rows[i][col]}
	}
	return out
}

// selected returns opts with the one of value v selected: v is the code
// a form posts or the Chinese label a stored record's values hold (as the
// export writes them).
func selected(opts []Option, v string) []Option {
	out := make([]Option, len(opts))
	for i, o := range opts {
		o.Selected = v != "" && (o.Value == v || o.Label == v)
		out[i] = o
	}
	return out
}

// recordForm builds the page of a record of a hand kind: new (key nil),
// stored (view), or typed and posted again (typed).
func (s *Server) recordForm(r *http.Request, u *gs.User, kind string, key []string, view *app.RecordView, typed *app.RecordEdit) (*RecordFormPage, error) {
	fields := formFields(kind, key, formValues(kind, view, typed))
	page := &RecordFormPage{Kind: kind, KindName: gs.KindName[kind], New: key == nil, ListURL: "/records/" + kind, Fields: fields}
	title := "录入" + gs.KindName[kind]
	if view != nil {
		title = gs.KindName[kind] + " " + strings.Join(key, " ")
		page.stored(kind, key, view, typed)
	} else {
		page.Editable = app.CanEnter(u, kind)
		page.Action = "/records/" + kind
	}
	if typed != nil {
		page.Reason = typed.Reason
	}
	page.Page = s.page(u, title, "records")
	if err := s.townField(r, u, kind, page); err != nil {
		return nil, err
	}
	if view != nil && !page.Editable && (u.Role == gs.RoleTownAdmin || u.Role == gs.RoleTownStaff) && view.Values["town"] == "" && (kind == "meetings" || kind == "calendar") {
		page.ReadOnly = "这是区中心设置的全区" + gs.KindName[kind] + "，镇街只能查看，不能修改或删除。"
		if kind == "calendar" {
			page.ReadOnly += "本镇街这一天另有安排的，请录入本镇街的工作日历：同一日期以本镇街的为准。"
		}
	}
	page.AttendanceEditable = page.Editable && u.Role != gs.RoleDistrict
	var town []gs.TownWorker
	var err error
	if page.AttendanceEditable && (slices.ContainsFunc(app.HandFields(kind), func(f app.HandField) bool { return f.Key == "worker_id" }) || kind == "meetings") {
		if town, err = s.Service.GridWorkers(r.Context(), u.Town); err != nil {
			return nil, err
		}
		for _, w := range town {
			page.Workers = append(page.Workers, Option{Value: w.ID, Label: w.Name + "（" + w.GridCode + "）"})
		}
	}
	if kind == "meetings" {
		if page.Attendance, err = s.attendanceFields(r, page.AttendanceEditable, town, view, typed); err != nil {
			return nil, err
		}
	}
	page.Upload = kind == "findings" && page.Editable
	return page, nil
}

// townField sets up the town of a meeting's or calendar day's form
// (DATA.md §1): a town's center enters its own town's, filled in; the
// district chooses 全区 (its own, for every town) or a town. A town shown
// and not typed (a stored record's key, a record read only) reads 全区 for
// the district's.
func (s *Server) townField(r *http.Request, u *gs.User, kind string, page *RecordFormPage) error {
	i := slices.IndexFunc(page.Fields, func(f FormField) bool { return f.Name == "town" })
	if i < 0 {
		return nil
	}
	f := &page.Fields[i]
	switch {
	case !page.Editable || f.Fixed:
		f.Value = gs.TownOrDistrict(f.Value)
	case u.Role != gs.RoleDistrict:
		f.Value, f.Fixed = u.Town, true
		f.Hint = "本镇街的" + gs.KindName[kind] + "只对本镇街有效"
		if kind == "calendar" {
			f.Hint += "，同一日期优先于区中心设置的全区日期"
		}
	default:
		towns, err := s.Service.Towns(r.Context())
		if err != nil {
			return err
		}
		f.Type, f.Empty = "select", gs.DistrictWide+"（所有镇街）"
		f.Options = options(setOf(towns), f.Value)
		f.Hint = "选“" + gs.DistrictWide + "”即区中心召开的会议"
		if kind == "calendar" {
			f.Hint = "选“" + gs.DistrictWide + "”则对所有镇街有效；镇街自己设置的同一日期优先"
		}
	}
	return nil
}

// stored fills in what the page of a stored record shows besides its
// fields: whether it may be changed, its evidence files (those the typed
// form removes marked), the finalized quarters it concerns, and where its
// forms post.
func (page *RecordFormPage) stored(kind string, key []string, view *app.RecordView, typed *app.RecordEdit) {
	page.Editable = view.CanEdit
	page.Evidence = evidenceLinks(view.Evidence)
	removing := map[string]bool{}
	if typed != nil {
		for _, id := range typed.RemoveFiles {
			removing[strconv.FormatInt(id, 10)] = true
		}
	}
	for i := range page.Evidence {
		page.Evidence[i].Remove = removing[page.Evidence[i].ID]
	}
	if len(view.Frozen) > 0 {
		page.Frozen = strings.Join(view.Frozen, "、")
	}
	page.Action = recordURL(kind, key)
	page.DeleteAction = page.Action + "/delete"
}

// formValues are the values the form shows, by field: what was typed,
// else what is stored, else none.
func formValues(kind string, view *app.RecordView, typed *app.RecordEdit) map[string]string {
	switch {
	case typed != nil:
		return typed.Values
	case view != nil:
		return view.Values
	}
	return map[string]string{}
}

// formFields are the fields of kind's form holding values, labelled by
// their columns' headers; the key's fields are fixed when the record is
// stored (key not nil).
func formFields(kind string, key []string, values map[string]string) []FormField {
	var out []FormField
	for _, f := range app.HandFields(kind) {
		ff := FormField{Name: app.FormName(kind, f.Key), Label: f.Title, Value: values[f.Key], Type: fieldType(kind, f.Key),
			Required: f.Required, Fixed: key != nil && f.InKey, MaxLength: f.MaxLength}
		switch ff.Type {
		case "textarea":
			if ff.MaxLength == 0 {
				ff.MaxLength = textareaMax
			}
		case "select":
			ff.Options = selected(choices(kind, f.Key), values[f.Key])
		case "number":
			ff.Min = "0"
			if f.Key == "count" {
				ff.Min = "1"
			}
		}
		if f.AutoID && key == nil {
			ff.Hint = "留空则自动编号"
		}
		out = append(out, ff)
	}
	return out
}

// attendanceFields are a meeting's attendance lines: one per worker of
// the town when the form may be posted (town), else one per worker with a
// stored line; each shows the typed status, else the stored one.
func (s *Server) attendanceFields(r *http.Request, editable bool, town []gs.TownWorker, view *app.RecordView, typed *app.RecordEdit) ([]AttendanceField, error) {
	attendance := map[string]string{}
	if view != nil {
		for _, a := range view.Records.Attendance {
			attendance[a.WorkerID] = string(a.Status)
		}
	}
	if typed != nil && typed.Attendance != nil {
		attendance = typed.Attendance
	}
	lines := town
	if !editable && view != nil {
		ids := make([]string, 0, len(view.Records.Attendance))
		for _, a := range view.Records.Attendance {
			ids = append(ids, a.WorkerID)
		}
		var err error
		if lines, err = s.Service.WorkersByID(r.Context(), ids); err != nil {
			return nil, err
		}
	}
	statuses := choices("attendance", "status")
	var out []AttendanceField
	for _, w := range lines {
		out = append(out, AttendanceField{WorkerID: w.ID, Name: w.Name, Grid: w.GridCode,
			Field: "att:" + w.ID, Options: selected(statuses, attendance[w.ID])})
	}
	return out, nil
}
