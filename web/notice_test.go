package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// TestNotices follows the 告知单 through the quarter: nothing to print while
// the quarter is open; once computed the center prints a worker's and the
// whole town's (one per worker, with the scores, rank, pay, every
// deduction and the signature lines) while the worker is told it is under
// review; once published the worker prints their own, with the last day
// to appeal, and no one else's.
func TestNotices(t *testing.T) {
	f := newFixture(t)
	staff, worker := f.login("staff"), f.login("QS001")
	notice := regexp.MustCompile(`<article class="result-notice">`)

	_, body := f.get("/workers/QS015/notice", staff)
	if !strings.Contains(body, "还没有计算") || notice.MatchString(body) {
		t.Errorf("open quarter: the notice page should say it is not computed:\n%s", body)
	}

	ctx := app.WithActor(context.Background(), "staff")
	if err := f.server.Service.Compute(ctx, f.user("staff"), demo.TownName, demo.Quarter(), demo.AsOf()); err != nil {
		t.Fatal(err)
	}
	res, body := f.get("/workers/QS015/notice", staff)
	for _, want := range []string{"青山镇网格员2023年第3季度考核结果告知单", "黄丽", "QS015", "扣分明细", "红牌警告",
		"考核结果公示后 5 个工作日内", "网格员签字", "（盖章）"} {
		if !strings.Contains(body, want) {
			t.Errorf("computed, staff: the notice lacks %q", want)
		}
	}
	if res.StatusCode != http.StatusOK || len(notice.FindAllString(body, -1)) != 1 {
		t.Errorf("computed, staff: status %d, %d notices", res.StatusCode, len(notice.FindAllString(body, -1)))
	}
	_, body = f.get("/towns/青山镇/notices", staff)
	town, err := f.server.Service.StoredResult(context.Background(), demo.TownName, demo.Quarter(), f.state(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(notice.FindAllString(body, -1)); got != len(town.Workers) {
		t.Errorf("the town's notices: %d, want one per worker (%d)", got, len(town.Workers))
	}
	if _, body = f.get("/workers/QS001/notice", worker); !strings.Contains(body, "正在由镇中心审核") || notice.MatchString(body) {
		t.Errorf("computed, the worker: should be told it is under review:\n%s", body)
	}

	if err := f.server.Service.Publish(ctx, f.user("staff"), demo.TownName, demo.Quarter()); err != nil {
		t.Fatal(err)
	}
	st := f.state(t)
	last, err := f.server.Service.AppealDeadline(context.Background(), demo.TownName, st.PublishedAt)
	if err != nil {
		t.Fatal(err)
	}
	_, body = f.get("/workers/QS001/notice", worker)
	deadline := "请于 " + strings.NewReplacer("-0", "-").Replace(last.String())
	deadline = strings.Replace(strings.Replace(deadline, "-", "年", 1), "-", "月", 1) + "日"
	if !notice.MatchString(body) || !strings.Contains(body, deadline) || !strings.Contains(body, "王建华") {
		t.Errorf("published, the worker: want their notice with %q:\n%s", deadline, body)
	}
	if res, _ := f.get("/workers/QS013/notice", worker); res.StatusCode != http.StatusForbidden {
		t.Errorf("another worker's notice: status %d, want 403", res.StatusCode)
	}
	if _, body := f.get("/workers/QS001", worker); !strings.Contains(body, `href="/workers/QS001/notice`) {
		t.Errorf("the worker's page does not link the notice")
	}
	if _, body := f.get("/towns/青山镇", staff); !strings.Contains(body, `id="notices-link"`) {
		t.Errorf("the dashboard does not link the town's notices")
	}
}

// state returns the demo quarter's state.
func (f *fixture) state(t *testing.T) gs.QuarterState {
	t.Helper()
	st, err := f.server.Service.QuarterState(context.Background(), demo.TownName, demo.Quarter())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestNoticesPrintOnePagePerWorker prints the town's notices to PDF in
// Chromium: one A4 page per worker, nothing of the navigation, no table
// past the paper.
func TestNoticesPrintOnePagePerWorker(t *testing.T) {
	f := newFixture(t)
	f.publishDemo(t)
	ctx, base := f.phone(t, "admin")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(a4Width, 1000), printMedia(),
		chromedp.Navigate(base+"/towns/青山镇/notices"), chromedp.WaitVisible(chromedp.CSS(".result-notice"))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[printed](`(() => {
		const seen = s => [...document.querySelectorAll(s)].some(e => e.getClientRects().length > 0);
		const shown = ["header.top", "nav", "form", "footer", ".notices-head"].filter(seen);
		const right = Math.max(0, ...[...document.querySelectorAll("table")].map(t => t.getBoundingClientRect().right));
		return {shown, right, evidence: document.querySelectorAll(".result-notice").length, title: ""};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Shown) > 0 || got.Right > a4Width {
		t.Errorf("printed notices show %v, a table ends at %.0f px (A4 %d)", got.Shown, got.Right, a4Width)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
	if pages != got.Evidence || pages == 0 {
		t.Errorf("%d notices printed on %d pages, want one page each", got.Evidence, pages)
	}
}
