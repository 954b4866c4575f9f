package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium is Debian's Chromium, which the layout tests drive.
const chromium = "/usr/bin/chromium"

// sharedChromium is the one headless Chromium of the package's tests,
// started by the first test that needs one and stopped by TestMain
// (stopChromium): a Chromium takes seconds to start, a browser context in
// it (newTab) next to nothing.
var sharedChromium struct {
	once sync.Once
	ctx  context.Context
	stop context.CancelFunc
	err  error
}

// stopChromium stops the shared Chromium if a test started it.
func stopChromium() {
	if sharedChromium.stop != nil {
		sharedChromium.stop()
	}
}

// newTab opens a tab of the shared Chromium (started on first use) in a
// browser context of its own: no cookie or storage of another test or tab,
// as with a fresh profile. It skips the test where Chromium is missing.
func newTab(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("browser test skipped: %s is missing (apt-get install chromium; CI installs it)", chromium)
	}
	c := &sharedChromium
	c.once.Do(func() {
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.WindowSize(1366, 768))
		ctx, cancelCtx := chromedp.NewContext(actx)
		c.ctx, c.stop = ctx, func() { cancelCtx(); cancelAlloc() }
		c.err = chromedp.Do(ctx) // no timeout: it would end the browser
	})
	if c.err != nil {
		t.Fatalf("start Chromium: %v", c.err)
	}
	ctx, cancelCtx := chromedp.NewContext(c.ctx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx() })
	return ctx
}

// phone opens a headless Chromium tab (newTab) emulating a 360×740 phone on the
// fixture's application served over HTTP, signed in as username.
func (f *fixture) phone(t *testing.T, username string) (context.Context, string) {
	t.Helper()
	return f.browser(t, username, 360, 740, true)
}

// desktop opens a headless Chromium tab 1366×768 wide, as phone does.
func (f *fixture) desktop(t *testing.T, username string) (context.Context, string) {
	t.Helper()
	return f.browser(t, username, 1366, 768, false)
}

// browser opens a headless Chromium tab (newTab) of width×height pixels (a phone's
// touch screen when mobile) on the fixture's application served over
// HTTP, signed in as username.
func (f *fixture) browser(t *testing.T, username string, width, height int64, mobile bool) (context.Context, string) {
	t.Helper()
	ctx := newTab(t)
	srv := httptest.NewServer(f.handler)
	t.Cleanup(srv.Close)
	viewport := chromedp.EmulateViewport(width, height)
	if mobile {
		viewport = chromedp.EmulateViewport(width, height, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	err := chromedp.Do(ctx,
		viewport,
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		// The navigation is shown only once signed in: waiting for it (not
		// for a heading, which the login page has too) lets the login's
		// redirect finish before the test navigates.
		chromedp.WaitVisible(chromedp.CSS("nav.nav")),
	)
	if err != nil {
		t.Fatalf("log in as %s: %v", username, err)
	}
	return ctx, srv.URL
}

// TestPhoneNavigationReadsOnOneLineEach: on a 360-pixel phone every link of
// the main navigation keeps its words on one line (the administrator's
// seven once broke into columns of single characters: 总/览, 申/诉), and
// the page does not scroll sideways.
func TestPhoneNavigationReadsOnOneLineEach(t *testing.T) {
	f := newFixture(t)
	ctx, base := f.phone(t, "admin")
	for _, path := range []string{"/", "/records", "/workers/QS013"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatal(err)
		}
		broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".nav a")]
			.filter(a => a.getClientRects().length > 1 || a.getBoundingClientRect().height > 2.2 * parseFloat(getComputedStyle(a).lineHeight || "20"))
			.map(a => a.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		if len(broken) > 0 {
			t.Errorf("%s: navigation links broken over lines on a phone: %v", path, broken)
		}
		noSideways(t, ctx, path)
	}
}

// TestPhoneListsFit: on a 360-pixel phone the lists' count line with its
// download link and the pager (首页, 上一页, the position, 下一页, 末页 and
// the page jump) fit the screen: no link or label breaks over lines, none
// reaches past the right edge, and the page does not scroll sideways.
func TestPhoneListsFit(t *testing.T) {
	f := newFixture(t)
	f.server.PageSize = 2
	ctx, base := f.phone(t, "admin")
	for _, path := range []string{
		"/records/events?worker=QS002&page=2&sort=category&dir=desc",
		"/workers?page=2&sort=total&dir=desc",
		"/audit?page=2",
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("nav.pager"))); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".pager a, .pager span, .pager label, .pager button, .listbar a")]
			.filter(e => e.getClientRects().length > 1 || e.getBoundingClientRect().right > window.innerWidth + 0.5 ||
				e.getBoundingClientRect().height > 2.6 * parseFloat(getComputedStyle(e).fontSize))
			.map(e => e.textContent.trim())`))
		if err != nil {
			t.Fatal(err)
		}
		if len(bad) > 0 {
			t.Errorf("%s: broken over lines or past the edge on a phone: %q", path, bad)
		}
		noSideways(t, ctx, path)
	}
}

// noSideways fails the test when the page open at path scrolls sideways.
func noSideways(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if wide {
		t.Errorf("%s scrolls sideways on a phone", path)
	}
}
