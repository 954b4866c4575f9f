package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// codeStatus maps each error code of the domain to the HTTP status it is
// answered with: the one table of the kind (an unknown code is internal).
var codeStatus = map[string]int{
	gs.EINVALID:      http.StatusBadRequest,
	gs.EUNAUTHORIZED: http.StatusUnauthorized,
	gs.EFORBIDDEN:    http.StatusForbidden,
	gs.ENOTFOUND:     http.StatusNotFound,
	gs.ECONFLICT:     http.StatusConflict,
	gs.ETOOMANY:      http.StatusTooManyRequests,
	gs.EINTERNAL:     http.StatusInternalServerError,
}

// statusOf returns the HTTP status for err's code.
func statusOf(err error) int {
	if s, ok := codeStatus[gs.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorHeading is the heading of the error page for each status.
var errorHeading = map[int]string{
	http.StatusBadRequest:          "请求有误",
	http.StatusUnauthorized:        "请先登录",
	http.StatusForbidden:           "没有权限",
	http.StatusNotFound:            "没有找到",
	http.StatusMethodNotAllowed:    "操作方式不对",
	http.StatusConflict:            "操作冲突",
	http.StatusTooManyRequests:     "请稍后再试",
	http.StatusInternalServerError: "系统出错",
}

// ErrorPage tells a person what went wrong, in Chinese, and where to go on:
// LinkURL (LinkText) when given, else the home page (the login page for
// 401). With Status 0 it is a notice, not an error: why there is nothing to
// show yet.
type ErrorPage struct {
	Page
	Status            int
	Heading           string
	Message           string
	LinkURL, LinkText string
}

// renderError answers a request with err's status and an error page. An
// internal error is logged in full and shown as a generic message: its
// details are for the logs, not for the person at the browser. u may be nil.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, u *gs.User, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		s.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request canceled", slog.String("path", logPath(r.URL.Path)))
		return
	}
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		s.logInternal(r, err)
	}
	s.renderStatus(w, r, u, status, gs.ErrorMessage(err))
}

// logInternal logs an internal error of request r in full, with what more
// the handler knows of it (attrs).
func (s *Server) logInternal(r *http.Request, err error, attrs ...slog.Attr) {
	s.Logger.LogAttrs(r.Context(), slog.LevelError, "internal error", append([]slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", logPath(r.URL.Path)),
		slog.String("user", infoOf(r).user),
		slog.Any("error", err)}, attrs...)...)
}

// renderStatus answers a request with status and an error page saying
// message. u may be nil.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, u *gs.User, status int, message string) {
	page := &ErrorPage{
		Page:    s.page(u, errorHeading[status], ""),
		Status:  status,
		Heading: errorHeading[status],
		Message: message,
	}
	w.Header().Set("Cache-Control", "no-store")
	if rerr := s.render(w, r, status, "error", page); rerr != nil {
		s.Logger.LogAttrs(r.Context(), slog.LevelError, "render error page", slog.Any("error", rerr))
		http.Error(w, "系统出错，请稍后再试。", http.StatusInternalServerError)
	}
}

// notFound answers a request the route table does not know: 405 with the
// methods allowed when the path is known for another method (a form posted
// to a page, a link to a form's address), else 404.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if m == r.Method || s.mux == nil {
			continue
		}
		other := r.Clone(r.Context())
		other.Method = m
		if _, pattern := s.mux.Handler(other); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		s.renderError(w, r, nil, gs.Errorf(gs.ENOTFOUND, "您要找的页面不存在。"))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.renderStatus(w, r, nil, http.StatusMethodNotAllowed, "这个地址不支持这样的操作，请从页面上的链接或按钮进入。")
}

// show renders a page for a handler that does not return errors.
func (s *Server) show(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	if err := s.render(w, r, status, name, data); err != nil {
		s.renderError(w, r, nil, err)
	}
}

// forbidden is the error of a role asking for what it may not see.
func forbidden(msg string) error { return gs.Errorf(gs.EFORBIDDEN, "%s", msg) }
