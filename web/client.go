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
