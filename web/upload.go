package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// The import of DATA.md files through the browser: upload (the files wait
// in the store), a report of every file and problem (nothing written),
// then commit or cancel. A town's center only; the service checks the
// role and the town again.

// ImportPage is the upload form, with the town's uploads that wait for a
// commit.
type ImportPage struct {
	Page
	Uploads []UploadRow
	// Error is shown beside the file field.
	Error string
	// Cancelled is set after an upload was cancelled.
	Cancelled bool
	MaxMB     int
	MaxFiles  int
}

// Formats are the kinds of file the import reads, with their columns, for
// the help beside the form.
func (ImportPage) Formats() []app.Format { return importFormats() }

// importFormats is app.Formats, worked out once.
var importFormats = sync.OnceValue(app.Formats)

// UploadRow is one waiting upload in the list.
type UploadRow struct {
	URL, Files, Username, CreatedAt string
}

// ImportReportPage is the report of an upload: what committing it would do
// (or did), and every problem.
type ImportReportPage struct {
	Page
	ID       int64
	Report   *app.UploadReport
	Uploaded string
	// Imported says who committed the upload and when ("" before).
	Imported string
	Files    string
	// Error is a message above the report (a commit refused).
	Error string
	// Mapped names the mapping just saved (the report reads with it).
	Mapped string

	// shown holds ShownProblems once worked out (shownSet): the page asks
	// for them twice, to list them and to count those not shown.
	shown    []app.Problem
	shownSet bool
}

// MappingURL is the page where file (of Report.Unmapped or Mappable) is
// mapped.
func (p *ImportReportPage) MappingURL(file string) string {
	return fmt.Sprintf("/import/%d/mapping?file=%s", p.ID, url.QueryEscape(file))
}

// MaxFileProblems and MaxProblems are the most problems a report lists
// of one file and in all.
func (ImportReportPage) MaxFileProblems() int { return app.MaxFileProblems }
func (ImportReportPage) MaxProblems() int     { return app.MaxProblems }

// The page shows the first pageFileProblems problems of each file, and
// pageProblems in all; every problem the report lists (up to
// app.MaxFileProblems of a file) is in the workbook of ProblemsURL. A
// table of tens of thousands of rows would take a phone minutes to show,
// and a clerk fixing a spreadsheet works down the list in Excel anyway.
const (
	pageFileProblems = 200
	pageProblems     = 1000
)

// ShownProblems are the problems the page shows: the first
// pageFileProblems of each file (and the problems of whole files), up to
// pageProblems in all, worked out once.
func (p *ImportReportPage) ShownProblems() []app.Problem {
	if !p.shownSet {
		p.shown, p.shownSet = shownProblems(p.Report), true
	}
	return p.shown
}

// shownProblems picks ShownProblems of rep (nil: none).
func shownProblems(rep *app.UploadReport) []app.Problem {
	if rep == nil {
		return nil
	}
	if len(rep.Problems) <= pageFileProblems {
		return rep.Problems
	}
	var out []app.Problem
	perFile := map[string]int{}
	for _, pr := range rep.Problems {
		if pr.Row > 0 && (perFile[pr.File] >= pageFileProblems || len(out) >= pageProblems) {
			continue
		}
		perFile[pr.File]++
		out = append(out, pr)
	}
	return out
}

// NotShown is the number of problems listed in the report's workbook but
// not shown on the page.
func (p *ImportReportPage) NotShown() int {
	if p.Report == nil {
		return 0
	}
	return len(p.Report.Problems) - len(p.ShownProblems())
}

// PageFileProblems is the most problems of a file the page shows.
func (ImportReportPage) PageFileProblems() int { return pageFileProblems }

// ProblemsURL is where the report's problems are downloaded as a
// workbook.
func (p *ImportReportPage) ProblemsURL() string { return fmt.Sprintf("/import/%d/problems.xlsx", p.ID) }

// CommitURL and CancelURL are where the page's buttons post.
func (p *ImportReportPage) CommitURL() string { return fmt.Sprintf("/import/%d/commit", p.ID) }
func (p *ImportReportPage) CancelURL() string { return fmt.Sprintf("/import/%d/cancel", p.ID) }

// mayImport refuses the roles that may not import.
func (s *Server) mayImport(u *gs.User) error {
	if !s.page(u, "", "").ShowImport() {
		return forbidden("只有镇街中心的管理员和工作人员可以导入数据。")
	}
	return nil
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := s.mayImport(u); err != nil {
		return err
	}
	return s.showImportForm(w, r, u, http.StatusOK, "", r.URL.Query().Get("cancelled") != "")
}

func (s *Server) showImportForm(w http.ResponseWriter, r *http.Request, u *gs.User, status int, msg string, cancelled bool) error {
	ups, err := s.Service.Uploads(r.Context(), u)
	if err != nil {
		return err
	}
	page := &ImportPage{Page: s.page(u, "导入数据", "import"), Error: msg, Cancelled: cancelled,
		MaxMB: app.MaxUploadBytes >> 20, MaxFiles: app.MaxUploadFiles}
	for _, up := range ups {
		page.Uploads = append(page.Uploads, UploadRow{URL: fmt.Sprintf("/import/%d", up.ID), Files: fileNames(up.Files),
			Username: up.Username, CreatedAt: up.CreatedAt.In(gs.CST).Format("2006-01-02 15:04")})
	}
	return s.render(w, r, status, "import", page)
}

// importUpload stores the files posted and shows their report.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := s.mayImport(u); err != nil {
		return err
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return s.showImportForm(w, r, u, http.StatusRequestEntityTooLarge,
				app.UploadTooLarge(), false)
		}
		return s.showImportForm(w, r, u, http.StatusBadRequest, "请选择要导入的文件（.csv 或 .xlsx）。", false)
	}
	defer r.MultipartForm.RemoveAll()
	headers := r.MultipartForm.File["files"]
	var files []gs.UploadFile
	for _, h := range headers {
		f, err := h.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		files = append(files, gs.UploadFile{Name: h.Filename, Body: f})
	}
	up, err := s.Service.StageUpload(r.Context(), u, files)
	if gs.ErrorCode(err) == gs.EINVALID {
		return s.showImportForm(w, r, u, http.StatusBadRequest, gs.ErrorMessage(err), false)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/import/%d", up.ID), http.StatusSeeOther)
	return nil
}

// uploadID reads the id of the path; a malformed one is not found.
func uploadID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, gs.Errorf(gs.ENOTFOUND, "没有找到这批待导入的文件。")
	}
	return id, nil
}

// importReport checks the upload, writing nothing, and shows the report.
func (s *Server) importReport(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := s.mayImport(u); err != nil {
		return err
	}
	id, err := uploadID(r)
	if err != nil {
		return err
	}
	if rep, err := s.Service.KeptUploadReport(r.Context(), u, id); err != nil || rep != nil {
		if err != nil {
			return err // not the user's, or gone
		}
		return s.showReport(w, r, u, http.StatusOK, rep, "")
	}
	c := s.startCheck(u, id)
	select {
	case <-c.done:
	case <-time.After(cmp.Or(s.CheckWait, checkWait)):
		return s.showChecking(w, r, u, id, c)
	case <-r.Context().Done():
		return r.Context().Err()
	}
	if c.err != nil {
		return c.err
	}
	return s.showReport(w, r, u, http.StatusOK, c.rep, "")
}

// checkWait is how long a view of an upload waits for its check before
// showing that the check is going on, unless Server.CheckWait says.
const checkWait = 3 * time.Second

// check is an upload's check running in the background (startCheck).
type check struct {
	done    chan struct{}
	started time.Time
	rep     *app.UploadReport
	err     error
}

// startCheck returns the check of upload id this server is running, or
// starts one as u: a large upload takes minutes to check, longer than a
// browser waits for a page, so the check goes on by itself and the pages
// say how long it has run until its report is kept (app.Service.CheckUpload
// keeps it; a view after it is done finds it at once).
func (s *Server) startCheck(u *gs.User, id int64) *check {
	s.checksMu.Lock()
	defer s.checksMu.Unlock()
	if c := s.checks[id]; c != nil {
		return c
	}
	if s.checks == nil {
		s.checks = map[int64]*check{}
	}
	c := &check{done: make(chan struct{}), started: time.Now()}
	s.checks[id] = c
	s.warming.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
		defer cancel()
		c.rep, c.err = s.Service.CheckUpload(ctx, u, id)
		s.checksMu.Lock()
		delete(s.checks, id)
		s.checksMu.Unlock()
		close(c.done)
	})
	return c
}

// checkTimeout bounds an upload's check.
const checkTimeout = 30 * time.Minute

// CheckingPage says that an upload is being checked, and reloads itself.
type CheckingPage struct {
	Page
	ID      int64
	Files   string
	Size    string
	Elapsed string
}

// showChecking shows that upload id is being checked by c.
func (s *Server) showChecking(w http.ResponseWriter, r *http.Request, u *gs.User, id int64, c *check) error {
	up, err := s.Service.Upload(r.Context(), u, id)
	if err != nil {
		return err
	}
	var size int64
	for _, f := range up.Files {
		size += f.Size
	}
	page := &CheckingPage{Page: s.page(u, "正在校验上传的文件", "import"), ID: id, Files: fileNames(up.Files),
		Size: sizeText(size), Elapsed: strconv.Itoa(int(time.Since(c.started).Seconds())) + " 秒"}
	page.Refresh = 3
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, http.StatusAccepted, "import_checking", page)
}

func (s *Server) showReport(w http.ResponseWriter, r *http.Request, u *gs.User, status int, rep *app.UploadReport, msg string) error {
	title := "导入校验报告"
	if rep.Committed {
		title = "导入完成"
	}
	page := &ImportReportPage{Page: s.page(u, title, "import"), ID: rep.Upload.ID, Report: rep, Error: msg,
		Uploaded: rep.Upload.Username + " 于 " + rep.Upload.CreatedAt.In(gs.CST).Format("2006-01-02 15:04") + " 上传",
		Files:    fileNames(rep.Upload.Files), Mapped: r.URL.Query().Get("mapped")}
	if rep.Committed {
		page.Imported = rep.CommittedBy + " 于 " + rep.CommittedAt.In(gs.CST).Format("2006-01-02 15:04") + " 确认导入"
	}
	return s.render(w, r, status, "import_report", page)
}

// importProblems is GET /import/{id}/problems.xlsx: every problem of the
// upload's kept report, one a row, as the page lists them (file, row,
// column, problem), then how many of each file are not listed. Before the
// check has kept its report the browser is sent to the upload's page,
// which runs it and shows its progress.
func (s *Server) importProblems(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := s.mayImport(u); err != nil {
		return err
	}
	id, err := uploadID(r)
	if err != nil {
		return err
	}
	rep, err := s.Service.KeptUploadReport(r.Context(), u, id)
	if err != nil {
		return err
	}
	if rep == nil {
		http.Redirect(w, r, fmt.Sprintf("/import/%d", id), http.StatusSeeOther)
		return nil
	}
	title, name := s.listTitle("导入问题清单", []string{fileNames(rep.Upload.Files)}, "")
	return s.sendWorkbook(w, r, name, func(out io.Writer) error {
		lf := app.ListFile{Sheet: "问题", Title: title, Header: []string{"文件", "行", "列", "问题"}}
		return s.Service.WriteList(out, lf, func(add func(...any) error) error {
			for _, p := range rep.Problems {
				var row any // a problem of the whole file has no row
				if p.Row > 0 {
					row = p.Row
				}
				if err := add(p.File, row, p.ColumnTitle(), p.Message); err != nil {
					return err
				}
			}
			for _, n := range rep.Unlisted {
				if err := add(n.File, nil, "", "…还有 "+strconv.Itoa(n.Count)+" 处问题未列出"); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// importCommit checks the upload again and writes it, then sends the
// browser to the upload's page, which shows the commit's report (post,
// redirect, get: reloading it imports nothing again). A commit sent twice
// is sent there too, without writing.
func (s *Server) importCommit(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := s.mayImport(u); err != nil {
		return err
	}
	id, err := uploadID(r)
	if err != nil {
		return err
	}
	rep, err := s.Service.CommitUpload(r.Context(), u, id)
	if rep != nil && err != nil && gs.ErrorCode(err) == gs.EINVALID {
		return s.showReport(w, r, u, http.StatusConflict, rep, gs.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	s.warmChanged(r, u)
	http.Redirect(w, r, fmt.Sprintf("/import/%d", id), http.StatusSeeOther)
	return nil
}

// importBack sends a GET of a commit's or cancel's address (the browser's
// history, a reload after the commit) to the upload's page.
func (s *Server) importBack(w http.ResponseWriter, r *http.Request) {
	id, err := uploadID(r)
	if err != nil {
		http.Redirect(w, r, "/import", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/import/%d", id), http.StatusSeeOther)
}

// importCancel removes the upload.
func (s *Server) importCancel(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := s.mayImport(u); err != nil {
		return err
	}
	id, err := uploadID(r)
	if err != nil {
		return err
	}
	if err := s.Service.CancelUpload(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/import?cancelled=1", http.StatusSeeOther)
	return nil
}

// fileNames lists the files' names for people.
func fileNames(fs []gs.UploadFile) string {
	out := ""
	for i, f := range fs {
		if i > 0 {
			out += "、"
		}
		out += f.Name
	}
	return out
}
