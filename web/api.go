package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// The JSON API under /api/v1 (issue 16 item 1), for the grid app and the
// platform: records pushed in batches, results and warnings read. Every
// request but the OpenAPI document's carries a token in the header
// "Authorization: Bearer gsapi_…" (app/api_tokens.go); the session cookie
// is never read here, and the pages never read the header. Answers are
// JSON, errors too: {"error": "…", "items": [{"index", "field",
// "message"}]}, with 401 without a live token, 403 outside its scope, 404
// for an unknown route, 405 for a route's wrong method, 413 for a body past
// app.MaxAPIBytes or app.MaxAPIItems records, 415 for a body that is not
// JSON, 422 for records with mistakes and 429 past the token's rate. The
// routes and what each takes are in api_routes.go; the OpenAPI document
// made of them in api_doc.go.

// apiPrefix starts every path of the API.
const apiPrefix = "/api/v1"

// isAPI reports whether the request is the API's.
func isAPI(r *http.Request) bool {
	return r.URL.Path == apiPrefix || strings.HasPrefix(r.URL.Path, apiPrefix+"/")
}

// apiHandler handles a request of the API made with token t (nil for the
// open routes). It returns an error rather than writing one, so that every
// error is answered alike (apiError).
type apiHandler func(w http.ResponseWriter, r *http.Request, t *gs.APIToken) error

// apiMux returns the API's handler: its routes (apiRoutes), each behind
// the token's check, and JSON answers to what none of them takes.
func (s *Server) apiMux() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.apiRoutes() {
		mux.Handle(rt.Method+" "+rt.Path, s.apiRoute(rt))
	}
	mux.HandleFunc(apiPrefix+"/", func(w http.ResponseWriter, r *http.Request) { s.apiNotFound(w, r, mux) })
	mux.HandleFunc(apiPrefix, func(w http.ResponseWriter, r *http.Request) { s.apiNotFound(w, r, mux) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.apiError(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		w.Header().Set("Cache-Control", "no-store")
		mux.ServeHTTP(w, r)
	})
}

// apiRoute wraps a route's handler: the token (unless the route is open),
// its scope for reading, the rate of its requests, and for a route that
// takes a body its media type and size.
func (s *Server) apiRoute(rt apiRouteDef) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var t *gs.APIToken
		if !rt.Open {
			var err error
			if t, err = s.apiToken(r); err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="gridscore"`)
				s.apiError(w, r, err)
				return
			}
			infoOf(r).user = t.AuditName()
			if wait, ok := s.apiLimits.take(t.ID); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(wait))
				s.apiError(w, r, gs.Errorf(gs.ETOOMANY, "请求太频繁：每个令牌每秒最多 %g 次（可连续 %d 次），请 %d 秒后再试。",
					s.apiLimits.rate, s.apiLimits.burst, wait))
				return
			}
			if rt.Read && !t.Read {
				s.apiError(w, r, gs.Errorf(gs.EFORBIDDEN, "此令牌不能读取考核结果和预警：请镇街管理员新建一个允许读取的令牌。"))
				return
			}
		}
		if rt.Kind != "" {
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
				s.apiError(w, r, errMediaType)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, app.MaxAPIBytes)
		}
		if err := rt.handle(w, r, t); err != nil {
			s.apiError(w, r, err)
		}
	})
}

// apiToken returns the live token the request carries in its
// Authorization header.
func (s *Server) apiToken(r *http.Request) (*gs.APIToken, error) {
	scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		secret = ""
	}
	return s.Service.APITokenOf(r.Context(), strings.TrimSpace(secret))
}

// errMediaType refuses a body that is not JSON.
var errMediaType = errors.New("media type")

// apiStatus is the status of each error code of the domain in the API:
// codeStatus, but records with mistakes are 422 (the request itself was
// understood) and a request too large 413.
func apiStatus(err error) int {
	var tooLarge *http.MaxBytesError
	var problems *app.APIProblems
	switch {
	case errors.Is(err, errMediaType):
		return http.StatusUnsupportedMediaType
	case errors.As(err, &tooLarge), gs.ErrorCode(err) == gs.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case errors.As(err, &problems) && problems.Code == gs.EINVALID && (len(problems.Items) != 1 || problems.Items[0].Index >= 0):
		return http.StatusUnprocessableEntity
	}
	return statusOf(err)
}

// APIErrorBody is the body of every error of the API.
type APIErrorBody struct {
	// Error says what is wrong, in Chinese.
	Error string `json:"error"`
	// Items lists what is wrong with each record of a request, by its
	// index in the array and its key.
	Items []APIItemError `json:"items,omitempty"`
	// Unlisted counts the problems found beyond those listed.
	Unlisted int `json:"unlisted,omitempty"`
}

// APIItemError is a problem of one record of a request: its index in the
// array (-1 for the request as a whole), the key at fault ("" for the
// whole record; the keys of a key of several joined by "+") and what is
// wrong.
type APIItemError struct {
	Index   int    `json:"index"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// apiError answers a request of the API with err as JSON. An internal
// error is logged and answered with a generic message.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return
	}
	status := apiStatus(err)
	body := APIErrorBody{Error: gs.ErrorMessage(err)}
	var problems *app.APIProblems
	var tooLarge *http.MaxBytesError
	switch {
	case status == http.StatusInternalServerError:
		s.Logger.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("user", infoOf(r).user), slog.Any("error", err))
	case status == http.StatusUnsupportedMediaType:
		body.Error = "请求体应为 JSON：请设置请求头 Content-Type: application/json。"
	case errors.As(err, &tooLarge):
		body.Error = fmt.Sprintf("请求体超过 %d MB，没有写入任何记录：请分批发送（每批最多 %d 条）。", app.MaxAPIBytes>>20, app.MaxAPIItems)
	case errors.As(err, &problems):
		for _, it := range problems.Items {
			body.Items = append(body.Items, APIItemError{Index: it.Index, Field: it.Field, Message: it.Message})
		}
		body.Unlisted = problems.Unlisted
	}
	writeJSON(w, status, body)
}

// apiNotFound answers a path of the API no route takes: 405 with the
// methods allowed when a route takes it with another method, else 404.
func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request, mux *http.ServeMux) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		other := r.Clone(r.Context())
		other.Method = m
		if _, pattern := mux.Handler(other); m != r.Method && pattern != "" && !strings.HasSuffix(pattern, apiPrefix+"/") && !strings.HasSuffix(pattern, apiPrefix) {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		writeJSON(w, http.StatusNotFound, APIErrorBody{Error: "没有这个接口地址：" + r.URL.Path + "。全部地址见 " + apiPrefix + "/openapi.json。"})
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeJSON(w, http.StatusMethodNotAllowed, APIErrorBody{Error: "这个地址只接受 " + strings.Join(allow, "、") + " 请求，不接受 " + r.Method + "。"})
}

// writeJSON answers with status and v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
