package web_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/web"
)

// TestFailedLoginKeepsUsername: a wrong password shows the form again with
// the message beside it and the username typed, and sets no cookie.
func TestFailedLoginKeepsUsername(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res, body := f.post("/login", url.Values{"username": {"staff"}, "password": {"wrong-password"}}, "")
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", res.StatusCode)
	}
	if !strings.Contains(body, "用户名或密码错误") || !strings.Contains(body, `role="alert"`) {
		t.Errorf("no message beside the form:\n%s", body)
	}
	if !strings.Contains(body, `name="username" value="staff"`) {
		t.Errorf("the username typed is lost:\n%s", body)
	}
	if strings.Contains(body, "wrong-password") {
		t.Error("the password typed is shown again")
	}
	if sessionCookie(res) != nil {
		t.Error("a failed login set a session cookie")
	}
	res, body = f.post("/login", url.Values{"username": {"staff"}}, "")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请输入用户名和密码") {
		t.Errorf("empty password: status %d\n%s", res.StatusCode, body)
	}
}

// TestLoginLocksAfterRepeatedFailures: guesses from many addresses lock
// the account, and the form says so in Chinese, also to the right password.
func TestLoginLocksAfterRepeatedFailures(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.guessFromMany("staff")
	res, body := f.post("/login", url.Values{"username": {"staff"}, "password": {password}}, "")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "账号已锁定，请 15 分钟后再试") {
		t.Errorf("after guesses from many addresses: status %d\n%s", res.StatusCode, body)
	}
}

// TestLoginRotatesSession: a login gets a new session token, the session the
// browser came with is deleted, and the cookie is HttpOnly, SameSite=Lax,
// for the whole site, and Secure only under TLS.
func TestLoginRotatesSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	old := f.login("staff")
	res, _ := f.post("/login", url.Values{"username": {"staff"}, "password": {password}}, old)
	c := sessionCookie(res)
	if c == nil || c.Value == "" || c.Value == old {
		t.Fatalf("login did not give a new session: %+v", c)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure without TLS", c)
	}
	if res, _ := f.get("/", old); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the old session still works after login (status %d)", res.StatusCode)
	}
	if res, _ := f.get("/", c.Value); res.StatusCode != http.StatusOK {
		t.Errorf("the new session does not work (status %d)", res.StatusCode)
	}

	f.server.Secure = true
	h := f.server.Handler()
	f.handler = h
	res, _ = f.post("/login", url.Values{"username": {"staff"}, "password": {password}}, "")
	if c := sessionCookie(res); c == nil || !c.Secure {
		t.Errorf("under TLS the cookie is not Secure: %+v", c)
	}
}

// TestLoginGoesWhereAsked: after login the person lands on the page that
// sent them to the form, never on another site.
func TestLoginGoesWhereAsked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res, _ := f.get("/workers/QS013?quarter=2023Q3", "")
	if loc := res.Header.Get("Location"); loc != "/login?next="+url.QueryEscape("/workers/QS013?quarter=2023Q3") {
		t.Fatalf("anonymous page: redirect to %q", loc)
	}
	for next, want := range map[string]string{
		"/workers/QS013?quarter=2023Q3": "/workers/QS013?quarter=2023Q3",
		"//evil.example/":               "/",
		"https://evil.example/":         "/",
		"/\\evil.example":               "/",
		"":                              "/",
	} {
		res, _ := f.post("/login", url.Values{"username": {"staff"}, "password": {password}, "next": {next}}, "")
		if loc := res.Header.Get("Location"); loc != want {
			t.Errorf("next=%q: redirect to %q, want %q", next, loc, want)
		}
	}
	_, body := f.get("/login?next="+url.QueryEscape("/workers"), "")
	if !strings.Contains(body, `name="next" value="/workers"`) {
		t.Error("the login form does not carry next")
	}
}

// TestOneTimePasswordMustBeChanged: the first administrator's one-time
// password leads to the password form from every page until changed; a
// mistake is shown beside its field; afterwards the new password works and
// the old one does not.
func TestOneTimePasswordMustBeChanged(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	u := &gs.User{Username: "chief", Role: gs.RoleTownAdmin, Town: "青山镇", MustChangePassword: true}
	if err := f.auth.CreateUser(ctx, u, "one-time-1"); err != nil {
		t.Fatal(err)
	}
	res, _ := f.post("/login", url.Values{"username": {"chief"}, "password": {"one-time-1"}, "next": {"/workers"}}, "")
	if loc := res.Header.Get("Location"); loc != "/password" {
		t.Fatalf("login with a one-time password leads to %q, want /password", loc)
	}
	token := sessionCookie(res).Value
	for _, path := range []string{"/", "/workers", "/workers/QS001"} {
		if res, _ := f.get(path, token); res.Header.Get("Location") != "/password" {
			t.Errorf("%s: status %d to %q, want the password form", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if _, body := f.get("/password", token); !strings.Contains(body, "初始密码") {
		t.Error("the password form does not say why")
	}
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"current": {"nope-nope-1"}, "new": {"brand-new-1"}, "confirm": {"brand-new-1"}}, "当前密码不正确"},
		{url.Values{"current": {"one-time-1"}, "new": {"short"}, "confirm": {"short"}}, "新密码至少 8 个字符"},
		{url.Values{"current": {"one-time-1"}, "new": {"brand-new-1"}, "confirm": {"brand-new-2"}}, "两次输入的新密码不一致"},
		{url.Values{"current": {"one-time-1"}, "new": {"one-time-1"}, "confirm": {"one-time-1"}}, "不能与当前密码相同"},
	} {
		res, body := f.post("/password", c.form, token)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="field-error"`) || !strings.Contains(body, c.want) {
			t.Errorf("%v: status %d, want 400 with %q beside the field", c.form, res.StatusCode, c.want)
		}
	}
	res, _ = f.post("/password", url.Values{"current": {"one-time-1"}, "new": {"brand-new-1"}, "confirm": {"brand-new-1"}}, token)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/password?done=1" {
		t.Fatalf("change: status %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	fresh := sessionCookie(res)
	if fresh == nil || fresh.Value == token {
		t.Fatal("changing the password did not start a new session")
	}
	if res, _ := f.get("/", fresh.Value); res.StatusCode != http.StatusOK {
		t.Errorf("after the change: status %d", res.StatusCode)
	}
	if res, _ := f.post("/login", url.Values{"username": {"chief"}, "password": {"one-time-1"}}, ""); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the one-time password still works (status %d)", res.StatusCode)
	}
	if res, _ := f.post("/login", url.Values{"username": {"chief"}, "password": {"brand-new-1"}}, ""); res.Header.Get("Location") != "/" {
		t.Errorf("the new password: redirect to %q", res.Header.Get("Location"))
	}
}

// brokenAuth is an account service whose database has failed.
type brokenAuth struct{ gs.AuthService }

func (brokenAuth) SessionUser(context.Context, string, time.Time) (*gs.User, error) {
	return nil, errors.New("sessions table: disk I/O error at sector 7")
}

// TestInternalErrorIsLoggedNotShown: an internal failure is answered with a
// generic Chinese page, and its details go to the log.
func TestInternalErrorIsLoggedNotShown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	logs := &syncBuffer{}
	srv := &web.Server{Service: &app.Service{DB: f.db, Scheme: scheme.Default(), Now: func() time.Time { return clock }},
		Auth: brokenAuth{f.auth}, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	f.handler = srv.Handler()
	res, body := f.get("/", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", res.StatusCode)
	}
	if strings.Contains(body, "sector 7") || !strings.Contains(body, "内部错误") {
		t.Errorf("the page shows the internal error or no generic message:\n%s", body)
	}
	if !strings.Contains(logs.String(), "sector 7") || !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("the error is not logged:\n%s", logs)
	}
}

// TestRequestLog: one line per request with method, path, status, duration
// and user.
func TestRequestLog(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("staff")
	f.get("/workers/QS001", token)
	var line string
	for _, l := range strings.Split(f.logs.String(), "\n") {
		if strings.Contains(l, "path=/workers/QS001") {
			line = l
		}
	}
	for _, want := range []string{"msg=request", "method=GET", "status=200", "duration=", "user=staff"} {
		if !strings.Contains(line, want) {
			t.Errorf("request log line %q lacks %q", line, want)
		}
	}
}
