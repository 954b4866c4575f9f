package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// FilingsPage is /filings, for the district: each town's quarter as the
// district's own database has it (towns sharing it) beside the signed
// package the town sent (towns with their own server), the keys the
// packages are checked against, and the forms to import packages and
// register keys.
type FilingsPage struct {
	Page
	Period Period
	Towns  []TownFilingRow
	// Packages says what the last upload did with each package, in the
	// order they were sent; Errors why it read none.
	Packages []FilingOutcome
	Errors   []string
	// KeyTown, KeyText and KeyError are the key form shown again, with
	// KeyTownError beside the town's field. KeyConfirm asks to confirm
	// the replacement of a key packages were imported with.
	KeyTown, KeyText, KeyError, KeyTownError, KeyDone string
	KeyConfirm                                        bool
	MaxMB                                             int
}

// TownFilingRow is one town on the filings page.
type TownFilingRow struct {
	Town string
	// StateName is the quarter's state in the district's database ("" when
	// the town has none there).
	StateName, ChangedAt string
	// Package is the imported package, nil when none.
	Package *FilingPackageRow
	// Fingerprint is the town's registered key, "" when none.
	Fingerprint string
}

// KeyReplaced says whether the package was verified with a key other than
// the one registered for the town now.
func (r TownFilingRow) KeyReplaced() bool {
	return r.Package != nil && r.Package.KeyFingerprint != r.Fingerprint
}

// FilingOutcome is what an upload did with one package: imported, or not
// — refused for a fault of the package, or failed on the server's side
// (the same package may be sent again) — in Message, which names the
// file.
type FilingOutcome struct {
	Message  string
	Imported bool
}

// FilingPackageRow is an imported package in words.
type FilingPackageRow struct {
	// WorkbookURL downloads the package's filing workbook.
	WorkbookURL                                   string
	FinalizedAt, SignedAt, ImportedAt, ImportedBy string
	Workers, Assessed                             int
	Average, Pay                                  string
	// KeyFingerprint names the key the package was verified with, which
	// it is checked against again.
	KeyFingerprint string
}

// maxFilingUpload bounds the packages posted at once.
const maxFilingUpload = 64 << 20

// filings is GET /filings.
func (s *Server) filings(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	return s.showFilings(w, r, u, http.StatusOK, &FilingsPage{})
}

// showFilings renders the filings page with what a form did in page.
func (s *Server) showFilings(w http.ResponseWriter, r *http.Request, u *gs.User, status int, page *FilingsPage) error {
	if u.Role != gs.RoleDistrict {
		return forbidden("报备包的导入和核对由区中心进行。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	quarters, err := s.Service.DistrictQuarters(ctx, p.Quarter)
	if err != nil {
		return err
	}
	imported, err := s.Service.ImportedFilings(ctx, u, p.Quarter)
	if err != nil {
		return err
	}
	keys, err := s.Service.FilingKeyFingerprints(ctx, u)
	if err != nil {
		return err
	}
	rows := map[string]*TownFilingRow{}
	row := func(town string) *TownFilingRow {
		if rows[town] == nil {
			rows[town] = &TownFilingRow{Town: town, Fingerprint: keys[town]}
		}
		return rows[town]
	}
	for _, tq := range quarters {
		r := row(tq.State.Town)
		r.StateName, r.ChangedAt = s.quarterStateName(tq.State, p.Quarter), fmtTime(tq.ChangedAt)
	}
	for _, f := range imported {
		row(f.Town).Package = &FilingPackageRow{WorkbookURL: "/filings/" + url.PathEscape(f.Town) + "/" + f.Quarter + "/filing.xlsx", FinalizedAt: fmtTime(f.FinalizedAt), SignedAt: fmtTime(f.SignedAt),
			ImportedAt: fmtTime(f.ImportedAt), ImportedBy: f.ImportedBy, Workers: f.Workers, Assessed: f.Assessed,
			Average: f.AverageTotal(), Pay: f.PaySum.String(), KeyFingerprint: f.KeyFingerprint}
	}
	for town := range keys {
		row(town)
	}
	page.Page, page.Period, page.MaxMB = s.page(u, "报备", "filings"), p, maxFilingUpload>>20
	for _, r := range rows {
		page.Towns = append(page.Towns, *r)
	}
	sort.Slice(page.Towns, func(i, j int) bool { return page.Towns[i].Town < page.Towns[j].Town })
	return s.render(w, r, status, "filings", page)
}

// importFilings is POST /filings: the packages uploaded, each checked and
// kept or refused with its reason. A package the server fails on is said
// to have failed beside the others, so that the district knows which to
// send again.
func (s *Server) importFilings(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if u.Role != gs.RoleDistrict {
		return forbidden("报备包的导入和核对由区中心进行。")
	}
	page := &FilingsPage{}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		page.Errors = []string{"请选择要导入的报备包（.zip）。"}
		if errors.As(err, &tooBig) {
			page.Errors = []string{"文件太大：一次最多 " + strconv.Itoa(maxFilingUpload>>20) + " MB。"}
		}
		return s.showFilings(w, r, u, http.StatusBadRequest, page)
	}
	defer r.MultipartForm.RemoveAll()
	status := http.StatusOK
	for _, h := range r.MultipartForm.File["packages"] {
		data, err := readPackage(h)
		if err == nil {
			var f *gs.ImportedFiling
			if f, err = s.Service.ImportFiling(r.Context(), u, data); err == nil {
				page.Packages = append(page.Packages, FilingOutcome{Imported: true, Message: h.Filename + "：已导入" + f.Town + " " + f.Quarter +
					"，网格员 " + strconv.Itoa(f.Workers) + " 名，平均分 " + f.AverageTotal() + "，绩效合计 " + f.PaySum.String() + " 元"})
				continue
			}
		}
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			return err
		}
		if statusOf(err) == http.StatusInternalServerError {
			// A failure of the server, not a fault of the package: logged,
			// and the packages before and after it still said.
			s.logInternal(r, err, slog.String("file", h.Filename))
			status = http.StatusInternalServerError
			page.Packages = append(page.Packages, FilingOutcome{Message: h.Filename + "：系统出错，没有导入：" + gs.ErrorMessage(err) + "这个报备包可以稍后重新导入。"})
			continue
		}
		if status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
		page.Packages = append(page.Packages, FilingOutcome{Message: h.Filename + "：" + gs.ErrorMessage(err)})
	}
	if len(page.Packages) == 0 {
		status, page.Errors = http.StatusBadRequest, []string{"请选择要导入的报备包（.zip）。"}
	}
	return s.showFilings(w, r, u, status, page)
}

// readPackage reads an uploaded package whole.
func readPackage(h *multipart.FileHeader) ([]byte, error) {
	f, err := h.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxFilingUpload))
}

// registerFilingKey is POST /filings/keys: a town's public key registered.
func (s *Server) registerFilingKey(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if u.Role != gs.RoleDistrict {
		return forbidden("镇街的公钥由区中心登记。")
	}
	page := &FilingsPage{KeyTown: r.PostFormValue("town"), KeyText: r.PostFormValue("key")}
	fp, err := s.Service.RegisterFilingKey(r.Context(), u, page.KeyTown, page.KeyText, r.PostFormValue("replace") != "")
	if code := gs.ErrorCode(err); code == gs.EINVALID || code == gs.ECONFLICT {
		switch {
		case errors.Is(err, app.ErrFilingKeyTown):
			page.KeyTownError = gs.ErrorMessage(err)
		default:
			page.KeyError = gs.ErrorMessage(err)
		}
		page.KeyConfirm = errors.Is(err, app.ErrFilingKeyReplace)
		return s.showFilings(w, r, u, statusOf(err), page)
	}
	if err != nil {
		return err
	}
	page.KeyDone = "已登记" + page.KeyTown + "的公钥，指纹 " + fp + "。请打电话与镇街核对指纹。"
	page.KeyTown, page.KeyText = "", ""
	return s.showFilings(w, r, u, http.StatusOK, page)
}

// filingWorkbook is /filings/{town}/{quarter}/filing.xlsx: the filing
// workbook of a package the district imported, every worker's numbers as
// the town finalized them.
func (s *Server) filingWorkbook(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	q, err := gs.ParseQuarter(r.PathValue("quarter"))
	if err != nil {
		return gs.Errorf(gs.ENOTFOUND, "没有这个季度的报备包。")
	}
	book, name, err := s.Service.ImportedFilingWorkbook(r.Context(), u, r.PathValue("town"), q)
	if err != nil {
		return err
	}
	download(w, app.XLSXType, name, book)
	return nil
}

// townFilingPackage is /towns/{town}/filing.zip: the signed package of
// the town's finalized quarter, for its center to send to the district.
func (s *Server) townFilingPackage(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	p, err := s.period(r)
	if err != nil {
		return err
	}
	pkg, name, err := s.Service.FilingPackage(r.Context(), u, r.PathValue("town"), p.Quarter)
	if err != nil {
		return err
	}
	download(w, "application/zip", name, pkg)
	return nil
}

// townFilingKey is /towns/{town}/filing-key.txt: the town's public key, to
// hand to the district.
func (s *Server) townFilingKey(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	town := r.PathValue("town")
	key, err := s.Service.TownPublicKey(r.Context(), u, town)
	if err != nil {
		return err
	}
	download(w, "text/plain; charset=utf-8", town+" 报备公钥.txt", []byte(key+"\n"))
	return nil
}
