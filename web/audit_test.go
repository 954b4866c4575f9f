package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/demo"
)

// TestAuditLogPage: after a login and a quarter step the administrator's
// audit log lists them with Chinese action names; the filters narrow the
// list; a bad date is shown beside its field with what was typed.
func TestAuditLogPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, staff := f.login("admin"), f.login("staff")
	town := "/towns/" + url.PathEscape(demo.TownName) + "/quarter/"
	res, body := f.post(town+"compute", url.Values{"as_of": {"2023-10-08T09:00"}}, staff)
	wantStatus(t, "compute", res, body, 303)

	res, body = f.get("/audit", admin)
	wantStatus(t, "audit log", res, body, 200, "操作日志", `<th aria-sort="descending"><a class="sort" href="/audit?sort=at">时间`, `<a class="sort" href="/audit?sort=user">用户</a>`,
		`<a class="sort" href="/audit?sort=action">操作</a>`, "<th>对象</th><th>说明</th>",
		"<td>staff</td><td>计算季度结果</td><td>"+demo.TownName+" 2023年第3季度", "<td>admin</td><td>登录</td>", "<td>创建账号</td>",
		`href="/audit" aria-current="page"`, clock.Format("2006-01-02"))
	if strings.Contains(body, "<td>login</td>") || strings.Contains(body, "quarter_computed") && !strings.Contains(body, `value="quarter_computed"`) {
		t.Errorf("an action is shown by its key:\n%s", body)
	}

	res, body = f.get("/audit?action=quarter_computed", admin)
	wantStatus(t, "by action", res, body, 200, "计算季度结果", `<option value="quarter_computed" selected>`)
	if strings.Contains(body, "<td>登录</td>") {
		t.Errorf("filtered by action, the list still shows logins:\n%s", body)
	}
	res, body = f.get("/audit?user=admin", admin)
	wantStatus(t, "by user", res, body, 200, "<td>admin</td><td>登录</td>")
	if strings.Contains(body, "<td>staff</td>") {
		t.Errorf("filtered by user, the list still shows staff:\n%s", body)
	}
	day := clock.Format("2006-01-02")
	res, body = f.get("/audit?from="+day+"&to="+day, admin)
	wantStatus(t, "on the day", res, body, 200, "计算季度结果")
	res, body = f.get("/audit?to=2000-01-01", admin)
	wantStatus(t, "before everything", res, body, 200, "没有符合条件的记录")

	res, body = f.get("/audit?from="+url.QueryEscape("十月一日"), admin)
	wantStatus(t, "bad date", res, body, 400, `value="十月一日"`, "请按 2023-10-08 的格式填写日期")

	// Paging: one entry a page, the next page older than the first.
	f.server.PageSize = 1
	res, body = f.get("/audit?action=login", admin)
	wantStatus(t, "first page", res, body, 200, "第 1 / 2 页", `href="/audit?action=login&amp;page=2" rel="next"`, "<td>staff</td><td>登录</td>")
	if n := strings.Count(body, "<tr><td>"); n != 1 {
		t.Errorf("page of one shows %d rows", n)
	}
	res, body = f.get("/audit?action=login&page=2", admin)
	wantStatus(t, "older page", res, body, 200, "<td>admin</td><td>登录</td>", `<option value="login" selected>`)
	if strings.Contains(body, "<td>staff</td>") {
		t.Errorf("the older page repeats the first:\n%s", body)
	}

	// Another town's entry: the district reads it, this town's admin not.
	f.server.PageSize = 50
	if err := f.db.AppendAudit(context.Background(), clock, "bs_admin", "quarter_published", "quarter:白石镇/2023Q3", "别镇的公示"); err != nil {
		t.Fatal(err)
	}
	res, body = f.get("/audit", admin)
	if res.StatusCode != 200 || strings.Contains(body, "别镇的公示") {
		t.Errorf("the town's admin sees another town's entry:\n%s", body)
	}
	res, body = f.get("/audit", f.login("district"))
	wantStatus(t, "district", res, body, 200, "全部镇街", "计算季度结果", "别镇的公示")
	res, body = f.get("/audit", staff)
	wantStatus(t, "staff", res, body, 403, "没有权限")
}
