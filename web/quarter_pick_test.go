package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/demo"
)

// pickerLinks returns the quarter picker's links of a page: label, state
// and whether it is the quarter shown, in order.
func pickerLinks(t *testing.T, body string) []string {
	t.Helper()
	i := strings.Index(body, `aria-label="选择季度"`)
	if i < 0 {
		t.Fatal("the page has no quarter picker")
	}
	nav := body[i : i+strings.Index(body[i:], "</nav>")]
	re := regexp.MustCompile(`<a href="\?quarter=(\d{4}Q\d)"( aria-current="page")?>([^<]+)(?:<small>([^<]*)</small>)?</a>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(nav, -1) {
		link := m[1] + " " + m[3] + " " + m[4]
		if m[2] != "" {
			link += " *"
		}
		out = append(out, strings.TrimSpace(link))
	}
	return out
}

// TestQuarterPicker: the dashboard, the worker's page and the district's
// overview offer the recent quarters as links, with the town's state of
// each (the district: how many towns filed), the quarter shown marked; a
// quarter asked for outside them is added; a state follows the quarter's
// life.
func TestQuarterPicker(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, staff := f.login("admin"), f.login("staff")
	town := "/towns/" + url.PathEscape(demo.TownName)
	_, body := f.get(town, admin)
	// Every quarter has ended by the demo's moment, none computed: 未计算,
	// not 进行中 (which is for the quarter under way).
	want := []string{"2023Q3 2023年第3季度 未计算 *", "2023Q2 2023年第2季度 未计算", "2023Q1 2023年第1季度 未计算",
		"2022Q4 2022年第4季度 未计算", "2022Q3 2022年第3季度 未计算", "2022Q2 2022年第2季度 未计算"}
	if got := pickerLinks(t, body); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("dashboard's picker:\n got %q\nwant %q", got, want)
	}
	if res, body := f.post(town+"/quarter/compute", url.Values{"as_of": {clock.Format("2006-01-02T15:04")}}, staff); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("compute: %d\n%s", res.StatusCode, body)
	}
	_, body = f.get("/workers/QS001", admin)
	if got := pickerLinks(t, body); len(got) != 6 || got[0] != "2023Q3 2023年第3季度 审核中 *" {
		t.Errorf("worker page's picker after computing: %q", got)
	}
	_, body = f.get(town+"?quarter=2021Q1", admin)
	if got := pickerLinks(t, body); len(got) != 7 || got[6] != "2021Q1 2021年第1季度 未计算 *" || strings.HasSuffix(got[0], "*") {
		t.Errorf("picker of an older quarter: %q", got)
	}
	_, body = f.get("/", f.login("district"))
	if got := pickerLinks(t, body); len(got) != 6 || got[0] != "2023Q3 2023年第3季度 已报备 0/1 *" {
		t.Errorf("district's picker: %q", got)
	}
}

// TestQuarterPickerLive: on a server following the clock the picker starts
// at the quarter running now, shown as 进行中.
func TestQuarterPickerLive(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	now := clock.AddDate(0, -2, 0) // mid-August 2023
	_, h := liveServer(t, f, &now)
	req := httptest.NewRequest(http.MethodGet, "/towns/"+url.PathEscape(demo.TownName), nil)
	withSession(req, f.login("admin"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := pickerLinks(t, rec.Body.String()); len(got) != 6 || got[0] != "2023Q3 2023年第3季度 进行中 *" || got[1] != "2023Q2 2023年第2季度 未计算" {
		t.Errorf("picker of a live server in 2023Q3: %q", got)
	}
}
