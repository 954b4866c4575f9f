package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/csvfile"
)

// TestImportTemplates downloads the import templates from the import page
// as town staff: the page links them, the whole template has a sheet per
// kind, one kind's has its sheet alone; a grid worker may not download
// them, and an unknown kind is not found.
func TestImportTemplates(t *testing.T) {
	f := newFixture(t)
	staff := f.login("staff")
	_, page := f.get("/import", staff)
	for _, link := range []string{`href="/templates/import.xlsx"`, `href="/templates/events.xlsx"`, `href="/templates/calendar.xlsx"`} {
		if !strings.Contains(page, link) {
			t.Errorf("the import page has no link %s", link)
		}
	}
	all, _ := f.downloadList("/templates/import.xlsx", staff)
	if got, want := len(all.GetSheetList()), len(csvfile.TemplateKinds()); got != want {
		t.Errorf("the whole template has %d sheets, want %d", got, want)
	}
	one, rows := f.downloadList("/templates/events.xlsx", staff)
	if got := one.GetSheetList(); len(got) != 1 || got[0] != "事件" || rows[0][0] != "事件编号" || !strings.HasPrefix(rows[1][0], "必填。") {
		t.Errorf("events template: sheets %q, rows %q", got, rows)
	}
	res, _ := f.get("/templates/events.xlsx", staff)
	if name := fileName(t, res); name != "导入模板-事件.xlsx" {
		t.Errorf("file name %q", name)
	}
	if res, _ := f.get("/templates/公文.xlsx", staff); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown kind: status %d, want 404", res.StatusCode)
	}
	worker := f.login("QS001")
	if res, _ := f.get("/templates/import.xlsx", worker); res.StatusCode != http.StatusForbidden {
		t.Errorf("grid worker: status %d, want 403", res.StatusCode)
	}
	if res, _ := f.get("/templates/import.xlsx", ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: status %d, want a redirect to the login", res.StatusCode)
	}
}
