package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/store/storetest"
	"github.com/gridscore/gridscore/web"
)

// apiToken creates a token of the demo town as its administrator and
// returns its secret.
func (f *fixture) apiToken(name string, write []string, read bool) string {
	f.t.Helper()
	ctx := app.WithActor(context.Background(), "admin")
	made, err := f.server.Service.CreateAPIToken(ctx, f.user("admin"), name, write, read, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	return made.Secret
}

// unlimited lifts the API's rate bound, for tests of many requests.
func (f *fixture) unlimited() {
	f.server.APIRate = web.APIRate{PerSecond: 1e6, Burst: 1e6}
	f.handler = f.server.Handler()
}

// api sends a request of the API with the token ("" for none) and a JSON
// body ("" for none), and returns the response and its body.
func (f *fixture) api(method, path, token, body string) (*http.Response, string) {
	f.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return f.do(req)
}

// apiErr decodes the body of an error of the API.
func apiErr(t *testing.T, body string) web.APIErrorBody {
	t.Helper()
	var e web.APIErrorBody
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == "" {
		t.Fatalf("not an error of the API: %v\n%s", err, body)
	}
	return e
}

// push sends records of kind and decodes the answer, failing the test
// unless they are written.
func (f *fixture) push(token, kind, body string) web.WriteResult {
	f.t.Helper()
	t := f.t
	res, body := f.api("POST", "/api/v1/records/"+kind, token, body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200\n%s", res.StatusCode, body)
	}
	var w web.WriteResult
	if err := json.Unmarshal([]byte(body), &w); err != nil {
		t.Fatal(err)
	}
	return w
}

// allKinds lists every kind the API writes.
func allKinds() []string {
	var ks []string
	for _, k := range app.APIKinds() {
		ks = append(ks, k.Name)
	}
	return ks
}

// event is a JSON event of demo worker QS001 in the demo quarter.
func event(id, flow string) string {
	return fmt.Sprintf(`{"event_id": %q, "worker_id": "QS001", "flow": %q, "category": "矛盾纠纷", "reported_at": "2023-09-20 10:00"}`, id, flow)
}

func TestAPITokens(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			f := newFixtureAt(t, b.Target(t))
			secret := f.apiToken("网格E通", []string{"events"}, true)
			session := f.login("admin")

			res, body := f.api("GET", "/api/v1/token", secret, "")
			if res.StatusCode != http.StatusOK || !strings.Contains(body, `"name":"网格E通"`) || !strings.Contains(body, `"town":"青山镇"`) {
				t.Fatalf("the token's own answer: %d\n%s", res.StatusCode, body)
			}
			for _, tc := range []struct {
				name  string
				setup func(*http.Request)
			}{
				{"no token", func(*http.Request) {}},
				{"a token made up", func(r *http.Request) { r.Header.Set("Authorization", "Bearer gsapi_"+strings.Repeat("A", 43)) }},
				{"the token without Bearer", func(r *http.Request) { r.Header.Set("Authorization", secret) }},
				{"the administrator's session", func(r *http.Request) { withSession(r, session) }},
				{"the session's token as a bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+session) }},
			} {
				req := httptest.NewRequest("GET", "/api/v1/token", nil)
				tc.setup(req)
				res, body := f.do(req)
				if res.StatusCode != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s: status %d, want 401 with WWW-Authenticate\n%s", tc.name, res.StatusCode, body)
				}
				apiErr(t, body)
			}

			// A token never opens a page: it is sent to the login form.
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Authorization", "Bearer "+secret)
			if res, _ := f.do(req); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("a page with the token: status %d, location %q; want the login form", res.StatusCode, res.Header.Get("Location"))
			}

			// The list shows the token's last use; revoked, it authorizes nothing.
			_, page := f.get("/integrations", session)
			if !strings.Contains(page, "网格E通") || !strings.Contains(page, "写入：事件；读取考核结果与预警") || strings.Contains(page, "从未使用") {
				t.Errorf("the tokens' page lacks the token, its scope or its last use:\n%s", page)
			}
			if strings.Contains(page, secret) {
				t.Error("the tokens' page shows the secret again")
			}
			ts, err := f.server.Service.APITokens(context.Background(), f.user("admin"))
			if err != nil || len(ts) != 1 || ts[0].LastUsedAt.IsZero() {
				t.Fatalf("tokens = %+v, %v; want one, used", ts, err)
			}
			res, body = f.post(fmt.Sprintf("/integrations/%d/revoke", ts[0].ID), nil, session)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("revoke: %d\n%s", res.StatusCode, body)
			}
			if res, body := f.api("GET", "/api/v1/token", secret, ""); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("a revoked token: status %d, want 401\n%s", res.StatusCode, body)
			}
			_, page = f.get("/integrations", session)
			if !strings.Contains(page, "已吊销") {
				t.Errorf("the tokens' page does not show the revocation:\n%s", page)
			}
			_, audit := f.get("/audit", session)
			for _, want := range []string{"创建接口令牌", "吊销接口令牌"} {
				if !strings.Contains(audit, want) {
					t.Errorf("the audit log lacks %q", want)
				}
			}
		})
	}
}

func TestAPITokenPage(t *testing.T) {
	f := newFixture(t)
	admin, staff := f.login("admin"), f.login("staff")
	if res, _ := f.get("/integrations", staff); res.StatusCode != http.StatusForbidden {
		t.Errorf("the staff on the tokens' page: status %d, want 403", res.StatusCode)
	}
	res, body := f.post("/integrations", map[string][]string{"name": {""}, "write": {"events"}}, admin)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请填写令牌名称") || !strings.Contains(body, `value="events" checked`) {
		t.Errorf("a token without a name: status %d, the message or the ticks lost\n%s", res.StatusCode, body)
	}
	res, body = f.post("/integrations", map[string][]string{"name": {"平台"}, "write": {"events", "logins"}, "read": {"1"}}, admin)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "gsapi_") || !strings.Contains(body, "写入：事件、登录；读取考核结果与预警") {
		t.Fatalf("create: status %d, no secret or scope shown\n%s", res.StatusCode, body)
	}
	i := strings.Index(body, "gsapi_")
	secret := body[i : i+len("gsapi_")+43]
	if res, body := f.api("GET", "/api/v1/token", secret, ""); res.StatusCode != http.StatusOK {
		t.Errorf("the secret shown does not authorize: %d\n%s", res.StatusCode, body)
	}
	res, body = f.post("/integrations", map[string][]string{"name": {"平台"}, "read": {"1"}}, admin)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已有名为“平台”的接口令牌") {
		t.Errorf("a second live token of the same name: status %d\n%s", res.StatusCode, body)
	}
	// Valid a year unless chosen otherwise: the list says until when.
	if until := "至 " + clock.AddDate(1, 0, 0).In(gs.CST).Format("2006-01-02 15:04"); !strings.Contains(body, until) ||
		!strings.Contains(body, `<option value="12" selected>1 年</option>`) {
		t.Errorf("the tokens' page does not say %q, or does not offer a year first\n%s", until, body)
	}
	res, body = f.post("/integrations", map[string][]string{"name": {"短期"}, "read": {"1"}, "months": {"3"}}, admin)
	if until := "至 " + clock.AddDate(0, 3, 0).In(gs.CST).Format("2006-01-02 15:04"); res.StatusCode != http.StatusOK || !strings.Contains(body, until) {
		t.Errorf("a token of 3 months: status %d, the list lacks %q\n%s", res.StatusCode, until, body)
	}
	res, body = f.post("/integrations", map[string][]string{"name": {"长期"}, "read": {"1"}, "months": {"120"}}, admin)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "有效期只能选") {
		t.Errorf("a token of ten years: status %d, want 400 naming the terms\n%s", res.StatusCode, body)
	}
}

func TestAPIPushIsIdempotent(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			f := newFixtureAt(t, b.Target(t))
			secret := f.apiToken("网格E通", []string{"events"}, false)
			batch := "[" + event("API-1", "reported") + "," + event("API-2", "self_handled") + "]"
			if got := f.push(secret, "events", batch); got != (web.WriteResult{Kind: "events", Received: 2, Inserted: 2}) {
				t.Errorf("first push: %+v, want 2 inserted", got)
			}
			v, _ := f.db.DataVersion(context.Background())
			if got := f.push(secret, "events", batch); got != (web.WriteResult{Kind: "events", Received: 2, Unchanged: 2}) {
				t.Errorf("the same push again: %+v, want 2 unchanged", got)
			}
			if again, _ := f.db.DataVersion(context.Background()); again != v {
				t.Errorf("the push repeated changed the records' version: %d → %d", v, again)
			}
			batch = "[" + event("API-1", "assigned") + "]"
			if got := f.push(secret, "events", batch); got != (web.WriteResult{Kind: "events", Received: 1, Updated: 1}) {
				t.Errorf("a changed event: %+v, want 1 updated", got)
			}
			recs, err := f.db.Record(context.Background(), "events", "API-1")
			if err != nil || len(recs.Events) != 1 || recs.Events[0].Flow != gs.FlowAssigned {
				t.Errorf("stored: %+v, %v", recs, err)
			}
			entries, err := f.db.Audit(context.Background(), gs.AuditFilter{Action: gs.AuditAPIWrite})
			if err != nil || len(entries) != 3 || entries[0].Username != "接口：网格E通" ||
				entries[0].Detail != "事件：收到 1 条，新增 0、更新 1、未变 0" {
				t.Errorf("audit: %+v, %v; want 3 writes by 接口：网格E通", entries, err)
			}
		})
	}
}

// TestAPIRefusals: a request the API does not take gets the status that
// says why, a JSON error naming the item and the key at fault, and writes
// nothing.
func TestAPIRefusals(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			f := newFixtureAt(t, b.Target(t))
			secret := f.apiToken("平台", []string{"events", "visits"}, false)
			good := event("API-9", "reported")
			tests := []struct {
				name, method, path, ctype, body string
				status                          int
				items                           []web.APIItemError
			}{
				{"unknown route", "GET", "/api/v1/records", "", "", 404, nil},
				{"unknown kind", "POST", "/api/v1/records/tasks", "application/json", "[]", 404, nil},
				{"wrong method", "GET", "/api/v1/records/events", "", "", 405, nil},
				{"a kind outside the token", "POST", "/api/v1/records/ballots", "application/json", "[]", 403, nil},
				{"reading without permission", "GET", "/api/v1/quarters/2023Q3/result", "", "", 403, nil},
				{"not JSON", "POST", "/api/v1/records/events", "text/csv", good, 415, nil},
				{"no array", "POST", "/api/v1/records/events", "application/json", good, 400, nil},
				{"too many records", "POST", "/api/v1/records/events", "application/json",
					"[" + strings.Repeat(good+",", app.MaxAPIItems) + good + "]", 413, nil},
				{"too large a body", "POST", "/api/v1/records/events", "application/json",
					`[{"event_id": "` + strings.Repeat("x", app.MaxAPIBytes) + `"}]`, 413, nil},
				{"mistakes, named", "POST", "/api/v1/records/events", "application/json", "[" + good + "," +
					`{"event_id": "API-10", "worker_id": "QS001", "flow": "reported", "reported_at": "2023-09-31 10:00"},` +
					`{"event_id": "API-11", "worker_id": "QS999", "flow": "上报", "reported_at": "2023-09-20 10:00", "irregular": "否"}]`, 422,
					[]web.APIItemError{
						{Index: 1, Field: "reported_at", Message: `日期不存在："2023-09-31 10:00"`},
						{Index: 2, Field: "irregular", Message: `应为 true 或 false，不是字符串 "否"`},
					}},
				{"an unknown worker", "POST", "/api/v1/records/events", "application/json",
					"[" + good + `,{"event_id": "API-11", "worker_id": "QS999", "flow": "上报", "reported_at": "2023-09-20 10:00"}]`, 422,
					[]web.APIItemError{{Index: 1, Field: "worker_id", Message: `工号 "QS999" 没有对应的网格员`}}},
				{"a visit to nobody on the register", "POST", "/api/v1/records/visits", "application/json",
					`[{"visit_id": "V-API-1", "person_id": "SP9999", "worker_id": "QS001", "visited_at": "2023-09-20 10:00"}]`, 422,
					[]web.APIItemError{{Index: 0, Field: "person_id", Message: `人员编号 "SP9999" 不在特殊人群登记中`}}},
			}
			before, err := f.db.Counts(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, tt := range tests {
				req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
				if tt.ctype != "" {
					req.Header.Set("Content-Type", tt.ctype)
				}
				req.Header.Set("Authorization", "Bearer "+secret)
				res, body := f.do(req)
				if res.StatusCode != tt.status {
					t.Errorf("%s: status %d, want %d\n%.300s", tt.name, res.StatusCode, tt.status, body)
					continue
				}
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("%s: content type %q", tt.name, ct)
				}
				e := apiErr(t, body)
				if tt.items != nil && fmt.Sprint(e.Items) != fmt.Sprint(tt.items) {
					t.Errorf("%s: items\n%+v\nwant\n%+v", tt.name, e.Items, tt.items)
				}
			}
			after, err := f.db.Counts(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("refused requests wrote records: %v → %v", before, after)
			}
		})
	}
}

func TestAPIRate(t *testing.T) {
	f := newFixture(t)
	f.server.APIRate = web.APIRate{PerSecond: 0.01, Burst: 2}
	f.handler = f.server.Handler()
	secret := f.apiToken("网格E通", []string{"events"}, false)
	for i := range 3 {
		res, body := f.api("GET", "/api/v1/token", secret, "")
		switch {
		case i < 2 && res.StatusCode != http.StatusOK:
			t.Errorf("request %d: status %d\n%s", i, res.StatusCode, body)
		case i == 2 && (res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "100"):
			t.Errorf("request %d past the burst: status %d, Retry-After %q; want 429 after 100 s\n%s", i, res.StatusCode, res.Header.Get("Retry-After"), body)
		}
	}
	other := f.apiToken("平台", []string{"events"}, false)
	if res, _ := f.api("GET", "/api/v1/token", other, ""); res.StatusCode != http.StatusOK {
		t.Errorf("another token is held back too: %d", res.StatusCode)
	}
}

func TestAPIReads(t *testing.T) {
	f := newFixture(t)
	secret := f.apiToken("区平台", nil, true)
	res, body := f.api("GET", "/api/v1/quarters/2023Q3/result?as_of=2023-10-08%2009:00", secret, "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("result: %d\n%s", res.StatusCode, body)
	}
	var got gs.Result
	if err := json.Unmarshal([]byte(body), &got); err != nil || got.Quarter != "2023Q3" || len(got.Workers) != len(demo.Town(1).Workers) {
		t.Fatalf("result: %v, %d workers\n%.500s", err, len(got.Workers), body)
	}
	want, err := f.server.Service.AssessTown(context.Background(), demo.TownName, demo.Quarter(), demo.AsOf())
	if err != nil {
		t.Fatal(err)
	}
	var wantJSON strings.Builder
	if err := app.WriteResultJSON(&wantJSON, want); err != nil {
		t.Fatal(err)
	}
	if body != wantJSON.String() {
		t.Errorf("the API's result differs from the assessment's JSON")
	}
	res, body = f.api("GET", "/api/v1/quarters/2023Q3/workers/QS013?as_of=2023-10-08T09:00:00%2B08:00", secret, "")
	if err := json.Unmarshal([]byte(body), &got); res.StatusCode != http.StatusOK || err != nil || len(got.Workers) != 1 || got.Workers[0].WorkerID != "QS013" {
		t.Errorf("one worker: %d %v\n%.300s", res.StatusCode, err, body)
	}
	for path, status := range map[string]int{
		"/api/v1/quarters/2023Q3/workers/QS999":              404,
		"/api/v1/quarters/2023Q9/result":                     400,
		"/api/v1/quarters/2023Q3/result?as_of=tomorrow":      400,
		"/api/v1/quarters/2023Q3/result?town=" + "白云镇":       403,
		"/api/v1/warnings?as_of=2023-08-15%2009:00&town=青山镇": 200,
		"/api/v1/warnings?as_of=2023-08-15T09:00:00+08:00":   200, // the '+' of the documented form unescaped
	} {
		if res, body := f.api("GET", path, secret, ""); res.StatusCode != status {
			t.Errorf("%s: status %d, want %d\n%.300s", path, res.StatusCode, status, body)
		}
	}
	_, body = f.api("GET", "/api/v1/warnings?as_of=2023-08-15%2009:00", secret, "")
	if !strings.Contains(body, `"quarter": "2023Q3"`) || !strings.Contains(body, `"rule_name"`) {
		t.Errorf("warnings:\n%.500s", body)
	}
}

// TestAPITownScope: a token of one town neither writes records of another
// town's workers, grids or keys, nor visits to another town's registered
// persons (which that town's assessment would count), nor the district's,
// nor reads another town's results; what it is refused names the item and
// the key.
func TestAPITownScope(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			f := newFixtureAt(t, b.Target(t))
			ctx := context.Background()
			var other *gs.Records
			err := gen.Generate(gen.Options{Workers: 12, Quarter: demo.Quarter(), Seed: 5}, func(recs *gs.Records) error {
				recs.Calendar = nil
				cp := *recs
				other = &cp
				_, err := f.db.Import(ctx, recs, nil)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			town := other.Grids[0].Town
			w, ev := other.Workers[0], other.Events[0]
			secret := f.apiToken("网格E通", allKinds(), true)
			before, err := f.db.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name, kind, body, field string
			}{
				{"an event of another town's worker", "events",
					fmt.Sprintf(`[%s, {"event_id": "API-X", "worker_id": %q, "flow": "reported", "reported_at": "2023-09-20 10:00"}]`, event("API-1", "reported"), w.ID), "worker_id"},
				{"another town's event id, with one of our workers", "events",
					fmt.Sprintf(`[%s, {"event_id": %q, "worker_id": "QS001", "flow": "reported", "reported_at": "2023-09-20 10:00"}]`, event("API-1", "reported"), ev.ID), "event_id"},
				{"a person on another town's grid", "register",
					fmt.Sprintf(`[{}, {"person_id": "SP-API", "category": "drug", "grid_code": %q, "entered_at": "2023-07-01 09:00"}]`, w.GridCode), "grid_code"},
				{"a visit by one of our workers to a person on another town's register", "visits",
					fmt.Sprintf(`[{}, {"visit_id": "V-API", "person_id": %q, "worker_id": "QS001", "visited_at": "2023-09-20 10:00"}]`, other.Register[0].PersonID), "person_id"},
				{"a grid of another town", "grids", fmt.Sprintf(`[{}, {"grid_code": "G-API", "grid_name": "新网格", "town": %q}]`, town), "town"},
				{"a day of the district", "calendar", `[{}, {"date": "2023-09-29", "kind": "holiday"}]`, "town"},
			} {
				body := strings.Replace(tc.body, "[{}, ", "[", 1)
				index := 1
				if body != tc.body {
					index = 0
				}
				res, out := f.api("POST", "/api/v1/records/"+tc.kind, secret, body)
				e := apiErr(t, out)
				if res.StatusCode != http.StatusForbidden || len(e.Items) != 1 || e.Items[0].Index != index || e.Items[0].Field != tc.field {
					t.Errorf("%s: status %d, items %+v; want 403 naming item %d, %s", tc.name, res.StatusCode, e.Items, index, tc.field)
				}
			}
			if after, _ := f.db.Counts(ctx); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("refused requests wrote records: %v → %v", before, after)
			}
			// Our records written outdate our live results, not the other
			// town's.
			ours, _ := f.db.TownVersion(ctx, demo.TownName)
			theirs, _ := f.db.TownVersion(ctx, town)
			f.push(secret, "events", "["+event("API-1", "reported")+"]")
			if v, _ := f.db.TownVersion(ctx, demo.TownName); v == ours {
				t.Errorf("our records written left our version at %d", v)
			}
			if v, _ := f.db.TownVersion(ctx, town); v != theirs {
				t.Errorf("our records written moved the other town's version %d → %d", theirs, v)
			}

			for _, path := range []string{
				"/api/v1/quarters/2023Q3/workers/" + w.ID,
				"/api/v1/quarters/2023Q3/result?town=" + url.QueryEscape(town),
				"/api/v1/warnings?town=" + url.QueryEscape(town),
			} {
				if res, out := f.api("GET", path, secret, ""); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s: status %d, want 403\n%.200s", path, res.StatusCode, out)
				}
			}
			_, out := f.api("GET", "/api/v1/quarters/2023Q3/result", secret, "")
			var res gs.Result
			if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Workers) == 0 {
				t.Fatalf("our result: %v\n%.200s", err, out)
			}
			for _, wr := range res.Workers {
				if wr.Town != demo.TownName {
					t.Errorf("our result lists %s of %s", wr.WorkerID, wr.Town)
				}
			}

			// The other town's token sees none of ours either.
			made, err := f.server.Service.CreateAPIToken(app.WithActor(ctx, "admin2"),
				&gs.User{Username: "admin2", Role: gs.RoleTownAdmin, Town: town}, "平台", []string{"events"}, true, 0)
			if err != nil {
				t.Fatal(err)
			}
			if res, out := f.api("GET", "/api/v1/quarters/2023Q3/workers/QS001", made.Secret, ""); res.StatusCode != http.StatusForbidden {
				t.Errorf("the other town's token reading QS001: status %d\n%.200s", res.StatusCode, out)
			}
			if res, out := f.api("POST", "/api/v1/records/events", made.Secret, "["+event("API-2", "reported")+"]"); res.StatusCode != http.StatusForbidden {
				t.Errorf("the other town's token writing for QS001: status %d\n%.200s", res.StatusCode, out)
			}
		})
	}
}
