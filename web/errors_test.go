package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWrongMethodSaysSo: a known address asked with a method it does not
// take answers 405 with the methods it takes, in a Chinese page; an unknown
// address is 404.
func TestWrongMethodSaysSo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("admin")
	for _, c := range []struct{ method, path, allow string }{
		{"DELETE", "/workers/QS001", "GET"},
		{"GET", "/logout", "POST"},
		{"PUT", "/login", "GET, POST"},
	} {
		req := httptest.NewRequest(c.method, c.path, nil)
		withSession(req, token)
		res, body := f.do(req)
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != c.allow || !strings.Contains(body, "不支持") {
			t.Errorf("%s %s: status %d, Allow %q, want 405 with Allow %q and a Chinese page", c.method, c.path, res.StatusCode, res.Header.Get("Allow"), c.allow)
		}
	}
	if res, _ := f.get("/no/such/page", token); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown page: status %d, want 404", res.StatusCode)
	}
}
