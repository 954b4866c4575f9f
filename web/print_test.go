package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// a4Width is the width in CSS pixels inside A4's margins of the print
// stylesheet (210 mm less 2 × 10 mm, at 96 px an inch).
const a4Width = 718

// printed is what a page shows on paper.
type printed struct {
	// Shown are the selectors of things that should not be printed and are.
	Shown []string `json:"shown"`
	// Right is the right edge of the widest table; Title the ranking's
	// printed title.
	Right float64 `json:"right"`
	Title string  `json:"title"`
	// Evidence counts the deductions' evidence codes printed.
	Evidence int `json:"evidence"`
	// Period is the printed line saying which quarter and moment it is.
	Period string `json:"period"`
}

// printMedia lays pages out as for printing on A4.
func printMedia() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})
}

// TestPrintedPagesFitA4WithoutNavigation: the dashboard, its ranking and a
// worker's page printed on A4 show no navigation and no forms, every
// column of the ranking (总分 and 绩效 were cut off) within the paper, and
// the ranking under a title naming the town, the quarter and the date, for
// the 公示栏. Set GRIDSCORE_PRINT_DIR to keep the PDFs to look at.
func TestPrintedPagesFitA4WithoutNavigation(t *testing.T) {
	f := newFixture(t)
	f.publishDemo(t)
	ctx, base := f.phone(t, "admin")
	for _, path := range []string{"/", "/workers/QS013"} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(a4Width, 1000), printMedia(),
			chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[printed](`(() => {
			const seen = s => [...document.querySelectorAll(s)].some(e => e.getClientRects().length > 0);
			const shown = ["header.top", "nav", "form:not(.period)", ".quarter-pick", ".period-pick", "button", "textarea", "footer"].filter(seen);
			const period = document.querySelector(".period-text");
			const right = Math.max(0, ...[...document.querySelectorAll("table")].map(t => t.getBoundingClientRect().right));
			const title = document.querySelector(".print-title");
			const evidence = [...document.querySelectorAll(".ded-evidence code")].filter(e => e.getClientRects().length).length;
			return {shown, right, evidence, title: title && title.getClientRects().length ? title.innerText : "",
				period: period && period.getClientRects().length ? period.innerText : ""};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Shown) > 0 {
			t.Errorf("%s printed shows %v", path, got.Shown)
		}
		if !strings.Contains(got.Period, "2023年第3季度") {
			t.Errorf("%s printed does not say which quarter it is (%q)", path, got.Period)
		}
		if got.Right > a4Width {
			t.Errorf("%s printed: a table ends at %.0f px, past A4's %d", path, got.Right, a4Width)
		}
		if path == "/" {
			for _, want := range []string{"青山镇", "2023年第3季度", "公示", "公示日期："} {
				if !strings.Contains(got.Title, want) {
					t.Errorf("the printed ranking's title %q lacks %q", got.Title, want)
				}
			}
		}
		if path != "/" && got.Evidence == 0 {
			t.Errorf("%s printed without the deductions' evidence", path)
		}
		if dir := os.Getenv("GRIDSCORE_PRINT_DIR"); dir != "" {
			pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, strings.NewReplacer("/", "_").Replace(path)+".pdf"), pdf, 0o644)
		}
	}
}
