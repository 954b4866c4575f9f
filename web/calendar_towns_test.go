package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
)

// TestCalendarPagesByTown (issue 13): the district enters a calendar day
// for 全区 or for a town, choosing in its form; a town's form fills in its
// own town. 青山镇 lists and opens the district's day, marked 全区, read
// only, and may neither save nor delete it; another town's administrator
// cannot open 青山镇's day, nor save it.
func TestCalendarPagesByTown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if err := f.auth.CreateUser(context.Background(), &gs.User{Username: "bs", DisplayName: "白石镇管理员",
		Role: gs.RoleTownAdmin, Town: "白石镇"}, password); err != nil {
		t.Fatal(err)
	}
	district, admin, bs := f.login("district"), f.login("admin"), f.login("bs")

	_, form := f.get("/records/calendar/new", district)
	for _, want := range []string{`<select id="f-town" name="town">`, `<option value="">全区（所有镇街）</option>`, `<option value="青山镇">青山镇</option>`} {
		if !strings.Contains(form, want) {
			t.Errorf("the district's form lacks %q", want)
		}
	}
	if got := f.mustSave(district, "/records/calendar", url.Values{"date": {"2023-08-12"}, "kind": {"workday"}, "name": {"全区防汛值班"}}); got != "/records/calendar/2023-08-12?saved=1" {
		t.Errorf("the district's day saved at %s", got)
	}
	_, form = f.get("/records/calendar/new", admin)
	if !strings.Contains(form, `<input id="f-town" name="town" value="青山镇" readonly>`) || !strings.Contains(form, "只对本镇街有效") {
		t.Errorf("青山镇's form does not fill in its town:\n%s", formOf(form, "record-form"))
	}

	_, list := f.get("/records/calendar?from=2023-07-01&to=2023-09-30", admin)
	if !tableRow("2023-08-12", "工作日", "全区防汛值班", "全区").MatchString(list) || !tableRow("2023-07-15", "工作日", "防汛应急值班", "青山镇").MatchString(list) ||
		!strings.Contains(list, "同一日期以镇街的为准") {
		t.Errorf("青山镇's list does not show the district's day as 全区 beside its own:\n%s", tableOf(list))
	}
	if !strings.Contains(list, `<td class="inl action"><a href="/records/calendar/2023-08-12">查看</a></td>`) || !strings.Contains(list, `2023-07-15%2F%E9%9D%92%E5%B1%B1%E9%95%87">查看/修改</a>`) {
		t.Errorf("青山镇's list offers to change the district's day, or not its own:\n%s", tableOf(list))
	}
	res, page := f.get("/records/calendar/2023-08-12", admin)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `value="全区" readonly`) || !strings.Contains(page, "镇街只能查看，不能修改或删除") ||
		strings.Contains(page, `id="delete-form"`) {
		t.Errorf("青山镇 opens the district's day: status %d, want it read only:\n%s", res.StatusCode, formOf(page, "record-form"))
	}
	for _, path := range []string{"/records/calendar/2023-08-12", "/records/calendar/2023-08-12/delete"} {
		res, body := f.post(path, url.Values{"date": {"2023-08-12"}, "kind": {"holiday"}, "reason": {"改"}}, admin)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "只有区中心可以修改或删除") {
			t.Errorf("青山镇 posts %s: status %d, want 403 saying why", path, res.StatusCode)
		}
	}

	qsDay := "/records/calendar/" + url.PathEscape("2023-09-29/青山镇")
	for _, c := range []struct{ method, path string }{{"GET", qsDay}, {"POST", qsDay}, {"POST", qsDay + "/delete"}} {
		var res *http.Response
		var body string
		if c.method == "GET" {
			res, body = f.get(c.path, bs)
		} else {
			res, body = f.post(c.path, url.Values{"kind": {"workday"}, "reason": {"改"}}, bs)
		}
		if res.StatusCode != http.StatusForbidden || strings.Contains(body, "中秋节") {
			t.Errorf("%s %s as 白石镇: status %d, want 403 showing nothing", c.method, c.path, res.StatusCode)
		}
	}
	res, body := f.post("/records/calendar", url.Values{"date": {"2023-09-29"}, "kind": {"workday"}, "town": {"青山镇"}}, bs)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "只能录入本镇街的工作日历") {
		t.Errorf("白石镇 enters a day of 青山镇: status %d, want 400 beside the town", res.StatusCode)
	}
}

// TestImportCalendarWithoutTown: the calendar.csv, one row without
// a town, is refused in the import report with the file, row and column
// and what to write instead.
func TestImportCalendarWithoutTown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login("admin")
	before := f.counts()
	path, page := f.uploadReport(admin, [2]string{"calendar.csv", "日期,类型,说明\n2023-08-12,工作日,防汛值班\n"})
	if !tableRow("calendar.csv", "2", "镇街").MatchString(page) || !strings.Contains(page, "只有区中心可以设置") ||
		!strings.Contains(page, "填写“青山镇”") {
		t.Errorf("a calendar day without a town is not refused with its place and reason:\n%s", page)
	}
	if res, _ := f.post(path+"/commit", nil, admin); res.StatusCode != http.StatusConflict {
		t.Errorf("commit of the refused day: status %d, want 409", res.StatusCode)
	}
	if got := f.counts(); got["calendar"] != before["calendar"] {
		t.Errorf("the refused day was written: %d calendar days, were %d", got["calendar"], before["calendar"])
	}
}
