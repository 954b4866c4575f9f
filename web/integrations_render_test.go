package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
)

// TestIntegrationsPageRenders renders the tokens' page with a sample that
// takes every branch: a token just issued, a live and a revoked one, one
// never used, a form with its message and ticks.
func TestIntegrationsPageRenders(t *testing.T) {
	admin := &gs.User{Username: "admin", DisplayName: "青山镇管理员", Role: gs.RoleTownAdmin, Town: "青山镇"}
	page := &IntegrationsPage{Page: Page{Title: "接口令牌", User: admin, Nav: "accounts"}, Town: "青山镇",
		Rows: []TokenRow{
			{ID: 2, Name: "网格E通", Scope: "写入：事件、登录", Created: "2023-10-01 09:00", CreatedBy: "admin", LastUsed: "2023-10-08 08:55", Live: true, RevokeURL: "/integrations/2/revoke"},
			{ID: 1, Name: "旧平台", Scope: "读取考核结果与预警", Created: "2023-07-01 09:00", CreatedBy: "admin", Revoked: "2023-09-01 10:00", RevokedBy: "admin"},
		},
		Form:     TokenForm{Name: "x", Read: true, Error: "名称有误"},
		Platform: []KindChoice{{Name: "events", Title: "事件", Checked: true}},
		Center:   []KindChoice{{Name: "findings", Title: "核查记录"}},
		Issued:   &IssuedToken{Name: "网格E通", Secret: "gsapi_abc", Scope: "写入：事件"},
		Notice:   "已吊销", DocURL: "/api/v1/openapi.json"}
	rec := httptest.NewRecorder()
	if err := (&Server{}).render(rec, httptest.NewRequest("GET", "/", nil), 200, "integrations", page); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	for _, bad := range []string{"<no value>", "%!", "ZgotmplZ"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	for _, want := range []string{"gsapi_abc", `action="/integrations/2/revoke"`, "从未使用", "已吊销", `value="events" checked`, "名称有误", `name="read" value="1" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Count(body, `/revoke"`) != 1 {
		t.Errorf("a revoked token can be revoked again:\n%s", body)
	}
}
