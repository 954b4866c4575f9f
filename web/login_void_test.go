package web_test

import (
	"net/url"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestVoidOneLoginChannelThroughPages: QS001, full-time and stationed, has
// no login at all on 2023-07-04, so two login deductions of that day, one
// a channel. The worker's page posts each one's item with its forms; the
// center voids the PC端 one, which voids that one only, and the pages that
// list the void and an appeal against the other name the channel.
func TestVoidOneLoginChannelThroughPages(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOf(t, b.Target(t), demo.WithoutLogins("QS001", gs.NewDate(2023, 7, 4)))
			staff, worker := f.login("staff"), f.login("QS001")
			town := "/towns/" + url.PathEscape(demo.TownName)
			res, body := f.post(town+"/quarter/compute", url.Values{"as_of": {"2023-10-08T09:00"}}, staff)
			wantStatus(t, "compute", res, body, 303)

			res, body = f.get("/workers/QS001", staff)
			wantStatus(t, "worker page", res, body, 200, "未登录网格E通", "未登录PC端",
				`<input type="hidden" name="item" value="app">`, `<input type="hidden" name="item" value="pc">`)

			ded := url.Values{"rule": {string(gs.RuleDisciplineLogin)}, "period": {"2023-07-04"}, "evidence": {""},
				"item": {"pc"}, "reason": {"PC端当天停机维护"}}
			res, body = f.post("/workers/QS001/void", ded, staff)
			wantStatus(t, "void unconfirmed", res, body, 200, "<h1>确认撤销扣分</h1>", "（2023-07-04 PC端）",
				`name="item" value="pc"`)
			res, body = f.post("/workers/QS001/void", withValue(ded, "confirm", "yes"), staff)
			wantStatus(t, "void confirmed", res, body, 303)
			var left []string
			for _, d := range f.snapshotOf("QS001").Deductions {
				if d.Rule == gs.RuleDisciplineLogin && d.Period == "2023-07-04" {
					left = append(left, d.Item)
				}
			}
			if strings.Join(left, ",") != "app" {
				t.Errorf("login deductions of the day left: %q, want the app one", left)
			}
			res, body = f.get("/workers/QS001", staff)
			wantStatus(t, "worker page after the void", res, body, 200, "（2023-07-04 PC端）：PC端当天停机维护",
				`<input type="hidden" name="item" value="app">`)
			if strings.Contains(body, `name="item" value="pc"`) {
				t.Error("the voided PC端 deduction still has its form")
			}

			res, body = f.post(town+"/quarter/publish", url.Values{"confirm": {"yes"}}, staff)
			wantStatus(t, "publish", res, body, 303)
			app := withValue(withValue(ded, "item", "app"), "reason", "当天网格E通故障")
			res, body = f.post("/workers/QS001/appeals", app, worker)
			wantStatus(t, "appeal", res, body, 303)
			res, body = f.get("/appeals", staff)
			wantStatus(t, "appeals", res, body, 200, "（2023-07-04 网格E通）", "当天网格E通故障")
		})
	}
}
