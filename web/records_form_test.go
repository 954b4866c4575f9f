package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// formOf returns the HTML of the form with id in body ("" when none).
func formOf(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</form>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// TestRecordFormsNameEachFieldOnce: no two inputs of a hand kind's form
// share a name or an id, so that what a person types in one is not read
// as the other (a leave's 事由 was once posted as the reason for the change
// and the reason typed was lost).
func TestRecordFormsNameEachFieldOnce(t *testing.T) {
	f := newFixture(t)
	admin := f.login("admin")
	names := regexp.MustCompile(`<(?:input|select|textarea)[^>]* name="([^"]+)"`)
	ids := regexp.MustCompile(` id="([^"]+)"`)
	for _, path := range []string{"/records/findings/new", "/records/quiz/new", "/records/meetings/new", "/records/leaves/new",
		"/records/calendar/new", "/records/leaves/" + url.PathEscape("QS009/2023-09-11"), "/records/quiz/CC2023-008", "/records/findings/HC2023-005"} {
		res, body := f.get(path, admin)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		seen := map[string]bool{}
		for _, m := range names.FindAllStringSubmatch(formOf(body, "record-form"), -1) {
			if seen[m[1]] && m[1] != "remove_evidence" {
				t.Errorf("%s: two fields named %q", path, m[1])
			}
			seen[m[1]] = true
		}
		seenID := map[string]bool{}
		for _, m := range ids.FindAllStringSubmatch(body, -1) {
			if seenID[m[1]] {
				t.Errorf("%s: two elements with id %q", path, m[1])
			}
			seenID[m[1]] = true
		}
	}
}

// TestLeaveChangeKeepsBothReasons: a leave changed through its form keeps
// the leave's own 事由 and writes the reason typed for the change to the
// operation log.
func TestLeaveChangeKeepsBothReasons(t *testing.T) {
	f := newFixture(t)
	admin := f.login("admin")
	path := "/records/leaves/" + url.PathEscape("QS009/2023-09-11")
	_, body := f.get(path, admin)
	form := formOf(body, "record-form")
	field := regexp.MustCompile(`<label for="([^"]+)">事由`).FindStringSubmatch(form)
	if field == nil {
		t.Fatalf("no 事由 field on the leave's form:\n%s", form)
	}
	leaveName := regexp.MustCompile(`id="` + field[1] + `" name="([^"]+)"`).FindStringSubmatch(form)
	change := regexp.MustCompile(`<label for="([^"]+)">修改原因`).FindStringSubmatch(form)
	if leaveName == nil || change == nil {
		t.Fatalf("the leave's form has no 事由 input or no 修改原因 field:\n%s", form)
	}
	changeName := regexp.MustCompile(`id="` + change[1] + `" name="([^"]+)"`).FindStringSubmatch(form)
	if changeName == nil {
		t.Fatalf("no input for the reason of the change:\n%s", form)
	}
	// The fields in the order of the page, as a browser posts them.
	post := "worker_id=QS009&from=2023-09-11&to=2023-09-12&" + url.QueryEscape(leaveName[1]) + "=" + url.QueryEscape("病假") +
		"&" + url.QueryEscape(changeName[1]) + "=" + url.QueryEscape("更正结束日期")
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(post))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	withSession(req, admin)
	res, body := f.do(req)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the leave: status %d\n%s", res.StatusCode, body)
	}
	recs, err := f.db.Record(context.Background(), "leaves", "QS009", "2023-09-11")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs.Leaves) != 1 || recs.Leaves[0].Reason != "病假" || recs.Leaves[0].To.String() != "2023-09-12" {
		t.Errorf("the leave as stored: %+v, want 事由 病假 to 2023-09-12", recs.Leaves)
	}
	_, audit := f.get("/audit", admin)
	if !strings.Contains(audit, "原因：更正结束日期") {
		t.Errorf("the operation log does not give the reason typed for the change")
	}
}

// TestAllPresentFillsTheBlanks: the attendance form's 全部出席 button shows
// the meeting's form again with every worker left blank marked present,
// keeps what was typed (an absence, the title) and saves nothing until
// 保存 is pressed.
func TestAllPresentFillsTheBlanks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login("admin")
	form := url.Values{"meeting_id": {"M-ALL"}, "held_on": {"2023-09-20"}, "title": {"专题会"},
		"att:QS013": {"absent"}, "att:QS001": {""}, "att:QS002": {""}, "all_present": {"1"}}
	res, body := f.post("/records/meetings", form, admin)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("全部出席: status %d, want 200 (the form again)", res.StatusCode)
	}
	for _, want := range []string{"尚未保存", `value="专题会"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form shown again lacks %q", want)
		}
	}
	selected := func(worker string) string {
		i := strings.Index(body, `name="att:`+worker+`"`)
		if i < 0 {
			t.Fatalf("no attendance field for %s", worker)
		}
		rest := body[i:]
		rest = rest[:strings.Index(rest, "</select>")]
		j := strings.Index(rest, " selected")
		if j < 0 {
			return ""
		}
		k := strings.LastIndex(rest[:j], `value="`)
		return rest[k+len(`value="`) : k+len(`value="`)+strings.Index(rest[k+len(`value="`):], `"`)]
	}
	if got := selected("QS001"); got != "present" {
		t.Errorf("QS001 left blank: %q selected, want present", got)
	}
	if got := selected("QS013"); got != "absent" {
		t.Errorf("QS013 typed absent: %q selected, want absent kept", got)
	}
	if res, _ := f.get("/records/meetings/M-ALL", admin); res.StatusCode != http.StatusNotFound {
		t.Errorf("the meeting was saved by 全部出席 (GET status %d, want 404)", res.StatusCode)
	}
}
