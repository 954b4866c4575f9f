package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// The saved mappings of other systems' export files (/mappings): a
// town's center sees its town's and the district's, the district its
// own; each may be downloaded as a file to hand to another town or
// server, and such a file imported; one's own may be deleted.

// MappingsPage lists the mappings the user may use.
type MappingsPage struct {
	Page
	Mappings []MappingRow
	// Done says what the last form did; Error what it refused.
	Done, Error string
}

// MappingRow is a saved mapping in words.
type MappingRow struct {
	Name, Kind, Owner, SavedBy, SavedAt string
	// Own is set for the user's own (which the user may delete).
	Own bool
	// FileURL downloads it as a mapping file.
	FileURL string
	// Columns says how each column of the file is read; Read counts
	// those read.
	Columns []app.MappingColumnText
	Read    int
}

// maxMappingUpload bounds a mapping file posted (a mapping is a few KB).
const maxMappingUpload = 1 << 20

// mappingNotice words what was just done to the mapping name (done: the
// key a redirect gives), given whether the user's town has a mapping of
// that name now: imported only if it has. A deletion is confirmed without
// the name, which the link carries and nothing stored can confirm any more.
// An unknown key, or none, says nothing, so that a link cannot make the
// page announce what it likes.
func mappingNotice(done, name string, saved bool) string {
	switch {
	case done == "imported" && saved:
		return "已导入映射“" + name + "”。"
	case done == "deleted" && !saved:
		return "已删除映射。"
	}
	return ""
}

// mappings is GET /mappings.
func (s *Server) mappings(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	page := &MappingsPage{}
	if err := s.fillMappings(r, u, page); err != nil {
		return err
	}
	q := r.URL.Query()
	name := q.Get("name")
	saved := slices.ContainsFunc(page.Mappings, func(m MappingRow) bool { return m.Own && m.Name == name })
	page.Done = mappingNotice(q.Get("done"), name, saved)
	return s.render(w, r, http.StatusOK, "mappings", page)
}

// showMappings answers with the mappings page, page's message on it.
func (s *Server) showMappings(w http.ResponseWriter, r *http.Request, u *gs.User, status int, page *MappingsPage) error {
	if err := s.fillMappings(r, u, page); err != nil {
		return err
	}
	return s.render(w, r, status, "mappings", page)
}

// fillMappings puts on page the mappings u may use.
func (s *Server) fillMappings(r *http.Request, u *gs.User, page *MappingsPage) error {
	if err := app.MayMap(u); err != nil {
		return err
	}
	ms, err := s.Service.Mappings(r.Context(), u)
	if err != nil {
		return err
	}
	page.Page = s.page(u, "导入映射", "import")
	for _, m := range ms {
		row := MappingRow{Name: m.Name, Kind: gs.KindName[m.Kind], Owner: gs.TownOrDistrict(m.Town), SavedBy: m.SavedBy,
			SavedAt: fmtTime(m.SavedAt), Own: m.Town == u.Town,
			FileURL: "/mappings/file?" + url.Values{"town": {m.Town}, "name": {m.Name}}.Encode()}
		row.Columns = app.MappingColumns(&m)
		for _, c := range m.Columns {
			if c.Key != "" {
				row.Read++
			}
		}
		page.Mappings = append(page.Mappings, row)
	}
	return nil
}

// mappingFile is GET /mappings/file?town=…&name=…: the mapping as a file.
func (s *Server) mappingFile(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := app.MayMap(u); err != nil {
		return err
	}
	q := r.URL.Query()
	data, name, err := s.Service.MappingFile(r.Context(), u, q.Get("town"), q.Get("name"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	download(w, "application/json; charset=utf-8", name, data)
	return nil
}

// importMapping is POST /mappings: a mapping file saved as the user's.
func (s *Server) importMapping(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := app.MayMap(u); err != nil {
		return err
	}
	refuse := func(msg string) error {
		return s.showMappings(w, r, u, http.StatusBadRequest, &MappingsPage{Error: msg})
	}
	if err := r.ParseMultipartForm(maxMappingUpload); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return refuse("映射文件不能超过 1 MB。")
		}
		return refuse("请选择映射文件（.json）。")
	}
	defer r.MultipartForm.RemoveAll()
	f, _, err := r.FormFile("file")
	if err != nil {
		return refuse("请选择映射文件（.json）。")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxMappingUpload+1))
	if err != nil {
		return err
	}
	if len(data) > maxMappingUpload {
		return refuse("映射文件不能超过 1 MB。")
	}
	m, err := s.Service.ImportMappingFile(r.Context(), u, data)
	if code := gs.ErrorCode(err); code == gs.EINVALID || code == gs.ECONFLICT {
		return refuse(gs.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/mappings?"+url.Values{"done": {"imported"}, "name": {m.Name}}.Encode(), http.StatusSeeOther)
	return nil
}

// deleteMapping is POST /mappings/delete: the user's mapping name removed.
func (s *Server) deleteMapping(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := app.MayMap(u); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return gs.Errorf(gs.EINVALID, "表单无法读取。")
	}
	name := r.PostForm.Get("name")
	if err := s.Service.DeleteMapping(r.Context(), u, name); err != nil {
		return err
	}
	http.Redirect(w, r, "/mappings?"+url.Values{"done": {"deleted"}, "name": {name}}.Encode(), http.StatusSeeOther)
	return nil
}
