package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// TestDistrictReadsAppeals: the district sees every town's appeals, with
// the town, filtered by town, read only: no decision form, and a decision
// posted anyway is refused.
func TestDistrictReadsAppeals(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		district, staff := f.login("district"), f.login("staff")
		ctx := f.publishDemo(t)
		svc, q := f.server.Service, demo.Quarter()
		d := f.snapshot()["QS013"].Deductions[0]
		a, err := svc.Appeal(app.WithActor(ctx, "QS013"), f.user("QS013"), q, gs.RefOf("QS013", d), "当天停电，无法登录")
		if err != nil {
			t.Fatal(err)
		}

		res, body := f.get("/appeals", district)
		wantStatus(t, "district appeals", res, body, 200, "各镇街申诉（只读）", demo.TownName+" <a", "当天停电，无法登录",
			`<a href="/appeals"`, `<option value="青山镇">`)
		if strings.Contains(body, `name="decision"`) || strings.Contains(body, "<textarea") {
			t.Error("the district is offered the decision form")
		}
		res, body = f.get("/appeals?town="+url.QueryEscape(demo.TownName), district)
		wantStatus(t, "district appeals of the town", res, body, 200, "青山镇申诉（只读）", "本季度状态：公示中", "当天停电，无法登录",
			`<option value="青山镇" selected>`)
		res, body = f.get("/appeals?town="+url.QueryEscape("白石镇"), district)
		wantStatus(t, "district appeals of another town", res, body, 200, "没有待处理的申诉")
		if strings.Contains(body, "当天停电") {
			t.Error("the filter shows another town's appeal")
		}
		decide := "/appeals/" + strconv.FormatInt(a.ID, 10)
		res, body = f.post(decide, url.Values{"decision": {"uphold"}, "reply": {"区中心替镇街处理"}}, district)
		wantStatus(t, "district decides", res, body, 403)

		// The town's center still decides, its page unchanged.
		res, body = f.get("/appeals?town="+url.QueryEscape("白石镇"), staff)
		wantStatus(t, "staff appeals", res, body, 200, "申诉处理", "当天停电，无法登录", `name="decision"`)
	})
}
