package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddress returns the address a request comes from, for the login
// throttle and the request log: the address of the connection, or, when
// the connection comes from a trusted proxy (TrustedProxies), the address
// that proxy forwards for (the last address of X-Forwarded-For that is not
// itself a trusted proxy; a client can write anything before it, nothing
// after). X-Forwarded-For from anyone else is ignored: otherwise every
// request could claim a new address and escape the throttle. An IPv6
// address stands for its /64 network, which one household or one server
// holds whole.
func (s *Server) clientAddress(r *http.Request) string {
	addr := remoteIP(r.RemoteAddr)
	if addr.IsValid() && s.trusted(addr) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a hop that is no address: trust nothing before it
			}
			addr = hop.Unmap()
			if !s.trusted(addr) {
				break
			}
		}
	}
	if !addr.IsValid() {
		return r.RemoteAddr
	}
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

// remoteIP is the address of a connection's "host:port" (zero when it is
// not one).
func remoteIP(hostport string) netip.Addr {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return addr.Unmap()
}

// trusted reports whether addr is one of the trusted proxies.
func (s *Server) trusted(addr netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// requestOrigin returns the scheme and host a request was made to, as the
// browser saw them ("https://grid.example.gov.cn"), for the addresses the
// site prints when PublicURL is not set (the survey's QR codes, the
// password slips; siteURL): the
// scheme of requestScheme, and from a trusted proxy (TrustedProxies) the
// first value of X-Forwarded-Host, as the outermost proxy received the
// request; otherwise, or where the proxy sends none, the request's Host.
// Nobody else's X-Forwarded-Host is believed.
func (s *Server) requestOrigin(r *http.Request) string {
	host := r.Host
	if h := firstValue(r.Header.Values("X-Forwarded-Host")); s.fromTrustedProxy(r) && validHost(h) {
		host = h
	}
	return s.requestScheme(r) + "://" + host
}

// requestScheme returns the scheme a request was made with, as the browser
// saw it: from a trusted proxy (TrustedProxies) what the proxy forwards in
// X-Forwarded-Proto (http or https), the first value, as the outermost
// proxy received the request; otherwise, or where the proxy sends none,
// https when the connection is TLS. Behind a proxy that ends HTTPS the
// connection itself is plain HTTP, so without the forwarded scheme the
// site would take a browser on HTTPS for one on plain HTTP. Nobody else's
// X-Forwarded-Proto is believed: a client could claim HTTPS over plain
// HTTP.
func (s *Server) requestScheme(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if s.fromTrustedProxy(r) {
		switch p := strings.ToLower(firstValue(r.Header.Values("X-Forwarded-Proto"))); p {
		case "http", "https":
			scheme = p
		}
	}
	return scheme
}

// overHTTPS reports whether a request reached the site over HTTPS: the
// site is served over HTTPS (Secure), the connection is TLS, or a trusted
// proxy says the browser used HTTPS (requestScheme). The session cookie of
// such a request is Secure, and its response asks the browser to use HTTPS
// only (securityHeaders).
func (s *Server) overHTTPS(r *http.Request) bool {
	return s.Secure || r.TLS != nil || s.requestScheme(r) == "https"
}

// fromTrustedProxy reports whether the connection of a request comes from
// one of the trusted proxies.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	addr := remoteIP(r.RemoteAddr)
	return addr.IsValid() && s.trusted(addr)
}

// firstValue is the first of the comma-separated values of a header.
func firstValue(values []string) string {
	if len(values) == 0 {
		return ""
	}
	first, _, _ := strings.Cut(values[0], ",")
	return strings.TrimSpace(first)
}

// validHost reports whether h can stand as the host (with a port, or an
// IPv6 address in brackets) of an address: letters, digits and . - : [ ]
// only, so that a forwarded host cannot add a path, a user or a query to
// the addresses printed.
func validHost(h string) bool {
	if h == "" {
		return false
	}
	for _, c := range h {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune(".-:[]", c)
		if !ok {
			return false
		}
	}
	return true
}
