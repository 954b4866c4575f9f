package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// tableFit is how a wide table sits on a 360-pixel phone.
type tableFit struct {
	// Hidden counts the cells of the named columns drawn outside the
	// screen (behind a sideways scroll, or cut off).
	Hidden int `json:"hidden"`
	// Shown counts the cells of the named columns drawn on the screen.
	Shown int `json:"shown"`
	// Scrolls is set when the table or the page scrolls sideways.
	Scrolls bool `json:"scrolls"`
	// Text is what the table says, to look for the columns' names.
	Text string `json:"text"`
}

// fitJS measures the table sel's cells chosen by cells.
const fitJS = `((sel, cells) => {
	const t = document.querySelector(sel);
	const w = window.innerWidth;
	let hidden = 0, shown = 0, scrolls = document.documentElement.scrollWidth > w;
	for (let e = t; e && e !== document.body; e = e.parentElement) {
		if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible") scrolls = true;
	}
	for (const c of t.querySelectorAll(cells)) {
		const r = c.getBoundingClientRect();
		if (!c.textContent.trim()) continue;
		if (r.width > 0 && r.left >= 0 && r.right <= w + 0.5) shown++; else hidden++;
	}
	// The words a person reads, with the columns' names that a phone
	// shows before each cell.
	const text = [...t.querySelectorAll("th, td")].filter(c => c.getClientRects().length)
		.map(c => getComputedStyle(c, "::before").content.replace(/^none$/, "") + " " + c.innerText).join("\n");
	return {hidden, shown, scrolls, text};
})`

// fitsOnPhone opens path on the phone ctx and checks that the table sel's
// cells chosen by cells (want of them, or any number when want is 0) are
// all on the screen with no sideways scroll, and that it says words.
func fitsOnPhone(t *testing.T, ctx context.Context, url, sel, cells string, want int, words ...string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[tableFit](fitJS+"("+strconv.Quote(sel)+", "+strconv.Quote(cells)+")"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Scrolls || got.Hidden > 0 || got.Shown == 0 || want > 0 && got.Shown != want {
		t.Errorf("%s on a phone: %d cells %s on the screen, %d off it, scrolls sideways: %v; want all on the screen",
			sel, got.Shown, cells, got.Hidden, got.Scrolls)
	}
	for _, w := range words {
		if !strings.Contains(got.Text, w) {
			t.Errorf("%s on a phone does not say %q:\n%s", sel, w, got.Text)
		}
	}
}

// TestPhoneRankingShowsTheScores: on a 360-pixel phone the dashboard's
// ranking shows every worker's 总分 and 绩效 on the screen, named, with no
// sideways scroll (it once showed only 排名/工号/姓名, the scores behind an
// unmarked sideways scroll).
func TestPhoneRankingShowsTheScores(t *testing.T) {
	f := newFixture(t)
	ctx, base := f.phone(t, "admin")
	fitsOnPhone(t, ctx, base+"/", "#ranking table", "tbody td.strong, tbody td:last-child", 2*21, "总分", "绩效（元）", "信息录入")
}

// TestPhoneImportProblemsReadWhole: on a 360-pixel phone each import
// problem shows its file, row, column and message on the screen, with no
// sideways scroll.
func TestPhoneImportProblemsReadWhole(t *testing.T) {
	f := newFixture(t)
	path, _ := f.uploadReport(f.login("admin"), [2]string{"findings.csv",
		newFinding + "F-WEB-2,QS002,网格手机,2023-08-32,1\nF-WEB-3,QS404,网格手机,2023-08-02,1\n"},
		[2]string{"visits-of-the-third-quarter-in-the-northern-villages-copy.txt", "x"})
	ctx, base := f.phone(t, "admin")
	fitsOnPhone(t, ctx, base+path, "#problems table", "tbody td", 0, "行", "列", "发现日期")
}

// TestPhoneEmptyAppealSaysWhyWhereTheWorkerLooks: a worker who sends an
// appeal without a reason on a phone sees 请填写申诉理由。 on the screen
// when the page comes back, beside the deduction, without scrolling for it.
func TestPhoneEmptyAppealSaysWhyWhereTheWorkerLooks(t *testing.T) {
	f := newFixture(t)
	f.publishDemo(t)
	ctx, base := f.phone(t, "QS013")
	// The last deduction's form, far down the page.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/workers/QS013"),
		chromedp.WaitVisible(chromedp.CSS(".ded-actions")),
	); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll(".ded-actions")].pop().querySelector("button").click() || true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".ded-actions .field-error"))); err != nil {
		t.Fatal(err)
	}
	type shown struct {
		Text   string  `json:"text"`
		Top    float64 `json:"top"`
		Bottom float64 `json:"bottom"`
		Height float64 `json:"height"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[shown](`(() => {
		const e = document.querySelector(".ded-actions .field-error"), r = e.getBoundingClientRect();
		return {text: e.textContent, top: r.top, bottom: r.bottom, height: window.innerHeight};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "请填写申诉理由。" {
		t.Errorf("the empty appeal's message is %q", got.Text)
	}
	if got.Top < 0 || got.Bottom > got.Height {
		t.Errorf("the empty appeal's message is at %.0f–%.0f px of a %.0f-px screen: out of sight", got.Top, got.Bottom, got.Height)
	}
}

// TestPhoneDistrictTownsReadWhole: on a 360-pixel phone the district's
// table of towns shows each town's state, workers and average on the
// screen, named, with no sideways scroll (平均分 was cut off).
func TestPhoneDistrictTownsReadWhole(t *testing.T) {
	f := newFixture(t)
	ctx, base := f.phone(t, "district")
	fitsOnPhone(t, ctx, base+"/", "#towns table", "tbody td", 0, "季度状态", "平均分", "数字口径")
}

// TestPhoneRecordsReadWhole: on a 360-pixel phone a grid worker's list of
// their events shows every cell of every event on the screen, named, with
// no sideways scroll, and the columns stay as sort links above the list.
func TestPhoneRecordsReadWhole(t *testing.T) {
	f := newFixture(t)
	ctx, base := f.phone(t, "QS001")
	fitsOnPhone(t, ctx, base+"/records/events", "#records", "tbody td", 0, "上报时间", "办结时限")
}

// TestPhoneWideTablesReadWhole: on a 360-pixel phone the survey's results
// (合计, 满意率 and 得分 were off the right edge), the workers list (备注
// was) and the special people on a worker's page (身份证号 was) show every
// cell on the screen, named, with no sideways scroll.
func TestPhoneWideTablesReadWhole(t *testing.T) {
	f := newFixture(t)
	ctx, base := f.phone(t, "admin")
	fitsOnPhone(t, ctx, base+"/survey/results", "#results", "tbody td", 0, "合计", "满意率", "得分")
	fitsOnPhone(t, ctx, base+"/workers", "#workers", "tbody td", 0, "总分", "排名", "备注")
	fitsOnPhone(t, ctx, base+"/workers/QS013", "#people table", "tbody td", 0, "网格", "姓名", "身份证号")
}

// TestPhoneChartsReadable: on a 360-pixel phone the dashboard's charts
// (总分分布, 各类别平均得分) draw their words at 12 px at least, each
// inside its chart (they were scaled down to some 10 px).
func TestPhoneChartsReadable(t *testing.T) {
	f := newFixture(t)
	ctx, base := f.phone(t, "admin")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("svg.chart"))); err != nil {
		t.Fatal(err)
	}
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const bad = [];
		let n = 0;
		for (const svg of document.querySelectorAll("svg.chart")) {
			const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
			for (const t of svg.querySelectorAll("text")) {
				n++;
				const px = parseFloat(getComputedStyle(t).fontSize) * scale, r = t.getBoundingClientRect();
				if (px < 12 || r.left < box.left - 2 || r.right > box.right + 2) bad.push(t.textContent + " at " + px.toFixed(1) + " px");
			}
		}
		return n ? bad : ["no words in the charts"];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("chart words too small or outside their chart on a phone: %q", bad)
	}
}
