package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// RecordFormPage is the page of a record entered by hand: the form to
// enter a new one or change a stored one, or the record read only for
// those who may see but not change it. A form posted with mistakes is
// shown again with each message beside its field and the values typed.
type RecordFormPage struct {
	Page
	Kind, KindName string
	// New is set for a new record; Editable when the form may be posted.
	New, Editable bool
	Action        string
	DeleteAction  string
	Fields        []FormField
	// Attendance is a meeting's attendance, one line per worker;
	// AttendanceEditable says the form may change it (a town's center
	// records its own workers' attendance, not the district).
	Attendance         []AttendanceField
	AttendanceEditable bool
	Workers            []Option
	// ReadOnly explains why a stored record the user may see cannot be
	// changed by them ("" for the general words of the page).
	ReadOnly string
	// Upload offers evidence files (findings).
	Upload      bool
	UploadError string
	Evidence    []EvidenceLink
	Reason      string
	ReasonError string
	// DeleteReason is the reason typed in the delete form, and
	// DeleteError the message beside it.
	DeleteReason, DeleteError string
	// Error is a message for the whole form; Saved says the record was
	// just saved; Frozen names the finalized quarters it concerns.
	Error, Saved, Frozen string
	ListURL              string
}

// FormField is one field of a record's form.
type FormField struct {
	Name, Label, Value, Error, Hint string
	// Type is "text", "date", "number", "select", "textarea" or "worker"
	// (text with the town's workers offered).
	Type     string
	Min      string
	Options  []Option
	Required bool
	// Fixed is set for the key of a stored record, which does not change.
	Fixed bool
	// MaxLength is the most characters the browser lets be typed in a
	// text or textarea (0: no limit).
	MaxLength int
	// Empty labels a select's option of no value ("" = 请选择).
	Empty string
}

// AttendanceField is one worker's line of a meeting's attendance.
type AttendanceField struct {
	WorkerID, Name, Grid, Field, Error string
	Options                            []Option
}

// recordNew is GET /records/{kind}/new.
func (s *Server) recordNew(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	kind, err := s.handKind(r, u)
	if err != nil {
		return err
	}
	page, err := s.recordForm(r, u, kind, nil, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "record_form", page)
}

// recordShow is GET /records/{kind}/{key}: a record's page.
func (s *Server) recordShow(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	kind := r.PathValue("kind")
	if app.HandFields(kind) == nil {
		return gs.Errorf(gs.ENOTFOUND, "这类记录没有单独的页面，请在记录列表中查看。")
	}
	key := keyOf(r, kind)
	view, err := s.Service.Record(r.Context(), u, kind, key)
	if err != nil {
		return err
	}
	page, err := s.recordForm(r, u, kind, key, view, nil)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("saved") != "" {
		page.Saved = "已保存。"
	}
	return s.render(w, r, http.StatusOK, "record_form", page)
}

// recordCreate is POST /records/{kind}: a new record.
func (s *Server) recordCreate(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	kind, err := s.handKind(r, u)
	if err != nil {
		return err
	}
	return s.saveRecord(w, r, u, kind, nil)
}

// recordUpdate is POST /records/{kind}/{key}: a stored record changed.
func (s *Server) recordUpdate(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	kind, err := s.handKind(r, u)
	if err != nil {
		return err
	}
	return s.saveRecord(w, r, u, kind, keyOf(r, kind))
}

// recordDelete is POST /records/{kind}/{key}/delete.
func (s *Server) recordDelete(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	kind, err := s.handKind(r, u)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return gs.Errorf(gs.EINVALID, "表单内容有误，请重新填写。")
	}
	key := keyOf(r, kind)
	err = s.Service.DeleteRecord(r.Context(), u, kind, key, r.PostForm.Get("reason"))
	var fe *app.FormError
	if errors.As(err, &fe) {
		view, verr := s.Service.Record(r.Context(), u, kind, key)
		if verr != nil {
			return verr
		}
		page, perr := s.recordForm(r, u, kind, key, view, nil)
		if perr != nil {
			return perr
		}
		page.Error = "记录没有删除，请看删除原因旁的提示。"
		page.DeleteReason, page.DeleteError = r.PostForm.Get("reason"), fe.Fields["reason"]
		return s.render(w, r, http.StatusBadRequest, "record_form", page)
	}
	if err != nil {
		return err
	}
	s.warmChanged(r, u)
	http.Redirect(w, r, "/records/"+kind+"?deleted=1", http.StatusSeeOther)
	return nil
}

// handKind returns the kind of the path if it is entered by hand and u
// enters it (app.CanEnter: a town's center, and the district its meetings
// and calendar days).
func (s *Server) handKind(r *http.Request, u *gs.User) (string, error) {
	kind := r.PathValue("kind")
	if app.HandFields(kind) == nil {
		return "", gs.Errorf(gs.ENOTFOUND, "这类记录不能在网页上录入，请通过导入文件录入。")
	}
	if !app.CanEnter(u, kind) {
		if u.Role == gs.RoleDistrict {
			return "", forbidden("区中心只能录入会议和工作日历，其他记录由各镇街中心录入和修改。")
		}
		return "", forbidden("网格员只能查看本人的记录，不能录入或修改。")
	}
	return kind, nil
}

// saveRecord reads a posted form and saves it; a form with mistakes is
// shown again.
func (s *Server) saveRecord(w http.ResponseWriter, r *http.Request, u *gs.User, kind string, key []string) error {
	edit, err := readRecordForm(r, kind)
	if err != nil {
		return err
	}
	edit.Key = key
	if kind == "meetings" && r.PostFormValue("all_present") != "" {
		return s.allPresent(w, r, u, key, edit)
	}
	saved, err := s.Service.SaveRecord(r.Context(), u, edit)
	var fe *app.FormError
	if errors.As(err, &fe) {
		var view *app.RecordView
		if key != nil {
			if view, err = s.Service.Record(r.Context(), u, kind, key); err != nil {
				return err
			}
		}
		page, err := s.recordForm(r, u, kind, key, view, edit)
		if err != nil {
			return err
		}
		page.Error = fe.Message
		if page.Error == "" {
			page.Error = "有些内容需要修改，请看各项旁的提示。"
		}
		for i := range page.Fields {
			page.Fields[i].Error = fe.Fields[page.Fields[i].Name]
		}
		for i := range page.Attendance {
			page.Attendance[i].Error = fe.Fields[page.Attendance[i].Field]
		}
		page.ReasonError, page.UploadError = fe.Fields["reason"], fe.Fields["evidence_file"]
		return s.render(w, r, http.StatusBadRequest, "record_form", page)
	}
	if err != nil {
		return err
	}
	s.warmChanged(r, u)
	http.Redirect(w, r, recordURL(kind, saved)+"?saved=1", http.StatusSeeOther)
	return nil
}

// allPresent is the attendance form's 全部出席 button: the meeting's form
// shown again, as typed, with every worker whose attendance was left
// blank marked present. Nothing is saved until the clerk has looked and
// pressed 保存; without JavaScript this is how a button fills a form.
func (s *Server) allPresent(w http.ResponseWriter, r *http.Request, u *gs.User, key []string, edit *app.RecordEdit) error {
	for id, v := range edit.Attendance {
		if v == "" {
			edit.Attendance[id] = string(gs.StatusPresent)
		}
	}
	var view *app.RecordView
	if key != nil {
		var err error
		if view, err = s.Service.Record(r.Context(), u, "meetings", key); err != nil {
			return err
		}
	}
	page, err := s.recordForm(r, u, "meetings", key, view, edit)
	if err != nil {
		return err
	}
	page.Saved = "未记录出勤的人员已设为“出席”，尚未保存：请核对后按“保存”。"
	return s.render(w, r, http.StatusOK, "record_form", page)
}

// readRecordForm reads the fields of a hand kind's form, a meeting's
// attendance (fields att:<worker id>) and a finding's evidence files.
func readRecordForm(r *http.Request, kind string) (*app.RecordEdit, error) {
	var err error
	if mt := r.Header.Get("Content-Type"); strings.HasPrefix(mt, "multipart/form-data") {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, gs.Errorf(gs.EINVALID, "上传的内容太大：每个文件不超过 5 MB，一次最多 %d 个文件。请返回上一页重新选择。", app.MaxEvidenceFiles)
		}
		return nil, gs.Errorf(gs.EINVALID, "表单内容有误，请重新填写。")
	}
	edit := &app.RecordEdit{Kind: kind, Values: map[string]string{}, Reason: r.PostFormValue("reason")}
	for _, f := range app.HandFields(kind) {
		edit.Values[f.Key] = r.PostFormValue(app.FormName(kind, f.Key))
	}
	if kind == "meetings" {
		edit.Attendance = map[string]string{}
		for name, vs := range r.PostForm {
			if id, ok := strings.CutPrefix(name, "att:"); ok && len(vs) > 0 {
				edit.Attendance[id] = vs[0]
			}
		}
	}
	if kind == "findings" {
		for _, v := range r.PostForm["remove_evidence"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				edit.RemoveFiles = append(edit.RemoveFiles, id)
			}
		}
	}
	if kind == "findings" && r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["evidence_file"] {
			if fh.Size == 0 && fh.Filename == "" {
				continue // the field left empty
			}
			up, err := readUpload(fh)
			if err != nil {
				return nil, err
			}
			edit.Files = append(edit.Files, up)
		}
	}
	return edit, nil
}

// readUpload reads an uploaded file, at most one byte past the limit.
func readUpload(fh *multipart.FileHeader) (app.EvidenceUpload, error) {
	f, err := fh.Open()
	if err != nil {
		return app.EvidenceUpload{}, err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, app.MaxEvidenceBytes+1))
	if err != nil {
		return app.EvidenceUpload{}, err
	}
	return app.EvidenceUpload{Name: fh.Filename, Content: body, TooLarge: len(body) > app.MaxEvidenceBytes}, nil
}
