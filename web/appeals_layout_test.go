package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// TestPendingAppealShowsTheDeduction: whoever decides an appeal reads, in
// the appeal itself, the worker's name, the points deducted, the
// deduction's sentence and a link to its evidence (it once showed only the
// 工号 and the rule).
func TestPendingAppealShowsTheDeduction(t *testing.T) {
	f := newFixture(t)
	ctx := f.publishDemo(t)
	var d gs.Deduction
	for _, x := range f.snapshot()["QS013"].Deductions {
		if x.Rule == "key.visits" {
			d = x
		}
	}
	if len(d.Evidence) == 0 {
		t.Fatal("QS013 has no 特殊人群走访 deduction with evidence")
	}
	if _, err := f.server.Service.Appeal(app.WithActor(ctx, "QS013"), f.user("QS013"), demo.Quarter(), gs.RefOf("QS013", d), "已走访，记录漏录"); err != nil {
		t.Fatal(err)
	}
	_, body := f.get("/appeals", f.login("staff"))
	appeal := regexp.MustCompile(`(?s)<div class="appeal" id="appeal-\d+">.*?</form>`).FindString(body)
	points := "−" + strings.TrimPrefix(d.Points.String(), "-") + " 分"
	for _, want := range []string{"赵磊", points, d.Detail, "<code>" + d.Evidence[0] + "</code></a>", "已走访，记录漏录"} {
		if !strings.Contains(appeal, want) {
			t.Errorf("the pending appeal lacks %q:\n%s", want, appeal)
		}
	}
}

// TestDecidedAppealsFitTheirBoxAt1366: on a 1366-pixel screen the 已处理
// table stays inside its card with long reasons and replies: 处理人 and
// 处理时间 are in sight and the replies wrap instead of being cut.
func TestDecidedAppealsFitTheirBoxAt1366(t *testing.T) {
	f := newFixture(t)
	ctx := f.publishDemo(t)
	svc, q := f.server.Service, demo.Quarter()
	reason := "当天我在社区参加防汛值班，手机没有信号，事件是在恢复信号后立即补报的，有值班表和社区书记的证明可以核实，请中心核查后撤销这项扣分。"
	reply := "经核查，当天该网格所在区域移动网络信号正常，同网格其他人员均按时上报，值班表显示值班时间为晚上，与事件发生时间不重叠，故驳回申诉，维持原扣分。"
	for _, d := range f.snapshot()["QS013"].Deductions[:3] {
		a, err := svc.Appeal(app.WithActor(ctx, "QS013"), f.user("QS013"), q, gs.RefOf("QS013", d), reason)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Decide(ctx, f.user("staff"), demo.TownName, q, a.ID, false, reply); err != nil {
			t.Fatal(err)
		}
	}
	browser, base := f.phone(t, "staff")
	if err := chromedp.Do(browser, chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(base+"/appeals"), chromedp.WaitVisible(chromedp.CSS("#decided table"))); err != nil {
		t.Fatal(err)
	}
	type box struct {
		Card    float64  `json:"card"`
		Table   float64  `json:"table"`
		Heads   []string `json:"heads"`
		Scrolls bool     `json:"scrolls"`
	}
	got, err := chromedp.Run(browser, chromedp.Evaluate[box](`(() => {
		const card = document.querySelector("#decided").getBoundingClientRect().right;
		const heads = [...document.querySelectorAll("#decided th")].filter(th => th.getBoundingClientRect().right > card).map(th => th.textContent);
		const cut = [...document.querySelectorAll("#decided td")].some(td => td.scrollWidth > td.clientWidth + 1);
		const wrap = document.querySelector("#decided .scroll");
		return {card, table: document.querySelector("#decided table").getBoundingClientRect().right, heads,
			scrolls: cut || wrap.scrollWidth > wrap.clientWidth + 1};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Table > got.Card || len(got.Heads) > 0 || got.Scrolls {
		t.Errorf("已处理 at 1366 px: table ends at %.0f px, its card at %.0f; columns out of the box: %v; scrolls or cuts: %v",
			got.Table, got.Card, got.Heads, got.Scrolls)
	}
}
