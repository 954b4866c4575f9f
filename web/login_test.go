package web_test

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridscore/gridscore/app"
)

// TestStrangerDoesNotLockOutTheAdministrator: five wrong passwords for
// admin from a stranger's address make that address wait, in Chinese; the
// administrator logs in from another address all the while.
func TestStrangerDoesNotLockOutTheAdministrator(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	guess := url.Values{"username": {"admin"}, "password": {"wrong-password"}}
	var res *http.Response
	var body string
	for range app.DefaultThrottle().PairFree {
		res, body = f.postFrom("203.0.113.66:5000", "/login", guess, "")
	}
	wantStatus(t, "the fifth guess", res, body, 401, "用户名或密码错误。登录失败次数过多，请 1 分钟后再试")
	res, body = f.postFrom("203.0.113.66:5001", "/login", url.Values{"username": {"admin"}, "password": {password}}, "")
	wantStatus(t, "the stranger again, even with the right password", res, body, 429, "登录失败次数过多，请 1 分钟后再试")
	res, body = f.postFrom("10.0.0.1:6000", "/login", url.Values{"username": {"admin"}, "password": {password}}, "")
	wantStatus(t, "the administrator from the office", res, body, 303)
}

// TestUnknownUsernameAnsweredAlike: every answer to the same attempts is
// byte for byte the same for a username that is an account's and for one
// that is not (but for the username shown again in the form), through the
// waits of one address and the lock after guesses from many.
func TestUnknownUsernameAnsweredAlike(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	answers := map[string][]string{}
	for n, username := range []string{"staff", "stoff"} { // from addresses of their own
		send := func(addr string) {
			res, body := f.postFrom(addr, "/login", url.Values{"username": {username}, "password": {"wrong-password"}}, "")
			var b strings.Builder
			fmt.Fprintf(&b, "%d\n", res.StatusCode)
			res.Header.Write(&b)
			b.WriteString(strings.ReplaceAll(body, username, "USERNAME"))
			answers[username] = append(answers[username], b.String())
		}
		for range app.DefaultThrottle().PairFree + 2 {
			send(fmt.Sprintf("203.0.113.%d:1000", 60+n))
		}
		for i := range app.DefaultThrottle().LockFailures + 2 {
			send(fmt.Sprintf("198.51.100.%d:1000", 10*n+i%app.DefaultThrottle().LockClients))
		}
	}
	for i, known := range answers["staff"] {
		if unknown := answers["stoff"][i]; unknown != known {
			t.Fatalf("answer %d to an unknown username:\n%s\nto an account's:\n%s", i+1, unknown, known)
		}
	}
	if all := strings.Join(answers["staff"], ""); !strings.Contains(all, "请 1 分钟后再试") || !strings.Contains(all, "账号已锁定") {
		t.Errorf("the answers never wait or lock:\n%s", all)
	}
}

// TestTooManyLoginsAtOnce: logins beyond the password checks' turns and
// their queue are refused at once with 429 and a Chinese message, and no
// more passwords are checked at once than there are turns.
func TestTooManyLoginsAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.auth.PasswordChecks, f.auth.CheckQueue, f.auth.CheckWait = 1, 1, time.Minute
	var mu sync.Mutex
	running, most := 0, 0
	inside, release := make(chan struct{}, 10), make(chan struct{})
	f.auth.OnCheck = func() {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		inside <- struct{}{}
		<-release
		mu.Lock()
		running--
		mu.Unlock()
	}
	type answer struct {
		status int
		body   string
	}
	answers := make(chan answer, 10)
	var wg sync.WaitGroup
	login := func(i int) {
		wg.Go(func() {
			res, body := f.postFrom(fmt.Sprintf("198.51.100.%d:1000", i), "/login", url.Values{"username": {"staff"}, "password": {"wrong-password"}}, "")
			answers <- answer{res.StatusCode, body}
		})
	}
	login(0)
	<-inside
	for i := range 5 {
		login(1 + i)
	}
	for range 4 { // one waits its turn, four are refused while the check runs
		a := <-answers
		if a.status != http.StatusTooManyRequests || !strings.Contains(a.body, "同时登录的人太多，请稍等几秒再试") {
			t.Errorf("a login beyond the turns: status %d\n%s", a.status, a.body)
		}
	}
	close(release)
	wg.Wait()
	close(answers)
	for a := range answers {
		if a.status != http.StatusUnauthorized {
			t.Errorf("a login that had its turn: status %d", a.status)
		}
	}
	if most != 1 {
		t.Errorf("%d passwords checked at once, want 1", most)
	}
}

// TestClientAddressFromTrustedProxiesOnly: X-Forwarded-For names the client
// only when the connection comes from a trusted proxy: a stranger cannot
// escape the throttle by claiming new addresses, while people behind the
// proxy are told apart. An IPv6 client counts by its /64.
func TestClientAddressFromTrustedProxiesOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.server.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	from := func(remote, forwarded string) (*http.Response, string) {
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"username": {"admin"}, "password": {"wrong-password"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = remote
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		return f.do(req)
	}
	// Claimed addresses from an untrusted connection count as the connection's.
	var res *http.Response
	var body string
	for i := range app.DefaultThrottle().PairFree + 1 {
		res, body = from("203.0.113.66:1000", fmt.Sprintf("198.51.100.%d", i))
	}
	wantStatus(t, "new claimed addresses from one untrusted connection", res, body, 429)
	// Behind the proxy, each forwarded client is itself; what a client
	// writes before the proxy's entry is not believed.
	for i := range app.DefaultThrottle().PairFree - 1 {
		from("10.1.2.3:1000", "203.0.113.7")
		from("10.1.2.3:1000", fmt.Sprintf("192.0.2.%d, 203.0.113.7", i))
	}
	res, body = from("10.1.2.3:1000", "203.0.113.8")
	wantStatus(t, "another client behind the proxy", res, body, 401)
	from("[2001:db8:1:2:3:4:5:6]:1000", "")
	for _, want := range []string{"client=203.0.113.66\n", "client=203.0.113.7\n", "client=203.0.113.8\n", "client=2001:db8:1:2::/64\n"} {
		if !strings.Contains(f.logs.String(), want) {
			t.Errorf("the request log has no %q", want)
		}
	}
	if strings.Contains(f.logs.String(), "client=198.51.100.") || strings.Contains(f.logs.String(), "client=192.0.2.0\n") {
		t.Errorf("a claimed address was believed:\n%s", f.logs.String())
	}
}

// TestHTTPSOnlyWhenReachedOverHTTPS: a login that reached the site over
// HTTPS — over TLS, to a site served over HTTPS behind a proxy (Secure), or
// through a trusted proxy saying X-Forwarded-Proto: https — gets a Secure
// session cookie and a response asking the browser to use HTTPS only; one
// over plain HTTP gets neither, whatever an untrusted peer claims.
func TestHTTPSOnlyWhenReachedOverHTTPS(t *testing.T) {
	t.Parallel()
	const proxy, stranger = "10.0.0.5:4000", "203.0.113.9:4000"
	f := newFixture(t)
	f.server.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for _, c := range []struct {
		name   string
		remote string
		tls    bool
		secure bool   // Server.Secure (--public-url https://…)
		proto  string // X-Forwarded-Proto
		https  bool
	}{
		{"plain HTTP", stranger, false, false, "", false},
		{"over TLS", stranger, true, false, "", true},
		{"behind an HTTPS proxy (--public-url https://…)", stranger, false, true, "", true},
		{"a trusted proxy forwarding HTTPS", proxy, false, false, "https", true},
		{"a trusted proxy forwarding HTTPS, in capitals", proxy, false, false, "HTTPS", true},
		{"a trusted proxy forwarding plain HTTP", proxy, false, false, "http", false},
		{"a trusted proxy forwarding no scheme", proxy, false, false, "", false},
		{"an untrusted peer claiming HTTPS", stranger, false, false, "https", false},
	} {
		f.server.Secure = c.secure
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"username": {"staff"}, "password": {password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = c.remote
		if c.tls {
			req.TLS = &tls.ConnectionState{}
		}
		if c.proto != "" {
			req.Header.Set("X-Forwarded-Proto", c.proto)
		}
		res, _ := f.do(req)
		cookie := sessionCookie(res)
		if cookie == nil {
			t.Fatalf("%s: no session cookie (status %d)", c.name, res.StatusCode)
		}
		hsts := res.Header.Get("Strict-Transport-Security")
		if c.https && (!cookie.Secure || hsts != "max-age=31536000") {
			t.Errorf("%s: cookie Secure %v, Strict-Transport-Security %q; want Secure and max-age=31536000", c.name, cookie.Secure, hsts)
		}
		if !c.https && (cookie.Secure || hsts != "") {
			t.Errorf("%s: cookie Secure %v, Strict-Transport-Security %q; want neither", c.name, cookie.Secure, hsts)
		}
	}
}
