package web_test

import (
	"cmp"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// cellsOf returns the cells of column col (from 0) of the table of a page
// whose opening tag starts with table.
func cellsOf(body, table string, col int) []string {
	i := strings.Index(body, table)
	if i < 0 {
		return nil
	}
	body = body[i:]
	body = body[strings.Index(body, "<tbody>"):strings.Index(body, "</tbody>")]
	var out []string
	for _, tr := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(body, -1) {
		tds := regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(tr[1], -1)
		if col < len(tds) {
			out = append(out, html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(tds[col][1], "")))
		}
	}
	return out
}

// linkTo returns the link of the anchor whose text is text (unescaped).
func linkTo(body, text string) string {
	m := regexp.MustCompile(`href="([^"]*)"[^>]*>` + regexp.QuoteMeta(text) + `<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// qs002July is the list of QS002's events of July: more than a page.
const qs002July = "/records/events?worker=QS002&from=2023-07-01&to=2023-07-31"

// staffList returns a new fixture, the staff's session, and the page at
// path as the staff see it.
func staffList(t *testing.T, path string) (f *fixture, staff, body string) {
	t.Helper()
	f = newFixture(t)
	staff = f.login("staff")
	_, body = f.get(path, staff)
	return f, staff, body
}

// TestRecordsSortLinks: a column's header sorts the list by it, ascending
// and then descending, marked with an arrow and aria-sort, keeping the
// filters; the pages, the filter form and the download keep the order; an
// order by anything else is ignored.
func TestRecordsSortLinks(t *testing.T) {
	t.Parallel()
	base := qs002July
	f, staff, body := staffList(t, base)
	if !strings.Contains(body, `<th aria-sort="descending"><a class="sort" href="/records/events?from=2023-07-01&amp;sort=reported_at&amp;to=2023-07-31&amp;worker=QS002">上报时间<span aria-hidden="true"> ↓</span></a></th>`) {
		t.Error("the default order (newest first) is not marked on 上报时间, or it does not sort ascending")
	}
	asc := linkTo(body, "事件类别")
	if asc != "/records/events?from=2023-07-01&sort=category&to=2023-07-31&worker=QS002" {
		t.Fatalf("事件类别 sorts by %q", asc)
	}
	if strings.Contains(body, `sort=name"`) || strings.Contains(body, ">操作</a>") {
		t.Error("the worker's name or the actions column offer a sort")
	}
	_, body = f.get(asc, staff)
	if !strings.Contains(body, `<th aria-sort="ascending"><a class="sort" href="/records/events?dir=desc&amp;from=2023-07-01&amp;sort=category&amp;to=2023-07-31&amp;worker=QS002">事件类别<span aria-hidden="true"> ↑</span>`) {
		t.Fatal("sorted by 事件类别: no ascending mark, or no link to sort it descending")
	}
	if strings.Count(body, "aria-sort=") != 1 {
		t.Errorf("%d columns marked sorted", strings.Count(body, "aria-sort="))
	}
	cats := cellsOf(body, `<table class="table records`, 5)
	if len(cats) != 50 || !slices.IsSorted(cats) {
		t.Errorf("page 1 by 事件类别 ascending: %q", cats)
	}
	for _, want := range []string{
		`href="/export/records/events?from=2023-07-01&amp;sort=category&amp;to=2023-07-31&amp;worker=QS002">导出 Excel`,
		`href="/records/events?from=2023-07-01&amp;page=2&amp;sort=category&amp;to=2023-07-31&amp;worker=QS002" rel="next"`,
		`<input type="hidden" name="sort" value="category">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("sorted page lacks %s", want)
		}
	}
	_, page2 := f.get(linkTo(body, "下一页"), staff)
	more := cellsOf(page2, `<table class="table records`, 5)
	if len(more) == 0 || more[0] < cats[len(cats)-1] {
		t.Errorf("page 2 does not go on where page 1 ended: %q after %q", more, cats[len(cats)-1])
	}
	_, body = f.get(base+"&sort=category&dir=desc", staff)
	if cats := cellsOf(body, `<table class="table records`, 5); !slices.IsSortedFunc(cats, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("by 事件类别 descending: %q", cats)
	}
	_, body = f.get(base+"&sort=category&dir=desc", staff)
	if !strings.Contains(body, `<th aria-sort="descending"><a class="sort" href="/records/events?from=2023-07-01&amp;sort=category&amp;to=2023-07-31&amp;worker=QS002">事件类别`) {
		t.Error("sorted descending: the header does not sort ascending again")
	}
	for _, bad := range []string{"password_hash", "reported_at;DROP TABLE events", "name"} {
		res, body := f.get(base+"&sort="+url.QueryEscape(bad), staff)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `<th aria-sort="descending"><a class="sort" href="/records/events?from=2023-07-01&amp;sort=reported_at`) {
			t.Errorf("sort=%s: status %d, or not the default order", bad, res.StatusCode)
		}
	}
}

// TestWorkersAndAuditSortLinks: the workers list sorts by score (those
// without one last) and the audit log by user, both ways.
func TestWorkersAndAuditSortLinks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.login("staff")
	_, body := f.get("/workers", staff)
	if !strings.Contains(body, `<th aria-sort="ascending"><a class="sort" href="/workers?dir=desc&amp;sort=id">工号`) ||
		linkTo(body, "总分") != "/workers?sort=total" || !strings.Contains(body, `<th class="num"><a class="sort" href="/workers?sort=total">总分</a></th>`) {
		t.Fatalf("the workers list's headers:\n%s", body[strings.Index(body, "<thead>"):strings.Index(body, "</thead>")])
	}
	for _, dir := range []string{"", "desc"} {
		_, body := f.get("/workers?sort=total&dir="+dir, staff)
		totals := cellsOf(body, `<table class="table workers`, 4)
		var scored []string
		for i, v := range totals {
			if v == "—" {
				if slices.ContainsFunc(totals[i:], func(v string) bool { return v != "—" }) {
					t.Errorf("dir %q: a worker without a score before one with: %q", dir, totals)
				}
				break
			}
			scored = append(scored, v)
		}
		order := func(a, b string) int { return cmp.Compare(number(a), number(b)) }
		if dir == "desc" {
			order = func(a, b string) int { return cmp.Compare(number(b), number(a)) }
		}
		if len(scored) < 10 || !slices.IsSortedFunc(scored, order) {
			t.Errorf("dir %q: totals %q", dir, totals)
		}
	}
	_, body = f.get("/workers?sort=town", staff)
	if strings.Contains(body, "sort=town") || strings.Contains(body, "<th>镇街") {
		t.Error("a town's list sorts by town")
	}

	admin := f.login("admin")
	f.login("QS001")
	_, body = f.get("/audit?sort=user&dir=desc&action=login", admin)
	users := cellsOf(body, `<table class="table" id="audit"`, 1)
	if !slices.Equal(users, []string{"staff", "admin", "QS001"}) {
		t.Errorf("logins by user descending: %q", users)
	}
	if !strings.Contains(body, `<th aria-sort="descending"><a class="sort" href="/audit?action=login&amp;sort=user">用户`) {
		t.Error("the log sorted by user descending: no mark, or no link back to ascending")
	}
}

// number reads a score as shown.
func number(s string) float64 {
	n, _ := strconv.ParseFloat(s, 64)
	return n
}

// TestPageJump: the pager links the first and last pages and has a form
// that opens a page by number, keeping the filters and the order; a page
// past the end shows the last one and a page that is not a number the
// first, each with a note, never an error page.
func TestPageJump(t *testing.T) {
	t.Parallel()
	base := qs002July + "&sort=category&dir=desc"
	f, staff, body := staffList(t, base)
	form := body[strings.Index(body, `<form class="jump"`):]
	form = form[:strings.Index(form, "</form>")]
	for _, want := range []string{
		`action="/records/events"`, `<input type="hidden" name="dir" value="desc">`, `<input type="hidden" name="from" value="2023-07-01">`,
		`<input type="hidden" name="sort" value="category">`, `<input type="hidden" name="to" value="2023-07-31">`,
		`<input type="hidden" name="worker" value="QS002">`, `跳至第 <input type="number" name="page" min="1" max="2"`, "/ 共 2 页",
	} {
		if !strings.Contains(form, want) {
			t.Errorf("the jump form lacks %s:\n%s", want, form)
		}
	}
	if strings.Contains(form, `name="page" value`) {
		t.Error("the jump form keeps a page number")
	}
	if linkTo(body, "末页") != "/records/events?dir=desc&from=2023-07-01&page=2&sort=category&to=2023-07-31&worker=QS002" || linkTo(body, "首页") != "" {
		t.Errorf("page 1: 末页 %q, 首页 %q", linkTo(body, "末页"), linkTo(body, "首页"))
	}
	for _, c := range []struct {
		page, shown, note string
	}{
		{"2", "第 2 / 2 页", ""},
		{"99", "第 2 / 2 页", "没有第 99 页（共 2 页），已显示最后一页。"},
		{"99999999999999999999", "第 2 / 2 页", "已显示最后一页"},
		{"abc", "第 1 / 2 页", "页码应为 1 到 2 之间的整数，已显示第 1 页。"},
		{"0", "第 1 / 2 页", "页码应为 1 到 2 之间的整数，已显示第 1 页。"},
	} {
		res, body := f.get(base+"&page="+c.page, staff)
		wantStatus(t, "page "+c.page, res, body, http.StatusOK, c.shown, c.note)
		if c.shown == "第 2 / 2 页" && (linkTo(body, "首页") == "" || !strings.Contains(body, "第 51–")) {
			t.Errorf("page %s: no link to the first page, or not the rows from 51", c.page)
		}
	}

	f.server.PageSize = 10
	res, body := f.get("/workers?q=QS&page=7", staff)
	wantStatus(t, "workers past the end", res, body, http.StatusOK, "第 3 / 3 页", "没有第 7 页（共 3 页），已显示最后一页。",
		`<form class="jump" method="get" action="/workers">`, `<input type="hidden" name="q" value="QS">`)
	f.server.PageSize = 1
	res, body = f.get("/audit?action=login&page=-3", f.login("admin"))
	wantStatus(t, "audit before the start", res, body, http.StatusOK, "第 1 / 2 页", "页码应为 1 到 2 之间的整数", `<input type="hidden" name="action" value="login">`)
	res, body = f.get("/audit?action=login&page=5", f.login("admin"))
	wantStatus(t, "audit past the end", res, body, http.StatusOK, "没有第 5 页（共 3 页），已显示最后一页。")
}
