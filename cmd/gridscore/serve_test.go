package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
)

// lockedBuffer is an output stream the server's goroutines may write to
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// server is a real `gridscore serve` running in-process on 127.0.0.1:0.
type server struct {
	base           string // http://127.0.0.1:PORT
	stdout, stderr *lockedBuffer
	stop           func() error // cancels the run and returns its error
}

// startServe runs `gridscore serve --addr 127.0.0.1:0 args...` until the test
// ends (or stop is called) and returns once it listens.
func startServe(t *testing.T, env map[string]string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	m := &Main{Stdout: s.stdout, Stderr: s.stderr, Getenv: func(k string) string { return env[k] }, Now: time.Now}
	ready := make(chan string, 1)
	cmd := &ServeCommand{m: m, ready: func(addr string) { ready <- addr }}
	done := make(chan error, 1)
	go func() { done <- cmd.Run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...)) }()
	var once sync.Once
	var runErr error
	s.stop = func() error {
		once.Do(func() { cancel(); runErr = <-done })
		return runErr
	}
	t.Cleanup(func() { s.stop() })
	scheme := "http://"
	if slicesContain(args, "--tls-cert") {
		scheme = "https://"
	}
	select {
	case addr := <-ready:
		s.base = scheme + addr
	case err := <-done:
		t.Fatalf("serve ended before listening: %v\n%s", err, s.stderr)
	case <-time.After(2 * time.Minute):
		t.Fatal("serve did not start")
	}
	return s
}

func slicesContain(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// client is an HTTP client with a cookie jar that does not follow
// redirects.
func client(t *testing.T, tr http.RoundTripper) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetch requests a URL and returns the response and its body.
func fetch(t *testing.T, c *http.Client, method, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestServeDemo: `gridscore serve --demo` prints the demo accounts, answers
// /healthz, lets the demo administrator in to the dashboard, logs each
// request, and stops gracefully.
func TestServeDemo(t *testing.T) {
	s := startServe(t, nil, "--demo", "--log-format", "json")
	for _, want := range []string{"示范镇 青山镇", "demo1234", "district", "admin", "staff", "QS001", "QS013", "网页服务已启动：http://127.0.0.1:"} {
		if !strings.Contains(s.stdout.String(), want) {
			t.Errorf("start-up output lacks %q:\n%s", want, s.stdout)
		}
	}
	c := client(t, nil)
	if res, body := fetch(t, c, "GET", s.base+"/healthz", nil); res.StatusCode != 200 || body != "ok" {
		t.Errorf("/healthz: %d %q", res.StatusCode, body)
	}
	res, _ := fetch(t, c, "POST", s.base+"/login", url.Values{"username": {"admin"}, "password": {"demo1234"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", res.StatusCode)
	}
	res, body := fetch(t, c, "GET", s.base+"/", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "青山镇 考核总览") || !strings.Contains(body, "2023年第3季度") || !strings.Contains(body, "王建华") {
		t.Errorf("dashboard: status %d\n%s", res.StatusCode, body)
	}
	if err := s.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if !strings.Contains(s.stdout.String(), "已停止") {
		t.Error("no word that the server stopped")
	}
	logs := s.stderr.String()
	if !regexp.MustCompile(`"msg":"request","method":"GET","path":"/","status":200,"duration":\d+,"user":"admin"`).MatchString(logs) {
		t.Errorf("no JSON request log line for the dashboard:\n%s", logs)
	}
}

// TestServeRefusesOutdatedSchema: outside demo mode the server does not
// start on a database whose schema is missing or old, and says what to run.
func TestServeRefusesOutdatedSchema(t *testing.T) {
	db := filepath.Join(t.TempDir(), "old.db")
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, Now: time.Now}
	err := (&ServeCommand{m: m}).Run(context.Background(), []string{"--addr", "127.0.0.1:0", "--db", db})
	if err == nil || !strings.Contains(err.Error(), "gridscore migrate") {
		t.Fatalf("error %v, want one telling to run gridscore migrate", err)
	}
}

// TestServeFirstStart: the first start on a store without accounts creates
// the administrator and prints a one-time password once; it works once and
// must be changed; the next start prints nothing of the kind.
func TestServeFirstStart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gridscore.db")
	db, err := store.OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// Without data nor --town, the town of the administrator is unknown.
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, Now: time.Now}
	err = (&ServeCommand{m: m}).Run(ctx, []string{"--addr", "127.0.0.1:0", "--db", path})
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(ue.msg, "--town") {
		t.Fatalf("error %v, want a usage error naming --town", err)
	}
	if _, err := db.Import(ctx, demo.Town(1), nil); err != nil {
		t.Fatal(err)
	}
	db.Close()

	env := map[string]string{"GRIDSCORE_DB": path}
	s := startServe(t, env)
	pw := regexp.MustCompile(`一次性密码：(\S+)`).FindStringSubmatch(s.stdout.String())
	if pw == nil || !strings.Contains(s.stdout.String(), "青山镇") {
		t.Fatalf("no one-time password printed:\n%s", s.stdout)
	}
	c := client(t, nil)
	res, _ := fetch(t, c, "POST", s.base+"/login", url.Values{"username": {"admin"}, "password": {pw[1]}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/password" {
		t.Errorf("login with the one-time password: status %d to %q, want the password form", res.StatusCode, res.Header.Get("Location"))
	}
	s.stop()
	again := startServe(t, env)
	if strings.Contains(again.stdout.String(), "一次性密码") {
		t.Errorf("the second start printed a password:\n%s", again.stdout)
	}
}

// TestServeBadFlags: mistakes on the command line are usage errors in
// Chinese.
func TestServeBadFlags(t *testing.T) {
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, Now: time.Now}
	for _, args := range [][]string{
		{"--tls-cert", "a.pem"},
		{"--log-format", "xml"},
		{"--log-level", "loud"},
		{"--demo", "extra"},
		{"--demo", "--tls-cert", "missing.pem", "--tls-key", "missing.key"},
		{"--demo", "--public-url", "grid.example.gov.cn"},
		{"--demo", "--trusted-proxies", "10.0.0.1,proxy.example"},
	} {
		err := (&ServeCommand{m: m}).Run(context.Background(), append([]string{"--addr", "127.0.0.1:0"}, args...))
		var ue usageError
		if !errors.As(err, &ue) || !regexp.MustCompile(`\p{Han}`).MatchString(ue.msg) {
			t.Errorf("%v: error %v, want a Chinese usage error", args, err)
		}
	}
}

// TestServeTLS: with a certificate and key the server speaks HTTPS and the
// session cookie is Secure.
func TestServeTLS(t *testing.T) {
	cert, key := selfSigned(t)
	s := startServe(t, nil, "--demo", "--tls-cert", cert, "--tls-key", key)
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	c := client(t, tr)
	if res, body := fetch(t, c, "GET", s.base+"/healthz", nil); res.StatusCode != 200 || body != "ok" || res.TLS == nil {
		t.Fatalf("/healthz over TLS: %d %q", res.StatusCode, body)
	}
	res, _ := fetch(t, c, "POST", s.base+"/login", url.Values{"username": {"staff"}, "password": {"demo1234"}})
	var secure bool
	for _, ck := range res.Cookies() {
		secure = secure || ck.Name == "gridscore_session" && ck.Secure
	}
	if !secure {
		t.Errorf("the session cookie is not Secure under TLS: %v", res.Header["Set-Cookie"])
	}
	if h := res.Header.Get("Strict-Transport-Security"); h != "max-age=31536000" {
		t.Errorf("over TLS: Strict-Transport-Security %q", h)
	}
}

// TestServeBehindProxy: behind a proxy that serves HTTPS (GRIDSCORE_PUBLIC_URL
// https://…) the cookie is Secure and browsers are told to use HTTPS only,
// though the proxy speaks plain HTTP to the server; the proxy's
// X-Forwarded-For names the client in the log only when the proxy is
// trusted (GRIDSCORE_TRUSTED_PROXIES).
func TestServeBehindProxy(t *testing.T) {
	s := startServe(t, map[string]string{"GRIDSCORE_PUBLIC_URL": "https://grid.example.gov.cn", "GRIDSCORE_TRUSTED_PROXIES": "127.0.0.1"}, "--demo")
	req, err := http.NewRequest("POST", s.base+"/login", strings.NewReader(url.Values{"username": {"staff"}, "password": {"demo1234"}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "203.0.113.7")
	res, err := client(t, nil).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if h := res.Header.Get("Strict-Transport-Security"); h != "max-age=31536000" {
		t.Errorf("behind an HTTPS proxy: Strict-Transport-Security %q", h)
	}
	if c := res.Cookies(); len(c) == 0 || !c[0].Secure {
		t.Errorf("behind an HTTPS proxy the session cookie is not Secure: %v", res.Header["Set-Cookie"])
	}
	s.stop()
	if !strings.Contains(s.stderr.String(), "client=203.0.113.7") {
		t.Errorf("the log does not name the proxy's client:\n%s", s.stderr)
	}
}

// selfSigned writes a certificate and key for 127.0.0.1 and returns their
// paths.
func selfSigned(t *testing.T) (certPath, keyPath string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "gridscore test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certPath, keyPath
}

// chromiumPath is Debian's Chromium, which the end-to-end tests drive.
const chromiumPath = "/usr/bin/chromium"

// sharedChromium is the one headless Chromium of the end-to-end tests,
// started by the first test that needs one and stopped by TestMain: a
// Chromium takes seconds to start, a browser context in it (browser) next
// to nothing.
var sharedChromium struct {
	once sync.Once
	ctx  context.Context
	stop context.CancelFunc
	err  error
}

// startChromium returns the context of the shared Chromium, starting it on
// first use.
func startChromium() (context.Context, error) {
	c := &sharedChromium
	c.once.Do(func() {
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromiumPath),
			chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("lang", "zh-CN"),
			chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.WindowSize(1280, 900),
		)
		ctx, cancelCtx := chromedp.NewContext(actx)
		c.ctx, c.stop = ctx, func() { cancelCtx(); cancelAlloc() }
		c.err = chromedp.Do(ctx) // no timeout: it would end the browser
	})
	return c.ctx, c.err
}

// stopChromium stops the shared Chromium if a test started it.
func stopChromium() {
	if sharedChromium.stop != nil {
		sharedChromium.stop()
	}
}

// browser opens a tab of the shared headless Chromium in a browser context
// of its own (its own cookies and storage, as a fresh profile has, so two
// calls are two people), with a viewport of the given size; mobile
// emulates a phone (touch, the viewport meta tag). It also collects what
// the pages write to the console, such as a Content-Security-Policy
// violation.
func browser(t *testing.T, width, height int64, mobile bool) (context.Context, func() []chromedp.ConsoleMessage) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("end-to-end test skipped: %s is missing (apt-get install chromium; CI installs it)", chromiumPath)
	}
	shared, err := startChromium()
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancelCtx := chromedp.NewContext(shared, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx() })

	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	var mu sync.Mutex
	var msgs []chromedp.ConsoleMessage
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			mu.Lock()
			msgs = append(msgs, m)
			mu.Unlock()
		}
	}()
	return ctx, func() []chromedp.ConsoleMessage {
		mu.Lock()
		defer mu.Unlock()
		return append([]chromedp.ConsoleMessage(nil), msgs...)
	}
}

// browserLogin signs in through the login form, as a person would.
func browserLogin(t *testing.T, ctx context.Context, base, username string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo1234"),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".stats")),
	)
	if err != nil {
		t.Fatalf("log in as %s: %v", username, err)
	}
}

// screenshot saves a full-page PNG of the page in the folder that the
// environment variable GRIDSCORE_E2E_SHOTS names, to look at afterwards;
// without it, nothing (no test reads the pictures, and each takes time).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("GRIDSCORE_E2E_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkConsole fails the test for any error the pages reported, such as a
// resource blocked by the Content-Security-Policy.
func checkConsole(t *testing.T, msgs []chromedp.ConsoleMessage) {
	t.Helper()
	for _, m := range msgs {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning {
			t.Errorf("browser console %s: %s", m.Type, m.Text)
		}
	}
}

// TestBrowserAdminDesktop: the demo administrator logs in on a desktop
// window and sees the dashboard: the ranking of the demo town and the charts.
func TestBrowserAdminDesktop(t *testing.T) {
	ctx, console := browser(t, 1280, 900, false)
	s := startServe(t, nil, "--demo")
	browserLogin(t, ctx, s.base, "admin")

	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || loc != s.base+"/" {
		t.Errorf("after login at %q (%v), want the dashboard", loc, err)
	}
	ranking, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#ranking")))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range demo.Town(1).Workers {
		if !strings.Contains(ranking, w.ID) || !strings.Contains(ranking, w.Name) {
			t.Errorf("the ranking does not show %s %s", w.ID, w.Name)
		}
	}
	charts, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll("svg.chart rect.bar")))
	if err != nil || len(charts) != 10 {
		t.Errorf("histogram bars: %d (%v), want 10", len(charts), err)
	}
	// The charts are laid out: the SVG has a real size on the page.
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("svg.chart").getBoundingClientRect().width`))
	if err != nil || width < 200 {
		t.Errorf("the histogram is %v px wide (%v)", width, err)
	}
	screenshot(t, ctx, "admin-desktop.png")

	// Into a worker's quarter from the ranking.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#ranking a[href="/workers/QS013"]`)), chromedp.WaitVisible(chromedp.CSS(".deductions")))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(text, "特殊人群走访未完成") || !strings.Contains(text, "TS0040") {
		t.Errorf("QS013's quarter lacks its deductions:\n%s", text)
	}
	screenshot(t, ctx, "admin-worker-QS013.png")
	checkConsole(t, console())
}

// TestBrowserWorkerPhone: grid worker QS001 logs in on a 360×740 phone and
// sees only their own result; the page fits the screen; editing the URL to
// another worker's page shows a Chinese 403 page without that worker's data.
func TestBrowserWorkerPhone(t *testing.T) {
	ctx, console := browser(t, 360, 740, true)
	s := startServe(t, nil, "--demo")
	browserLogin(t, ctx, s.base, "QS001")

	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if loc != s.base+"/workers/QS001" {
		t.Errorf("after login at %q, want the worker's own page", loc)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"王建华", "QS001", "总分", "100", "600.00", "我的考核"} {
		if !strings.Contains(text, want) {
			t.Errorf("the worker's page lacks %q", want)
		}
	}
	for _, w := range demo.Town(1).Workers {
		if w.ID != "QS001" && (strings.Contains(text, w.Name) || strings.Contains(text, w.ID)) {
			t.Errorf("QS001 sees %s %s", w.ID, w.Name)
		}
	}
	centers, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('nav a[href="/workers"], #ranking, #flagged')`))
	if err != nil || centers {
		t.Errorf("QS001 sees the centers' navigation or the ranking (%v)", err)
	}
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil || overflow {
		t.Errorf("the page is wider than the phone (%v)", err)
	}
	screenshot(t, ctx, "worker-phone.png")

	err = chromedp.Do(ctx, chromedp.Navigate(s.base+"/workers/QS013"), chromedp.WaitVisible(chromedp.CSS(".problem")))
	if err != nil {
		t.Fatal(err)
	}
	text, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	if !strings.Contains(text, "没有权限") || strings.Contains(text, "赵磊") || strings.Contains(text, "QS-13") {
		t.Errorf("another worker's page:\n%s", text)
	}
	screenshot(t, ctx, "worker-phone-403.png")
	var errs []chromedp.ConsoleMessage
	for _, m := range console() {
		// The 403 page itself is reported as a failed resource load.
		if !strings.Contains(m.Text, "403") {
			errs = append(errs, m)
		}
	}
	checkConsole(t, errs)
}
