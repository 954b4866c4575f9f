package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// roles are the columns of the authorization matrix: nobody, then each
// account by username.
var roles = []string{"", "district", "admin", "staff", "QS001"}

// A route of the matrix and the status each role gets, in the order of
// roles. A 303 is also checked for where it leads.
type route struct {
	method, path string
	want         [5]int
	// to is where a 303 leads, per role ("" = not checked).
	to [5]string
}

var matrix = []route{
	{method: "GET", path: "/", want: [5]int{303, 200, 200, 200, 303}, to: [5]string{"/login?next=%2F", "", "", "", "/workers/QS001"}},
	{method: "GET", path: "/towns/青山镇", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/towns/白石镇", want: [5]int{303, 404, 403, 403, 403}},
	{method: "GET", path: "/towns/青山镇/warnings", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/towns/青山镇/warnings?as_of=2023-08-15T09:00&rule=key.visits&due=week", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/towns/白石镇/warnings", want: [5]int{303, 404, 403, 403, 403}},
	{method: "GET", path: "/workers", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/workers?q=QS0&grid=QS-01", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/workers/QS001", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/workers/QS013", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/workers/QS021", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/workers/NOBODY", want: [5]int{303, 404, 404, 404, 403}},
	// The 告知单 (notice.go): on an open quarter a page saying it is not
	// computed yet, to those who may see the worker or the town.
	{method: "GET", path: "/workers/QS001/notice", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/workers/QS013/notice", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/towns/青山镇/notices", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/towns/白石镇/notices", want: [5]int{303, 404, 403, 403, 403}},
	// The signed filing (filing.go): the package only once finalized, for
	// the town's center; the district's page for the district.
	{method: "GET", path: "/towns/青山镇/filing.zip", want: [5]int{303, 403, 409, 409, 403}},
	{method: "GET", path: "/towns/青山镇/filing-key.txt", want: [5]int{303, 403, 200, 200, 403}},
	{method: "GET", path: "/filings", want: [5]int{303, 200, 403, 403, 403}},
	{method: "POST", path: "/filings/keys", want: [5]int{401, 400, 403, 403, 403}},
	{method: "GET", path: "/password", want: [5]int{303, 200, 200, 200, 200}},
	{method: "POST", path: "/password", want: [5]int{401, 400, 400, 400, 400}},
	{method: "GET", path: "/login", want: [5]int{200, 303, 303, 303, 303}},
	{method: "POST", path: "/logout", want: [5]int{303, 303, 303, 303, 303}, to: [5]string{"/login", "/login", "/login", "/login", "/login"}},
	{method: "GET", path: "/healthz", want: [5]int{200, 200, 200, 200, 200}},
	{method: "GET", path: "/no/such/page", want: [5]int{404, 404, 404, 404, 404}},
	{method: "DELETE", path: "/workers/QS001", want: [5]int{405, 405, 405, 405, 405}},

	// The quarter's life, posted empty on an open quarter: a step the role
	// may take is refused for the state (409) or the missing field (400),
	// one it may not take with 403. A step asked for confirmation (GET, or
	// posted without it) is refused alike.
	{method: "POST", path: "/towns/青山镇/quarter/compute", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/towns/青山镇/quarter/publish", want: [5]int{401, 403, 409, 409, 403}},
	{method: "POST", path: "/towns/青山镇/quarter/finalize", want: [5]int{401, 403, 409, 403, 403}},
	{method: "POST", path: "/towns/青山镇/quarter/reopen", want: [5]int{401, 403, 409, 403, 403}},
	{method: "POST", path: "/towns/青山镇/quarter/file", want: [5]int{401, 403, 409, 403, 403}},
	{method: "POST", path: "/towns/白石镇/quarter/publish", want: [5]int{401, 403, 403, 403, 403}},
	{method: "POST", path: "/towns/青山镇/quarter/nothing", want: [5]int{401, 403, 404, 404, 403}},
	{method: "GET", path: "/towns/青山镇/quarter/publish", want: [5]int{303, 403, 409, 409, 403}},
	{method: "GET", path: "/towns/青山镇/quarter/finalize", want: [5]int{303, 403, 409, 403, 403}},
	{method: "GET", path: "/towns/青山镇/quarter/withdraw", want: [5]int{303, 403, 409, 409, 403}},
	{method: "GET", path: "/towns/白石镇/quarter/reopen", want: [5]int{303, 403, 403, 403, 403}},
	{method: "GET", path: "/towns/青山镇/quarter/compute", want: [5]int{303, 404, 404, 404, 404}},
	{method: "POST", path: "/workers/QS001/appeals", want: [5]int{401, 403, 403, 403, 400}},
	{method: "POST", path: "/workers/QS013/appeals", want: [5]int{401, 403, 403, 403, 403}},
	{method: "POST", path: "/workers/QS001/void", want: [5]int{401, 403, 409, 409, 403}},
	{method: "GET", path: "/appeals", want: [5]int{303, 200, 200, 200, 403}},
	{method: "POST", path: "/appeals/1", want: [5]int{401, 403, 400, 400, 403}},
	{method: "GET", path: "/audit", want: [5]int{303, 200, 200, 403, 403}},
	{method: "GET", path: "/audit?user=admin&action=login&from=2023-10-01&to=2023-10-08", want: [5]int{303, 200, 200, 403, 403}},
	{method: "GET", path: "/audit?from=2023-13-01", want: [5]int{303, 400, 400, 403, 403}},
	{method: "POST", path: "/audit", want: [5]int{405, 405, 405, 405, 405}},
}

// TestAuthorizationMatrix requests every route as nobody and as each role
// and checks the status: pages redirect nobody to the login form, other
// requests get 401; a grid worker gets 403 for anything but their own
// quarter; a town's center gets 403 for another town.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	runMatrix(t, matrix)
}

// runMatrix requests every route of m as nobody and as each role of roles
// on a fresh demo fixture and checks the statuses. Feature tests keep their
// own matrices and run them through it.
func runMatrix(t *testing.T, m []route) {
	t.Helper()
	f := newFixture(t)
	tokens := map[string]string{"": ""}
	for _, r := range roles[1:] {
		tokens[r] = f.login(r)
	}
	for _, rt := range m {
		for i, role := range roles {
			name := role
			if name == "" {
				name = "nobody"
			}
			t.Run(rt.method+" "+rt.path+" as "+name, func(t *testing.T) {
				target := &url.URL{Path: pathOnly(rt.path), RawQuery: queryOf(rt.path)}
				if p, err := url.PathUnescape(target.Path); err == nil && p != target.Path {
					target.Path, target.RawPath = p, target.Path // a path written escaped (a key with "/")
				}
				req := httptest.NewRequest(rt.method, target.String(), strings.NewReader(""))
				if rt.method == "POST" {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				token := tokens[role]
				if rt.path == "/logout" && role != "" {
					token = f.login(role) // a session of its own, not the one other routes use
				}
				withSession(req, token)
				res, body := f.do(req)
				if res.StatusCode != rt.want[i] {
					t.Fatalf("status %d, want %d\n%s", res.StatusCode, rt.want[i], body)
				}
				if to := rt.to[i]; to != "" && res.Header.Get("Location") != to {
					t.Errorf("redirects to %q, want %q", res.Header.Get("Location"), to)
				}
				if res.StatusCode >= 400 && !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
					t.Errorf("error answered as %q, want a Chinese HTML page", res.Header.Get("Content-Type"))
				}
				if res.StatusCode >= 400 && !regexp.MustCompile(`\p{Han}`).MatchString(body) {
					t.Errorf("error page has no Chinese text:\n%s", body)
				}
			})
		}
	}
}

func pathOnly(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}

func queryOf(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[i+1:]
	}
	return ""
}

// TestWorkerCannotSeeAnotherWorker: a grid worker who edits the URL to reach
// another worker's quarter gets a Chinese 403 page that shows nothing of that
// worker, whatever period the URL names.
func TestWorkerCannotSeeAnotherWorker(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("QS001")
	other := workerName(t, "QS013")
	for _, path := range []string{
		"/workers/QS013",
		"/workers/QS013?quarter=2023Q3&as_of=2023-10-08T09:00",
		"/workers/QS013?quarter=2023Q2",
		"/towns/" + url.PathEscape("青山镇"),
		"/workers?q=QS013",
	} {
		res, body := f.get(path, token)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", path, res.StatusCode)
		}
		for _, leak := range []string{other, "QS-13", "438.00"} {
			if strings.Contains(body, leak) {
				t.Errorf("%s: the 403 page shows %q of QS013", path, leak)
			}
		}
		if !strings.Contains(body, "没有权限") || !strings.Contains(body, "只能查看本人") {
			t.Errorf("%s: no Chinese explanation on the 403 page:\n%s", path, body)
		}
	}
	// Their own quarter names nobody else.
	res, body := f.get("/workers/QS001", token)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, workerName(t, "QS001")) {
		t.Fatalf("own page: status %d", res.StatusCode)
	}
	for _, leak := range []string{other, "QS013", workerName(t, "QS002"), "排名</th>"} {
		if strings.Contains(body, leak) {
			t.Errorf("QS001's own page shows %q", leak)
		}
	}
}

// TestCrossOriginPostsRefused: a form posted from another site is refused
// with a Chinese 403 and changes nothing (the session survives a forged
// logout; a forged login sets no cookie).
func TestCrossOriginPostsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("admin")
	forged := func(path string, form url.Values) *http.Response {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		withSession(req, token)
		res, body := f.do(req)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "其他网站") {
			t.Errorf("cross-site POST %s: status %d, want 403 with a Chinese page\n%s", path, res.StatusCode, body)
		}
		return res
	}
	forged("/logout", nil)
	if res, _ := f.get("/", token); res.StatusCode != http.StatusOK {
		t.Errorf("after a forged logout the session is gone (status %d)", res.StatusCode)
	}
	if res := forged("/login", url.Values{"username": {"staff"}, "password": {password}}); sessionCookie(res) != nil {
		t.Error("a forged login set a session cookie")
	}
	forged("/password", url.Values{"current": {password}, "new": {"hijacked-1"}, "confirm": {"hijacked-1"}})
	f.login("admin") // the password is unchanged

	// The same logout from this site works.
	req := httptest.NewRequest(http.MethodPost, "/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	withSession(req, token)
	if res, _ := f.do(req); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin logout: status %d", res.StatusCode)
	}
	if res, _ := f.get("/", token); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout the old session still works (status %d)", res.StatusCode)
	}
}

// TestSecurityHeaders: every kind of response carries the security headers,
// and no page has inline script or style that the policy would have to
// allow.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("admin")
	_, page := f.get("/", token)
	css := regexp.MustCompile(`/static/app\.[0-9a-f]+\.css`).FindString(page)
	if css == "" {
		t.Fatal("the dashboard links no hashed style sheet")
	}
	for _, c := range []struct{ path, token string }{
		{"/login", ""}, {"/", token}, {"/", ""}, {"/workers/QS013", token}, {"/no/such", token},
		{"/healthz", ""}, {css, ""},
	} {
		res, body := f.get(c.path, c.token)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: Content-Security-Policy %q lacks %q", c.path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: Content-Security-Policy allows inline code: %q", c.path, csp)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", c.path, k, h.Get(k), v)
			}
		}
		if strings.Contains(body, "<script") || strings.Contains(body, " style=") || strings.Contains(body, "<style") {
			t.Errorf("%s: inline script or style in the page", c.path)
		}
	}
	res, _ := f.get(css, "")
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
		t.Errorf("style sheet Cache-Control %q, want a year, immutable", cc)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("style sheet Content-Type %q", ct)
	}
	if res, _ := f.get("/", token); res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("a signed-in page may be cached: Cache-Control %q", res.Header.Get("Cache-Control"))
	}
	if res, _ := f.get("/static/app.0000.css", ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown asset: status %d", res.StatusCode)
	}
}
