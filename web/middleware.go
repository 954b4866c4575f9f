package web

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// ctxKey keys the values this package keeps in a request's context.
type ctxKey int

const infoKey ctxKey = 0

// requestInfo is what the handlers tell the request log: who made the
// request, once the session is known.
type requestInfo struct{ user string }

func infoOf(r *http.Request) *requestInfo {
	if info, ok := r.Context().Value(infoKey).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// statusWriter remembers the status a handler wrote, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: method, path, status, duration,
// the signed-in user ("" when nobody) and the client's address.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), infoKey, info)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", logPath(r.URL.Path)),
			slog.Int("status", sw.status),
			slog.Duration("duration", time.Since(start)),
			slog.String("user", info.user),
			slog.String("client", s.clientAddress(r)))
	})
}

// recoverPanics turns a panic in a handler into a logged internal error and
// the generic error page, instead of a dropped connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.renderError(w, r, nil, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows only the application's own files: no inline
// script, no inline style, no frames, forms posted only to this site.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"

// strictTransportSecurity asks a browser to reach the site over HTTPS only,
// for a year: after one visit over HTTPS, nobody on the way can turn its
// next visits into plain HTTP to read the session cookie.
const strictTransportSecurity = "max-age=31536000"

// securityHeaders sets the headers every response carries, and
// Strict-Transport-Security on those of a request that reached the site
// over HTTPS (overHTTPS): over TLS, through a trusted proxy that says so,
// or to a site served over HTTPS (Secure). Over plain HTTP the header
// would mean nothing.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if s.overHTTPS(r) {
			h.Set("Strict-Transport-Security", strictTransportSecurity)
		}
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// access widens what signedIn lets through.
type access int

// allowMustChange lets an account whose password must be changed reach the
// handler (the password page itself); every other page sends it there.
const allowMustChange access = 1

// userHandler is a handler for a signed-in user. It returns an error rather
// than writing one, so that every error goes through renderError.
type userHandler func(w http.ResponseWriter, r *http.Request, u *gs.User) error

// signedIn loads the session's user and calls h with it. Without a live
// session a page (GET) redirects to the login form and anything else gets
// 401. Pages of signed-in users are never cached.
func (s *Server) signedIn(h userHandler, a access) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.sessionUser(w, r)
		if err != nil {
			s.renderError(w, r, nil, err)
			return
		}
		if u == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, nil, gs.Errorf(gs.EUNAUTHORIZED, "登录已过期或尚未登录，请先登录。"))
			return
		}
		infoOf(r).user = u.Username
		// The audit log names the signed-in user as the one who acts.
		r = r.WithContext(app.WithActor(r.Context(), u.Username))
		w.Header().Set("Cache-Control", "no-store")
		if u.MustChangePassword && a&allowMustChange == 0 {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/password", http.StatusSeeOther)
				return
			}
			s.renderError(w, r, u, gs.Errorf(gs.EFORBIDDEN, "请先修改初始密码。"))
			return
		}
		if err := h(w, r, u); err != nil {
			s.renderError(w, r, u, err)
		}
	})
}

// limitBodies bounds the body of every request that may carry one to
// maxFormBytes: every form of the application is small, except those that
// upload files (see uploadLimits).
func limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, bodyLimit(r))
		}
		next.ServeHTTP(w, r)
	})
}

// bodyLimit returns the largest body the request may carry.
func bodyLimit(r *http.Request) int64 {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		for _, u := range uploadLimits {
			if strings.HasPrefix(r.URL.Path, u.prefix) {
				return u.limit
			}
		}
	}
	return maxFormBytes
}
