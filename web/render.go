package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	gs "github.com/gridscore/gridscore"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Page is what the shared layout needs from every page: the title, the
// signed-in user (nil on the login page and for anonymous errors) and which
// item of the navigation is current.
type Page struct {
	Title string
	User  *gs.User
	// Nav is the current navigation item: "home", "workers", "appeals",
	// "records", "import", "accounts", "audit", "warnings" or "".
	Nav string
	// Refresh, when above zero, has the browser load the page again after
	// that many seconds (a page saying that work is still going on).
	Refresh int
}

// RoleName is the Chinese name of the user's role.
func (p Page) RoleName() string {
	if p.User == nil {
		return ""
	}
	return gs.RoleName[p.User.Role]
}

// UserLabel is how the header names the signed-in user.
func (p Page) UserLabel() string {
	if p.User == nil {
		return ""
	}
	if p.User.DisplayName != "" {
		return p.User.DisplayName
	}
	return p.User.Username
}

// ShowWorkers reports whether the navigation offers the workers list, which
// is for the centers, not for a grid worker.
func (p Page) ShowWorkers() bool { return p.User != nil && p.User.Role != gs.RoleWorker }

// ShowAppeals reports whether the navigation offers the appeals page: a
// town's center decides its town's appeals, the district reads every town's.
func (p Page) ShowAppeals() bool {
	return p.ShowImport() || (p.User != nil && p.User.Role == gs.RoleDistrict)
}

// ShowAudit reports whether the navigation offers the audit log, which is
// for a town's administrator and the district.
func (p Page) ShowAudit() bool {
	return p.User != nil && (p.User.Role == gs.RoleTownAdmin || p.User.Role == gs.RoleDistrict)
}

// ShowRecords reports whether the navigation offers the records pages: the
// centers browse every record of what they may see, a grid worker their own.
func (p Page) ShowRecords() bool { return p.User != nil }

// ShowImport reports whether the navigation offers the import of files,
// which is for a town's center.
func (p Page) ShowImport() bool {
	return p.User != nil && (p.User.Role == gs.RoleTownAdmin || p.User.Role == gs.RoleTownStaff)
}

// ShowDistrictMappings reports whether the navigation offers the saved
// import mappings on their own: the district keeps mappings every town may
// use but imports no files (a town's center reaches them from 导入).
func (p Page) ShowDistrictMappings() bool {
	return p.User != nil && p.User.Role == gs.RoleDistrict
}

// ShowFilings reports whether the navigation offers the filings page,
// where the district imports and checks the towns' signed packages.
func (p Page) ShowFilings() bool { return p.User != nil && p.User.Role == gs.RoleDistrict }

// ShowAccounts reports whether the navigation offers account management,
// which is for a town's administrator.
func (p Page) ShowAccounts() bool { return p.User != nil && p.User.Role == gs.RoleTownAdmin }

// page returns the layout fields of a page for user u.
func (s *Server) page(u *gs.User, title, nav string) Page {
	return Page{Title: title, User: u, Nav: nav}
}

// pages returns the page templates, each the shared layout plus one page's
// content, parsed once, by Handler when the server starts: a broken template
// stops the tests and the start-up, never a person's click. The commands
// that serve no pages do not pay for parsing them.
func pages() map[string]*template.Template {
	pagesOnce.Do(func() { parsedPages = mustParsePages(pageNames) })
	return parsedPages
}

var (
	pagesOnce   sync.Once
	parsedPages map[string]*template.Template
)

func mustParsePages(names []string) map[string]*template.Template {
	p, err := parsePages(names)
	if err != nil {
		panic(err)
	}
	return p
}

// parsePages parses the layout and the partials (files named _*.html) once
// and each page of names on a clone of them.
func parsePages(names []string) (map[string]*template.Template, error) {
	base := template.New("").Funcs(template.FuncMap{"asset": assetURL})
	base, err := base.ParseFS(templateFiles, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, name := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// render writes page name with data and the status. The page is rendered
// into a buffer first, so that a failure is an error to report rather than
// half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := pages()[name]
	if !ok {
		return fmt.Errorf("render: no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// asset is an embedded static file.
type asset struct {
	body        []byte
	contentType string
}

// loadAssets returns the static files by their content-hashed names (app.css
// is served as app.<hash>.css), and the URL of each by its plain name. A
// changed file gets a new URL, so browsers may cache every URL for ever.
// They are read and hashed the first time a page needs them: the commands
// that serve no pages do not pay for it (nor for the system's table of
// media types it reads).
var loadAssets = sync.OnceValues(mustLoadAssets)

func mustLoadAssets() (map[string]asset, map[string]string) {
	byHashed, urls := map[string]asset{}, map[string]string{}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		byHashed[hashed] = asset{body: body, contentType: mime.TypeByExtension(ext)}
		urls[name] = "/static/" + hashed
		return nil
	})
	if err != nil {
		panic(err)
	}
	return byHashed, urls
}

// assetURL returns the content-hashed URL of static file name (a template
// function: an unknown name fails the page, and so the tests).
func assetURL(name string) (string, error) {
	_, urls := loadAssets()
	u, ok := urls[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return u, nil
}

// serveAsset serves a static file by its hashed name, cacheable for a year.
func serveAsset(w http.ResponseWriter, r *http.Request) {
	assets, _ := loadAssets()
	a, ok := assets[r.PathValue("file")]
	if !ok {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "文件不存在", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(a.body)
}
