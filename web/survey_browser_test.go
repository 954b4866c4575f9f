package web_test

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// surveyClock is the survey tests' moment: a Wednesday inside the demo
// quarter, while a campaign may run.
var surveyClock = time.Date(2023, 9, 20, 10, 0, 0, 0, gs.CST)

// printedSheets prints the page ctx shows to PDF as the browser's print
// does (the page's own @page size), turns its pages into PNG images at
// dpi with pdftoppm, and returns them with the PDF's text (pdftotext).
func printedSheets(t *testing.T, ctx context.Context, dpi int) ([]image.Image, string) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is missing (apt-get install poppler-utils)", tool)
		}
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "sheets.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv("GRIDSCORE_PRINT_DIR"); d != "" {
		os.WriteFile(filepath.Join(d, "survey_sheets.pdf"), pdf, 0o644)
	}
	if out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-png", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	text, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	var imgs []image.Image
	for _, p := range pages {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	return imgs, string(text)
}

// slipQRs decodes the QR code of each of the 8 slips of a printed A4
// sheet (2 columns of 4 inside 8 mm margins), cropping each slip as the
// scissors would: "" for a slip whose code cannot be read.
func slipQRs(sheet image.Image) []string {
	b := sheet.Bounds()
	mm := float64(b.Dx()) / 210
	var out []string
	for row := range 4 {
		for col := range 2 {
			x0, y0 := int((8+float64(col)*97)*mm), int((8+float64(row)*70.25)*mm)
			cell := image.Rect(x0, y0, x0+int(97*mm), y0+int(70.25*mm)).Intersect(b)
			sub := sheet.(interface {
				SubImage(image.Rectangle) image.Image
			}).SubImage(cell)
			bmp, err := gozxing.NewBinaryBitmapFromImage(sub)
			if err != nil {
				out = append(out, "")
				continue
			}
			res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
			if err != nil {
				out = append(out, "")
				continue
			}
			out = append(out, res.GetText())
		}
	}
	return out
}

// voterPhone opens a headless Chromium tab in a browser context of its own
// (newTab: no session, no cookie of anyone), emulating a 360-pixel phone
// with JavaScript turned off.
func voterPhone(t *testing.T) context.Context {
	t.Helper()
	ctx := newTab(t)
	if err := chromedp.Do(ctx, noScript(),
		chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// noScript turns JavaScript off in the tab.
func noScript() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

// satisfactionShown reads the satisfaction score the worker's own page
// shows (满意率 18.95 / 20) and its sentence on the ballots.
func satisfactionShown(t *testing.T, ctx context.Context, base string) (string, string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/workers/QS013"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const h = [...document.querySelectorAll("section.category h2")].find(h => h.textContent.includes("满意率"));
		return h ? [h.querySelector(".score").textContent, h.parentElement.querySelector("p.muted").textContent] : ["", ""];
	})()`))
	if err != nil || len(got) != 2 {
		t.Fatalf("the satisfaction of the worker's page: %v %v", got, err)
	}
	return got[0], got[1]
}

// TestSurveyBallotFromPrintedSheetInChromium: the town's staff open a
// campaign and print ballots for grid QS-13; the sheet, printed to PDF on
// A4, holds every ballot's QR code and typed code uncut; a voter's phone
// (360 px, no JavaScript) opens the URL decoded from the printed QR code,
// answers 不满意 and sees the confirmation; the same ballot answered again
// from a second tab is refused, and opening it again says it was used;
// the worker QS013 sees no satisfaction score while the campaign runs,
// and once it is closed the score moved as RULES.md §6 says; the request
// log never holds the code.
func TestSurveyBallotFromPrintedSheetInChromium(t *testing.T) {
	f := newFixture(t)
	f.server.Service.Now = func() time.Time { return surveyClock }
	worker, base := f.phone(t, "QS013")
	before, sentence := satisfactionShown(t, worker, base)
	tally, err := f.server.Service.Ballots(context.Background(), &gs.User{Role: gs.RoleDistrict}, "QS013", demo.Quarter())
	if err != nil {
		t.Fatal(err)
	}
	good := 0
	for _, g := range tally.Groups {
		good += g.ByRating[0] + g.ByRating[1]
	}
	// RULES.md §6 after one more 不满意: 20 × good / (n+1), half up.
	r := new(big.Rat).SetFrac64(int64(2000*good), int64(tally.Total+1))
	want := gs.Points(new(big.Int).Quo(new(big.Int).Add(new(big.Int).Mul(r.Num(), big.NewInt(2)), r.Denom()), new(big.Int).Mul(r.Denom(), big.NewInt(2))).Int64())
	if !strings.Contains(sentence, fmt.Sprintf("%d 份", tally.Total)) {
		t.Fatalf("the worker's page says %q, not the %d ballots", sentence, tally.Total)
	}

	staff, _ := f.phone(t, "staff")
	err = chromedp.Do(staff, chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(base+"/survey"), chromedp.WaitVisible(chromedp.CSS("#open")),
		chromedp.Click(chromedp.CSS(`#open button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS("#print")),
		chromedp.SetValue(chromedp.CSS("#print-grid"), "QS-13"),
		chromedp.SetValue(chromedp.CSS("#print-cadre"), "1"), chromedp.SetValue(chromedp.CSS("#print-resident"), "2"),
		chromedp.Click(chromedp.CSS(`#print button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS("#sheets")))
	if err != nil {
		t.Fatal(err)
	}
	sheets, text := printedSheets(t, staff, 200)
	if len(sheets) != 1 {
		t.Fatalf("3 ballots printed on %d pages, want 1", len(sheets))
	}
	if b := sheets[0].Bounds(); b.Dx()*297 < b.Dy()*210-300 || b.Dx()*297 > b.Dy()*210+300 {
		t.Errorf("the printed page is %d × %d, not A4 portrait", b.Dx(), b.Dy())
	}
	urls := slipQRs(sheets[0])
	codes := regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]`).FindAllString(text, -1)
	if len(codes) != 3 {
		t.Fatalf("the printed text has %d whole codes, want 3:\n%s", len(codes), text)
	}
	for i, code := range codes {
		if want := base + "/v/" + strings.ReplaceAll(code, "-", ""); urls[i] != want {
			t.Errorf("slip %d: QR code reads %q, want %q (its printed code %s)", i+1, urls[i], want, code)
		}
	}
	for i, u := range urls[3:] {
		if u != "" {
			t.Errorf("empty slip %d reads %q", i+4, u)
		}
	}
	for _, want := range []string{"青山镇", "赵磊", "村社区干部", "居民群众", "网格员回避"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed sheet lacks %q", want)
		}
	}

	phone := voterPhone(t)
	second, cancel := chromedp.NewContext(phone)
	defer cancel()
	if err := chromedp.Do(second, noScript(), chromedp.Navigate(urls[1]), chromedp.WaitVisible(chromedp.CSS("#worker"))); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(phone, chromedp.Navigate(urls[1]), chromedp.WaitVisible(chromedp.CSS("#worker")))
	if err != nil {
		t.Fatal(err)
	}
	name, err := chromedp.Run(phone, chromedp.Text(chromedp.CSS("#worker")))
	if err != nil || name != "赵磊" {
		t.Errorf("the ballot names %q (%v), want 赵磊", name, err)
	}
	noSideways(t, phone, "/v/…")
	err = chromedp.Do(phone, chromedp.Click(chromedp.CSS(`input[value="unsatisfied"]`)),
		chromedp.SendKeys(chromedp.CSS("#comment"), "很少见到他"),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS("#done")))
	if err != nil {
		t.Fatal(err)
	}
	if done, _ := chromedp.Run(phone, chromedp.Text(chromedp.CSS("#done"))); !strings.Contains(done, "不满意") {
		t.Errorf("the confirmation says %q", done)
	}
	err = chromedp.Do(second, chromedp.Click(chromedp.CSS(`input[value="satisfied"]`)),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS("#refusal")))
	if err != nil {
		t.Fatal(err)
	}
	if refusal, _ := chromedp.Run(second, chromedp.Text(chromedp.CSS("#refusal"))); !strings.Contains(refusal, "已经使用过") {
		t.Errorf("the second answer is refused with %q", refusal)
	}
	if err := chromedp.Do(phone, chromedp.Navigate(urls[1]), chromedp.WaitVisible(chromedp.CSS("#refusal"))); err != nil {
		t.Fatal(err)
	}

	// While the campaign runs, the worker sees nothing the answer moved;
	// once it is closed, the score as §6 gives it.
	during, sentence := satisfactionShown(t, worker, base)
	if !strings.HasPrefix(during, "—") || !strings.Contains(sentence, app.MsgBallotsWithheld) {
		t.Errorf("during the survey QS013's page shows %q: %q", during, sentence)
	}
	staffUser := &gs.User{Username: "staff", Role: gs.RoleTownStaff, Town: demo.TownName}
	cs, err := f.server.Service.Campaigns(context.Background(), staffUser)
	if err != nil || len(cs) != 1 {
		t.Fatalf("campaigns: %v %v", cs, err)
	}
	if _, err := f.server.Service.CloseCampaign(context.Background(), staffUser, cs[0].ID); err != nil {
		t.Fatal(err)
	}
	after, sentence := satisfactionShown(t, worker, base)
	if after == before || !strings.HasPrefix(after, want.String()+" ") {
		t.Errorf("QS013's satisfaction went from %q to %q, RULES.md §6 gives %v", before, after, want)
	}
	if !strings.Contains(sentence, fmt.Sprintf("%d 份", tally.Total+1)) || !strings.Contains(sentence, "扫码 1 份") {
		t.Errorf("the worker's page says %q: want %d ballots, 1 of them scanned", sentence, tally.Total+1)
	}
	if body, _ := chromedp.Run(worker, chromedp.Text(chromedp.CSS("main"))); strings.Contains(body, "很少见到他") {
		t.Errorf("the worker's page shows a voter's comment")
	}
	logs := f.logs.String()
	for _, code := range codes {
		if strings.Contains(logs, strings.ReplaceAll(code, "-", "")) {
			t.Errorf("the request log holds the code %s", code)
		}
	}
	if !strings.Contains(logs, "/v/…") {
		t.Errorf("the request log has no ballot request")
	}
	if strings.Contains(logs, "很少见到他") {
		t.Errorf("the request log holds the comment")
	}
}
