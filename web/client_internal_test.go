package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestRequestOrigin: the address a request was made to is what a trusted
// proxy forwards (an HTTPS proxy before plain HTTP says https), the
// connection's own (TLS or not, the Host) for anyone else, whatever
// headers they send; a forwarded host that is no host is not believed.
func TestRequestOrigin(t *testing.T) {
	s := &Server{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}
	for _, c := range []struct {
		name, remote string
		tls          bool
		headers      map[string]string
		want         string
	}{
		{"plain HTTP, direct", "203.0.113.9:1000", false, nil, "http://grid.test:8080"},
		{"TLS, direct", "203.0.113.9:1000", true, nil, "https://grid.test:8080"},
		{"a stranger's forwarded headers", "203.0.113.9:1000", false,
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}, "http://grid.test:8080"},
		{"HTTPS proxy", "10.0.0.5:1000", false,
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "grid.example.gov.cn"}, "https://grid.example.gov.cn"},
		{"HTTPS proxy keeping the Host", "10.0.0.5:1000", false, map[string]string{"X-Forwarded-Proto": "HTTPS"}, "https://grid.test:8080"},
		{"a chain of proxies: the outermost's", "10.0.0.5:1000", false,
			map[string]string{"X-Forwarded-Proto": "https, http", "X-Forwarded-Host": "grid.example.gov.cn:8443, 10.0.0.6"}, "https://grid.example.gov.cn:8443"},
		{"proxy sending nothing, over TLS", "10.0.0.5:1000", true, nil, "https://grid.test:8080"},
		{"proxy with an unknown scheme and a host with a path", "10.0.0.5:1000", false,
			map[string]string{"X-Forwarded-Proto": "javascript", "X-Forwarded-Host": "evil.example/x?"}, "http://grid.test:8080"},
		{"IPv6 host", "10.0.0.5:1000", false,
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "[2001:db8::1]:8443"}, "https://[2001:db8::1]:8443"},
	} {
		r := httptest.NewRequest(http.MethodGet, "http://grid.test:8080/survey/1/print", nil)
		r.RemoteAddr = c.remote
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		for k, v := range c.headers {
			r.Header.Set(k, v)
		}
		if got := s.requestOrigin(r); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
