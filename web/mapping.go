package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// The mapping of a file another system exported (issue 16 item 2), from
// the report of its upload: each column of the file with the DATA.md
// column it fills, each value of an enumerated column with its meaning,
// each column of dates with the form of its dates; "更新" shows the page
// again as chosen (no JavaScript), "保存" saves the mapping for the town
// and goes back to the report, which now reads the file with it.

// MappingPage is the page where a file of an upload is mapped.
type MappingPage struct {
	Page
	Form *app.MappingForm
	// Error is the message above the form (a save refused).
	Error string
}

// ReportURL is the report of the upload.
func (p *MappingPage) ReportURL() string { return fmt.Sprintf("/import/%d", p.Form.UploadID) }

// ActionURL is where the form posts.
func (p *MappingPage) ActionURL() string { return fmt.Sprintf("/import/%d/mapping", p.Form.UploadID) }

// General are the errors about the mapping as a whole.
func (p *MappingPage) General() []string { return p.Form.Errors.Of(-1) }

// KindTitle is the Chinese name of the kind chosen.
func (p *MappingPage) KindTitle() string { return gs.KindName[p.Form.Kind] }

// StandardDates is the form value of DATA.md's forms of dates.
func (p *MappingPage) StandardDates() string { return app.DatesStandard }

// EmptyValue is the form value of a value meaning an empty cell.
func (p *MappingPage) EmptyValue() string { return app.ValueEmpty }

// DateValue is the form value of the form of dates id.
func (p *MappingPage) DateValue(id string) string {
	if id == "" {
		return app.DatesStandard
	}
	return id
}

// ValueCode is the form value of a value's chosen meaning.
func (p *MappingPage) ValueCode(v app.MappingFormValue) string {
	switch {
	case !v.Chosen:
		return ""
	case v.Code == "":
		return app.ValueEmpty
	}
	return v.Code
}

// mappingForm is GET /import/{id}/mapping?file=…: the page as a saved
// mapping of the file's headers has it, or as guessed.
func (s *Server) mappingForm(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := s.mayImport(u); err != nil {
		return err
	}
	id, err := uploadID(r)
	if err != nil {
		return err
	}
	f, err := s.Service.MappingForm(r.Context(), u, id, r.URL.Query().Get("file"), nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "mapping", &MappingPage{Page: s.page(u, "设置对应关系", "import"), Form: f})
}

// mappingPost is POST /import/{id}/mapping: the page again as chosen
// (action=update), or the mapping saved (action=save) and the browser
// sent to the upload's report.
func (s *Server) mappingPost(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := s.mayImport(u); err != nil {
		return err
	}
	id, err := uploadID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return gs.Errorf(gs.EINVALID, "表单无法读取。")
	}
	file, in := r.PostForm.Get("file"), mappingInput(r.PostForm)
	page := &MappingPage{Page: s.page(u, "设置对应关系", "import")}
	if r.PostForm.Get("action") != "save" {
		if page.Form, err = s.Service.MappingForm(r.Context(), u, id, file, in); err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "mapping", page)
	}
	page.Form, err = s.Service.SaveUploadMapping(r.Context(), u, id, file, in)
	if page.Form != nil && err != nil && gs.ErrorCode(err) == gs.EINVALID {
		page.Error = "映射没有保存：请按下面的提示修改后再保存。"
		return s.render(w, r, http.StatusBadRequest, "mapping", page)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/import/%d?mapped=%s", id, url.QueryEscape(page.Form.Name)), http.StatusSeeOther)
	return nil
}

// mappingInput reads the choices of the mapping page: kind, name,
// shown_kind, key.N (the key column N fills), val.N.M (the meaning of
// value M of column N) and date.N (the form of column N's dates).
func mappingInput(form url.Values) *app.MappingInput {
	in := &app.MappingInput{Kind: form.Get("kind"), Name: form.Get("name"), ShownKind: form.Get("shown_kind"),
		Keys: map[int]string{}, Values: map[int]map[int]string{}, Dates: map[int]string{}}
	for name, vs := range form {
		field, rest, _ := strings.Cut(name, ".")
		col, sub, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(col)
		if err != nil || n < 0 || len(vs) == 0 {
			continue
		}
		switch field {
		case "key":
			in.Keys[n] = vs[0]
		case "date":
			in.Dates[n] = vs[0]
		case "val":
			m, err := strconv.Atoi(sub)
			if err != nil || m < 0 {
				continue
			}
			if in.Values[n] == nil {
				in.Values[n] = map[int]string{}
			}
			in.Values[n][m] = vs[0]
		}
	}
	return in
}
