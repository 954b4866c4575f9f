package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// SlipsPerSheet is how many ballots an A4 sheet holds: two columns of
// four, each 97 × 70 mm, cut apart along the dashed lines.
const SlipsPerSheet = 8

// SheetsPage is a batch of one-time ballots just made, laid out on A4
// sheets to print (the print stylesheet's @page A4; the browser's 打印 or
// 另存为 PDF). The codes are shown this once: they are not kept.
type SheetsPage struct {
	Page
	Town, Title, Window string
	Batch, Count        int
	// EntryURL is the page where a code is typed (/v on this site).
	EntryURL string
	Sheets   [][]SheetSlip
	BackURL  string
}

// SheetSlip is one ballot on a sheet.
type SheetSlip struct {
	QR                     template.HTML
	Code, URL              string
	Grid, GridName, Worker string
	Group, Serial          string
}

// campaignPrint is POST /survey/{id}/print: new one-time ballots, shown
// as sheets to print; the dashboard again with what is wrong.
func (s *Server) campaignPrint(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	pf := PrintForm{Grid: r.PostFormValue("grid"), Cadre: r.PostFormValue("cadre"), Resident: r.PostFormValue("resident")}
	in := app.PrintInput{Grid: pf.Grid}
	if in.Cadre, err = countField(pf.Cadre); err != nil {
		pf.Error = "村社区干部票数应为整数。"
	} else if in.Resident, err = countField(pf.Resident); err != nil {
		pf.Error = "居民群众票数应为整数。"
	}
	if err != nil {
		return s.campaignWith(w, r, u, http.StatusBadRequest, pf, TallyForm{})
	}
	batch, err := s.Service.PrintBallots(r.Context(), u, id, in)
	var fe gs.FieldErrors
	if errors.As(err, &fe) || gs.ErrorCode(err) == gs.ECONFLICT {
		pf.Error = tallyError(err)
		return s.campaignWith(w, r, u, statusOf(err), pf, TallyForm{})
	}
	if err != nil {
		return err
	}
	base := s.siteURL(r)
	c := &batch.Campaign
	page := &SheetsPage{Page: s.page(u, c.Town+" 满意度评价票", "survey"), Town: c.Town, Title: c.Title,
		Window: fmtTime(c.OpensAt) + " 至 " + fmtEnd(c.ClosesAt), Batch: batch.Batch, Count: len(batch.Ballots),
		EntryURL: base + "/v", BackURL: campaignURL(id)}
	var sheet []SheetSlip
	for _, b := range batch.Ballots {
		link := base + ballotPrefix + b.Code
		svg, err := qrSVG(link)
		if err != nil {
			return err
		}
		sheet = append(sheet, SheetSlip{QR: svg, Code: app.FormatCode(b.Code), URL: link, Grid: b.GridCode, GridName: b.GridName,
			Worker: b.WorkerName, Group: gs.RaterGroupLongName[b.Group], Serial: fmt.Sprintf("第 %d 批 %d/%d", batch.Batch, b.Serial, b.BatchBallots)})
		if len(sheet) == SlipsPerSheet {
			page.Sheets, sheet = append(page.Sheets, sheet), nil
		}
	}
	if len(sheet) > 0 {
		page.Sheets = append(page.Sheets, sheet)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, http.StatusOK, "survey_sheets", page)
}

// countField reads a number of ballots typed (empty: 0).
func countField(v string) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	return strconv.Atoi(v)
}

// siteURL is the address people reach this site at: PublicURL when set,
// else the scheme and host the request was made to (requestOrigin: what a
// trusted proxy forwards).
func (s *Server) siteURL(r *http.Request) string {
	if s.PublicURL != "" {
		return strings.TrimRight(s.PublicURL, "/")
	}
	return s.requestOrigin(r)
}

// qrSVG draws text as a QR code (error correction M, which a phone still
// reads with a seventh of the code smudged or folded) in an inline SVG of
// one path, with the quiet zone of 4 modules the standard asks for; its
// size is the stylesheet's. Nothing is loaded from anywhere.
func qrSVG(text string) (template.HTML, error) {
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", err
	}
	code.DisableBorder = true // the quiet zone is drawn here
	modules := code.Bitmap()  // modules[y][x]; computed once per call
	const quiet = 4
	size := len(modules)
	n := size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="二维码"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n, n, n)
	for y, row := range modules {
		for x := 0; x < size; {
			if !row[x] {
				x++
				continue
			}
			run := 1
			for x+run < size && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}
