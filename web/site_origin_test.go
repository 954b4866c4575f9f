package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestBallotSheetsBehindAnHTTPSProxy: without --public-url, ballots
// printed through a trusted proxy that ends HTTPS carry the address people
// reached the site at (https, the proxy's host) in their QR codes and
// links; the same headers from anyone else change nothing.
func TestBallotSheetsBehindAnHTTPSProxy(t *testing.T) {
	f := surveyFixture(t)
	f.server.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	staff := f.login("staff")
	campaign := f.openCampaign(staff)
	print := func(remote string) string {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, campaign+"/print", strings.NewReader(url.Values{"grid": {"QS-13"}, "cadre": {"1"}, "resident": {"0"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-Proto", "https")
		req.Header.Set("X-Forwarded-Host", "grid.example.gov.cn")
		req.RemoteAddr = remote
		withSession(req, staff)
		res, body := f.do(req)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("print from %s: status %d\n%s", remote, res.StatusCode, body)
		}
		return body
	}
	entry := func(body string) string {
		m := regexp.MustCompile(`<span class="slip-url">([^<]*)</span>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the sheets show no address to type")
		}
		return m[1]
	}
	if got := entry(print("10.0.0.5:4000")); got != "https://grid.example.gov.cn/v" {
		t.Errorf("sheets printed through the proxy give the address %q, want https://grid.example.gov.cn/v", got)
	}
	if got := entry(print("203.0.113.9:4000")); got != "http://example.com/v" {
		t.Errorf("sheets printed with a stranger's forwarded headers give the address %q, want the request's http://example.com/v", got)
	}
}

// TestAccountSlipsGiveTheSiteAddress: the login address printed on the
// workers' password slips is the one people reach the site at — behind a
// trusted proxy that ends HTTPS the forwarded scheme and host, with
// --public-url that address — not the plain-HTTP request from the proxy.
func TestAccountSlipsGiveTheSiteAddress(t *testing.T) {
	for _, c := range []struct {
		name, publicURL, remote, want string
	}{
		{"through a trusted proxy", "", "10.0.0.5:4000", "https://grid.example.gov.cn/login"},
		{"with --public-url", "https://wangge.example.gov.cn/", "10.0.0.5:4000", "https://wangge.example.gov.cn/login"},
		{"a stranger's forwarded headers", "", "203.0.113.9:4000", "http://example.com/login"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.server.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
			f.server.PublicURL = c.publicURL
			req := httptest.NewRequest(http.MethodPost, "/accounts/workers", nil)
			req.Header.Set("X-Forwarded-Proto", "https")
			req.Header.Set("X-Forwarded-Host", "grid.example.gov.cn")
			req.RemoteAddr = c.remote
			withSession(req, f.login("admin"))
			res, body := f.do(req)
			m := regexp.MustCompile(`<dd class="slip-url">([^<]*)</dd>`).FindStringSubmatch(body)
			if res.StatusCode != http.StatusOK || m == nil {
				t.Fatalf("status %d, no login address on the slips:\n%s", res.StatusCode, body)
			}
			if m[1] != c.want {
				t.Errorf("the slips give the login address %q, want %q", m[1], c.want)
			}
		})
	}
}
