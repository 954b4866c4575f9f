package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// The import of files through the browser (issue 4): a town's center
// uploads DATA.md files, which wait in the store (gs.Upload) while the
// service checks them exactly as `gridscore import` would — the same
// Scanner and reference checks, the records written inside an import
// transaction that is then rolled back — and shows the report; only a
// commit, checked again, writes them. A town's center may write only its
// own town's records (see townScope).

// UploadTooLarge is the message for files beyond MaxUploadBytes together.
func UploadTooLarge() string {
	return fmt.Sprintf("文件总大小超过 %d MB，请分几次导入。", MaxUploadBytes>>20)
}

// Bounds of an upload.
const (
	// MaxUploadBytes bounds the files of one upload together.
	MaxUploadBytes = 200 << 20
	// MaxUploadFiles bounds the number of files of one upload.
	MaxUploadFiles = 64
	// UploadLifetime is how long an upload waits for its commit before it
	// is cleaned up.
	UploadLifetime = 24 * time.Hour
	// MaxUploadNamedRows bounds the rows of each kind that other rows name
	// (grids, workers, register, meetings) in one upload: they are held in
	// memory while the upload is checked (see csvfile.Scanner.MaxNamedRows).
	// A town has a few hundred grids and workers and some thousands of
	// registered persons; a province's files go through the command line.
	MaxUploadNamedRows = 100_000
	// MaxFileProblems and MaxProblems are the most problems a report
	// lists of one file (or sheet) and in all; the others are counted.
	MaxFileProblems = csvfile.MaxFileProblems
	MaxProblems     = csvfile.MaxProblems
)

// UploadReport is what checking (or committing) an upload found: per file
// its kind and rows, per kind what the import does or did, and every
// problem. Counts per kind are known only when there is no problem.
type UploadReport struct {
	Upload   *gs.Upload
	Files    []FileReport
	Kinds    []KindReport
	Problems []Problem
	// Unlisted counts, per file, the problems found but not listed: a
	// report lists the first csvfile.MaxFileProblems of a file (and
	// csvfile.MaxProblems in all), so that a file of millions of bad rows
	// makes a report of a few hundred.
	Unlisted []UnlistedProblems
	// Notes are remarks for the person who imports (not problems).
	Notes []string
	// Committed is set when the records were written; CommittedAt and
	// CommittedBy (a username) say when and by whom.
	Committed   bool
	CommittedAt time.Time
	CommittedBy string
	// Unmapped are the files that are no DATA.md files and have no saved
	// mapping: nothing is checked before each has one (mappings.go).
	Unmapped []UnmappedFile
	// Mappable are the files named after a kind whose headers are not
	// DATA.md's: checked as DATA.md files, and a mapping may read them
	// instead.
	Mappable []string
	// MappingStamp identifies the town's mappings the check was made
	// with (mappingStamp): the kept report holds while they are unchanged.
	MappingStamp string
}

// FileReport is one file, or one sheet of a workbook, of an upload.
type FileReport struct {
	Name string
	// Kind is the Chinese name of the kind (事件), "" when unknown.
	Kind string
	// Rows is the number of records read from it without a problem.
	Rows int
	// Mapping names the mapping it was read with, "" for a DATA.md file.
	Mapping string
	// Totals says which summary rows of a mapped file were skipped
	// (第 53 行), "" when none.
	Totals string
}

// KindReport is what an import does with the records of one kind.
type KindReport struct {
	Name  string // DATA.md name, such as "events"
	Title string // Chinese name, such as 事件
	// Received is the number of records given; Inserted the rows added,
	// Updated the stored rows replaced by a record that differs, Unchanged
	// the records that changed nothing.
	Received, Inserted, Updated, Unchanged int64
}

// Written returns the number of rows inserted or updated.
func (k KindReport) Written() int64 { return k.Inserted + k.Updated }

// Problem is a problem found in a file of an upload: where (the file, the
// row as a spreadsheet numbers it, 0 for the whole file, and the column)
// and what, in Chinese.
type Problem struct {
	File   string
	Row    int
	Column string
	// Title is the column's name as the file heads it.
	Title   string
	Key     string
	Message string
}

// UnlistedProblems is the number of problems of a file not listed in a
// report.
type UnlistedProblems struct {
	File  string
	Count int
}

// ProblemCount is the number of problems found, listed or not.
func (r *UploadReport) ProblemCount() int {
	n := len(r.Problems)
	for _, u := range r.Unlisted {
		n += u.Count
	}
	return n
}

// ColumnTitle is how a page names the problem's column: Title, or Column
// for a problem kept from before Title existed (upload reports are kept
// as JSON with their problems and shown again while the records are
// unchanged).
func (p Problem) ColumnTitle() string {
	if p.Title != "" {
		return p.Title
	}
	return p.Column
}

// problemsOf are the problems of a file reader's report, listed and not.
func problemsOf(rep *csvfile.Report) ([]Problem, []UnlistedProblems) {
	out := make([]Problem, len(rep.Problems))
	for i, p := range rep.Problems {
		out[i] = Problem{File: p.File, Row: p.Row, Column: p.Column, Title: p.Title, Key: p.Key, Message: p.Message}
	}
	var more []UnlistedProblems
	for _, u := range rep.Unlisted {
		more = append(more, UnlistedProblems{File: u.File, Count: u.Count})
	}
	return out, more
}

// Format is one kind of record the import reads: its English and Chinese
// names (either names its file or sheet) and its columns.
type Format struct {
	Name, Title string
	Columns     []FormatColumn
}

// FormatColumn is one column of a kind: its English key and Chinese header
// (either may head it in a file), whether every row must fill it, and
// whether it is one of the columns that together identify a record.
type FormatColumn struct {
	Key, Title      string
	Required, InKey bool
}

// Formats lists every kind the import reads, in DATA.md order.
func Formats() []Format {
	fs := csvfile.Formats()
	out := make([]Format, len(fs))
	for i, f := range fs {
		out[i] = Format{Name: f.Name, Title: f.Title, Columns: make([]FormatColumn, len(f.Columns))}
		for j, c := range f.Columns {
			out[i].Columns[j] = FormatColumn{Key: c.Key, Title: c.Title, Required: c.Required, InKey: c.InKey}
		}
	}
	return out
}

// OK reports whether the upload may be committed.
func (r *UploadReport) OK() bool { return r.ProblemCount() == 0 && len(r.Unmapped) == 0 }

// canImport checks that u may import: a town's administrator or staff.
func canImport(u *gs.User) error {
	if u == nil || (u.Role != gs.RoleTownAdmin && u.Role != gs.RoleTownStaff) || u.Town == "" {
		return gs.Errorf(gs.EFORBIDDEN, "只有镇街中心的管理员和工作人员可以导入数据。")
	}
	return nil
}

// StageUpload checks who uploads and the files' names and stores the files
// for u's town, cleaning up uploads older than UploadLifetime first. It
// does not read the files: CheckUpload does. The caller bounds the size.
func (s *Service) StageUpload(ctx context.Context, u *gs.User, files []gs.UploadFile) (*gs.Upload, error) {
	if err := canImport(u); err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, gs.Errorf(gs.EINVALID, "请选择要导入的文件（.csv 或 .xlsx）。")
	}
	if len(files) > MaxUploadFiles {
		return nil, gs.Errorf(gs.EINVALID, "一次最多导入 %d 个文件。", MaxUploadFiles)
	}
	seen := map[string]bool{}
	budget := &byteBudget{left: MaxUploadBytes}
	for i := range files {
		name := filepath.Base(strings.ReplaceAll(files[i].Name, `\`, "/"))
		if name == "" || name == "." || name == "/" || strings.HasPrefix(name, ".") || strings.ContainsAny(name, "\x00") {
			return nil, gs.Errorf(gs.EINVALID, "文件名“%s”无效。", files[i].Name)
		}
		if seen[strings.ToLower(name)] {
			return nil, gs.Errorf(gs.EINVALID, "有两个文件都叫“%s”：每类数据只需一个文件，请合并后再上传。", name)
		}
		seen[strings.ToLower(name)] = true
		files[i].Name = name
		files[i].Body = budget.reader(files[i].Body)
	}
	now := s.now()
	if _, err := s.DB.DeleteUploadsBefore(ctx, now.Add(-UploadLifetime)); err != nil {
		return nil, err
	}
	up := &gs.Upload{Town: u.Town, Username: u.Username, CreatedAt: now, Files: files}
	if err := s.DB.CreateUpload(ctx, up); err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, gs.Errorf(gs.EINVALID, "%s", UploadTooLarge())
		}
		return nil, err
	}
	return up, nil
}

// errTooLarge is the error of reading past an upload's byte budget.
var errTooLarge = errors.New("upload too large")

// byteBudget bounds the bytes read from all the files of an upload.
type byteBudget struct{ left int64 }

func (b *byteBudget) reader(r io.Reader) io.Reader { return &budgetReader{r: r, b: b} }

type budgetReader struct {
	r io.Reader
	b *byteBudget
}

func (br *budgetReader) Read(p []byte) (int, error) {
	n, err := br.r.Read(p)
	br.b.left -= int64(n)
	if br.b.left < 0 {
		return n, errTooLarge
	}
	return n, err
}

// Upload returns upload id if it belongs to u's town; another town's
// upload is not found, so that its existence is not told.
func (s *Service) Upload(ctx context.Context, u *gs.User, id int64) (*gs.Upload, error) {
	if err := canImport(u); err != nil {
		return nil, err
	}
	up, err := s.DB.Upload(ctx, id)
	if err != nil {
		return nil, err
	}
	if up.Town != u.Town {
		return nil, gs.Errorf(gs.ENOTFOUND, "没有找到编号为 %d 的待导入文件。", id)
	}
	return up, nil
}

// CheckUpload reads and checks upload id as its commit would, writing
// nothing, and returns the report.
//
// The report is kept with the upload, with the version of the records it
// was made against: while they are unchanged, opening it again shows the
// kept report without reading the files again, on any server and after a
// restart. One view works it out while the others wait for it (see
// ClaimUploadCheck): six views of a 190 MB upload at once used to read it
// six times, taking 3 GB.
//
// The report of an upload that was committed is the commit's.
func (s *Service) CheckUpload(ctx context.Context, u *gs.User, id int64) (*UploadReport, error) {
	up, err := s.Upload(ctx, u, id)
	if err != nil {
		return nil, err
	}
	wait := checkPoll
	for {
		if up.Committed() {
			return s.committedReport(ctx, up)
		}
		v, err := s.DB.DataVersion(ctx) // before the check: a change meanwhile leaves the kept report outdated
		if err != nil {
			return nil, err
		}
		if rep, err := s.keptReport(ctx, up, v); rep != nil || err != nil {
			return rep, err
		}
		claimed, err := s.DB.ClaimUploadCheck(ctx, id, time.Now(), time.Now().Add(checkLease))
		if err != nil {
			return nil, err
		}
		if claimed {
			return s.checkClaimed(ctx, u, up, v)
		}
		// Another view is checking the upload: its report will do.
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
		if up, err = s.Upload(ctx, u, id); err != nil {
			return nil, err
		}
	}
}

// KeptUploadReport returns the report of upload id that needs no reading of
// its files: the commit's, or the check's kept for the records as they
// are; nil when the files must be checked (CheckUpload).
func (s *Service) KeptUploadReport(ctx context.Context, u *gs.User, id int64) (*UploadReport, error) {
	up, err := s.Upload(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if up.Committed() {
		return s.committedReport(ctx, up)
	}
	v, err := s.DB.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	return s.keptReport(ctx, up, v)
}

// The claim of an upload's check (wall-clock time: it is about servers
// alive, not about the quarter's clock): it lasts checkLease and is
// renewed every checkLease/4 while the check goes on; the other views look
// for the report every checkPoll at first, then less often, up to a
// second.
const (
	checkLease = 2 * time.Minute
	checkPoll  = 100 * time.Millisecond
)

// keptReport returns the report of up kept for the records of version v,
// or nil when there is none.
func (s *Service) keptReport(ctx context.Context, up *gs.Upload, v int64) (*UploadReport, error) {
	js, err := s.DB.UploadReport(ctx, up.ID, v)
	if err != nil || js == nil {
		return nil, err
	}
	var rep UploadReport
	if json.Unmarshal(js, &rep) != nil {
		return nil, nil
	}
	if saved, err := s.DB.Mappings(ctx, up.Town); err != nil || mappingStamp(saved) != rep.MappingStamp {
		return nil, err // checked with mappings since changed
	}
	rep.Upload = up
	return &rep, nil
}

// checkClaimed checks up, whose check the caller claimed, against the
// records of version v, keeps the report and ends the claim.
func (s *Service) checkClaimed(ctx context.Context, u *gs.User, up *gs.Upload, v int64) (*UploadReport, error) {
	saved := false
	defer func() {
		if !saved {
			if err := s.DB.ReleaseUploadCheck(context.WithoutCancel(ctx), up.ID); err != nil {
				slog.WarnContext(ctx, "upload check not released", "upload", up.ID, "err", err)
			}
		}
	}()
	// Kept meanwhile by the view whose claim just ended?
	if rep, err := s.keptReport(ctx, up, v); rep != nil || err != nil {
		return rep, err
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(checkLease / 4)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if err := s.DB.RenewUploadCheck(ctx, up.ID, time.Now().Add(checkLease)); err != nil {
					slog.WarnContext(ctx, "upload check not renewed", "upload", up.ID, "err", err)
				}
			}
		}
	}()
	rep, err := s.runUpload(ctx, u, up, false)
	if err != nil {
		return nil, err
	}
	kept := *rep
	kept.Upload = nil
	if js, err := json.Marshal(&kept); err == nil {
		if err := s.DB.SaveUploadReport(ctx, up.ID, v, js); err != nil {
			slog.WarnContext(ctx, "upload report not kept", "upload", up.ID, "err", err)
		} else {
			saved = true
		}
	}
	return rep, nil
}

// CommitUpload checks upload id again (the stored records may have changed
// since it was checked) and, when there is no problem, writes every record,
// the audit entry and the mark of the commit in one transaction. With a
// problem nothing is written and the report lists it, with an error. An
// upload committed already (the form sent twice) is not imported again:
// its commit's report is returned.
func (s *Service) CommitUpload(ctx context.Context, u *gs.User, id int64) (*UploadReport, error) {
	up, err := s.Upload(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if up.Committed() {
		return s.committedReport(ctx, up)
	}
	rep, err := s.runUpload(ctx, u, up, true)
	if err != nil {
		return nil, err
	}
	if len(rep.Unmapped) > 0 {
		return rep, gs.Errorf(gs.EINVALID, "有 %d 个文件还没有设置与 DATA.md 各列的对应关系，没有导入任何数据。", len(rep.Unmapped))
	}
	if !rep.OK() {
		return rep, gs.Errorf(gs.EINVALID, "重新校验时发现 %d 处问题，没有导入任何数据。", rep.ProblemCount())
	}
	return rep, nil
}

// CancelUpload removes upload id without importing it; an upload that was
// imported cannot be cancelled.
func (s *Service) CancelUpload(ctx context.Context, u *gs.User, id int64) error {
	up, err := s.Upload(ctx, u, id)
	if err != nil {
		return err
	}
	if up.Committed() {
		return gs.Errorf(gs.ECONFLICT, "这批文件已于 %s 导入，不能再取消。", up.CommittedAt.In(gs.CST).Format("2006-01-02 15:04"))
	}
	return s.DB.DeleteUpload(ctx, id)
}

// committedReport is the report kept at the commit of up.
func (s *Service) committedReport(ctx context.Context, up *gs.Upload) (*UploadReport, error) {
	js, err := s.DB.CommittedUploadReport(ctx, up.ID)
	if err != nil {
		return nil, err
	}
	rep := &UploadReport{}
	if js != nil {
		if err := json.Unmarshal(js, rep); err != nil {
			return nil, fmt.Errorf("committed upload %d: report: %w", up.ID, err)
		}
	}
	rep.Upload, rep.Committed, rep.CommittedAt, rep.CommittedBy = up, true, up.CommittedAt, up.CommittedBy
	return rep, nil
}

// Uploads lists the uploads of u's town that wait for a commit, newest
// first.
func (s *Service) Uploads(ctx context.Context, u *gs.User) ([]gs.Upload, error) {
	if err := canImport(u); err != nil {
		return nil, err
	}
	return s.DB.Uploads(ctx, u.Town, s.now().Add(-UploadLifetime))
}

// runUpload copies the files of up into a temporary folder (files are read
// by name, as on the command line) and imports them through scanInto with
// the town's scope, then commits (commit) or rolls back.
func (s *Service) runUpload(ctx context.Context, u *gs.User, up *gs.Upload, commit bool) (*UploadReport, error) {
	dir, err := os.MkdirTemp("", "gridscore-upload-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var paths []string
	var size int64
	err = s.DB.ReadUploadFiles(ctx, up.ID, func(name string, content io.Reader) error {
		p := filepath.Join(dir, filepath.Base(name))
		paths = append(paths, p)
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		n, err := io.Copy(f, content)
		size += n
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	saved, err := s.DB.Mappings(ctx, u.Town)
	if err != nil {
		return nil, err
	}
	rep := &UploadReport{Upload: up, MappingStamp: mappingStamp(saved)}
	fm := matchMappings(paths, saved, false)
	if len(fm.unmapped) > 0 {
		rep.Unmapped, rep.Files = fm.unmapped, fileReports(up, nil)
		return rep, nil
	}
	rep.Mappable = fm.mappable
	guard, err := newSurveyGuard(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	opts := importOptions(size)
	if !commit {
		opts = append(opts, store.CheckOnly())
	}
	it, err := s.DB.BeginImport(ctx, opts...)
	if err != nil {
		return nil, err
	}
	defer it.Rollback()
	// The town check asks the import (see scanInto): what it finds holds
	// until the commit.
	scope := newTownScope(ctx, it, u.Town)
	sources, err := s.scanInto(ctx, it, paths, guard.check, scope.check, MaxUploadNamedRows, fm.mapped, nil)
	if scope.err != nil {
		return nil, scope.err
	}
	if guard.err != nil {
		return nil, guard.err
	}
	var problems *csvfile.Report
	if errors.As(err, &problems) {
		rep.Problems, rep.Unlisted = problemsOf(problems)
	} else if err != nil {
		return nil, err
	}
	rep.Files = fileReports(up, sources)
	if rep.OK() {
		rep.Notes = append(rep.Notes, emptyFileNotes(sources)...)
	}
	if scope.calendar {
		rep.Notes = append(rep.Notes, "导入的工作日历只对本镇街的考核有效；区中心设置的全区日期仍然有效，同一日期以本镇街的为准。")
	}
	if !rep.OK() {
		return rep, nil
	}
	stats, err := it.Preview(ctx)
	if err != nil {
		return nil, err
	}
	rep.Kinds = kindReports(stats)
	if !commit {
		return rep, it.Rollback()
	}
	if s.townChecked != nil {
		s.townChecked()
	}
	now := s.now()
	entry := gs.AuditEntry{At: now, Username: Actor(ctx), Action: gs.AuditRecordsImported,
		Object: fmt.Sprintf("upload:%d", up.ID), Detail: importDetail(rep)}
	rep.Committed, rep.CommittedAt, rep.CommittedBy = true, now, u.Username
	kept := *rep
	kept.Upload = nil
	js, err := json.Marshal(&kept)
	if err != nil {
		return nil, err
	}
	if err := it.FinishUpload(ctx, up.ID, now, u.Username, js, entry); err != nil {
		return nil, err
	}
	stats, err = it.Commit(ctx)
	if err != nil {
		return nil, err
	}
	rep.Kinds = kindReports(stats)
	return rep, nil
}

// kindReports lists stats in the order of DATA.md.
func kindReports(stats store.ImportStats) []KindReport {
	var out []KindReport
	for _, k := range store.Kinds() {
		if st, ok := stats[k]; ok {
			out = append(out, KindReport{Name: k, Title: gs.KindName[k],
				Received: st.Received, Inserted: st.Inserted, Updated: st.Updated, Unchanged: st.Unchanged})
		}
	}
	return out
}

// importDetail words an import for the audit log: the files, then per
// kind the rows added, changed and unchanged.
func importDetail(rep *UploadReport) string {
	var names []string
	for _, f := range rep.Upload.Files {
		names = append(names, f.Name)
	}
	parts := []string{"文件：" + strings.Join(names, "、")}
	for _, f := range rep.Files {
		if f.Mapping != "" {
			parts = append(parts, f.Name+" 按映射“"+f.Mapping+"”读取")
		}
		if f.Totals != "" {
			parts = append(parts, f.Name+" 跳过合计行（"+f.Totals+"）")
		}
	}
	for _, k := range rep.Kinds {
		parts = append(parts, fmt.Sprintf("%s 新增 %d、更新 %d、未变 %d", k.Title, k.Inserted, k.Updated, k.Unchanged))
	}
	return strings.Join(parts, "；")
}
