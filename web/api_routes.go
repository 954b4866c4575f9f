package web

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// apiRouteDef is one route of the API: its method and path (as the mux
// and the OpenAPI document both write them), what the document says of
// it, who may call it and its handler. The route table (apiRoutes) is the
// one list both the mux and the document are made from.
type apiRouteDef struct {
	Method, Path         string
	Summary, Description string
	// Open routes need no token (the document itself).
	Open bool
	// Read routes need a token allowed to read results.
	Read bool
	// Kind is the kind a route writes: its body is a JSON array of the
	// kind's records (the token must be allowed to write it).
	Kind string
	// Query names the query parameters it takes (apiParams).
	Query []string
	// Response names the schema of its answer (api_doc.go).
	Response string
	handle   apiHandler
}

// apiParams describes every parameter of the API's paths and queries, by
// name.
var apiParams = map[string]string{
	"quarter":   "季度，如 2023Q3",
	"worker_id": "网格员工号",
	"as_of": "计算时点（北京时间），写法与命令行的 --as-of 相同：如 2023-10-08 09:00、2023/10/8 9:00、2023年10月8日 9:00、" +
		"2023-10-08（当日 0 时）或 2023-10-08T09:00:00+08:00。" +
		"不填时与网页相同：季度已计算的显示计算时保存的结果，否则按当前时刻（取整到 5 分钟）计算",
	"town": "镇街；只能是令牌所属的镇街，不填即是",
}

// apiRoutes is the route table of the API.
func (s *Server) apiRoutes() []apiRouteDef {
	routes := []apiRouteDef{
		{Method: "GET", Path: apiPrefix + "/openapi.json", Open: true, Response: "OpenAPI",
			Summary: "本接口的 OpenAPI 3 文档", Description: "不需要令牌。", handle: s.apiDocument},
		{Method: "GET", Path: apiPrefix + "/token", Response: "Token",
			Summary: "令牌本身：名称、镇街、可写入的记录类别、能否读取", handle: s.apiTokenInfo},
		{Method: "GET", Path: apiPrefix + "/quarters/{quarter}/result", Read: true, Query: []string{"as_of", "town"},
			Response: "Result", Summary: "本镇街一个季度的考核结果（DATA.md §3）", handle: s.apiQuarterResult},
		{Method: "GET", Path: apiPrefix + "/quarters/{quarter}/workers/{worker_id}", Read: true, Query: []string{"as_of", "town"},
			Response: "Result", Summary: "一名网格员一个季度的考核结果（DATA.md §3，workers 中只有这一人）", handle: s.apiWorkerResult},
		{Method: "GET", Path: apiPrefix + "/warnings", Read: true, Query: []string{"quarter", "as_of", "town"},
			Response: "Warnings", Summary: "本镇街的预警清单（与 gridscore warnings --format json 相同）",
			Description: "as_of 不填时按当前时刻（取整到 5 分钟）；quarter 不填时为 as_of 所在的季度。", handle: s.apiWarnings},
	}
	for _, k := range app.APIKinds() {
		routes = append(routes, apiRouteDef{Method: "POST", Path: apiPrefix + "/records/" + k.Name, Kind: k.Name,
			Response: "WriteResult", Summary: "写入" + k.Title + "（" + k.Name + "）",
			Description: "请求体是" + k.Title + "记录的 JSON 数组，最多 10000 条、8 MB。" +
				"编号相同的记录替换已有的记录，内容相同的不改变任何数据：同一请求重复发送不会重复写入。" +
				"任何一条有误时整批都不写入，并逐条列出问题（index 为数组中的位置，从 0 起；field 为字段名）。",
			handle: s.apiPush(k.Name)})
	}
	return routes
}

// WriteResult is the answer to records written: how many the request held
// (a record repeated identically counts once), added, changed and left
// unchanged.
type WriteResult struct {
	Kind      string `json:"kind"`
	Received  int64  `json:"received"`
	Inserted  int64  `json:"inserted"`
	Updated   int64  `json:"updated"`
	Unchanged int64  `json:"unchanged"`
}

// apiPush is the handler of POST /api/v1/records/{kind}.
func (s *Server) apiPush(kind string) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, t *gs.APIToken) error {
		res, err := s.Service.PushRecords(r.Context(), t, kind, r.Body)
		if err != nil {
			return err
		}
		if res.Inserted+res.Updated > 0 {
			s.warmLive(r, t.Town)
		}
		writeJSON(w, http.StatusOK, WriteResult{Kind: res.Kind, Received: res.Received, Inserted: res.Inserted,
			Updated: res.Updated, Unchanged: res.Unchanged})
		return nil
	}
}

// TokenInfo is what GET /api/v1/token answers: the token's name, town and
// scopes.
type TokenInfo struct {
	Name  string   `json:"name"`
	Town  string   `json:"town"`
	Write []string `json:"write"`
	Read  bool     `json:"read"`
}

func (s *Server) apiTokenInfo(w http.ResponseWriter, r *http.Request, t *gs.APIToken) error {
	info := TokenInfo{Name: t.Name, Town: t.Town, Write: t.Write, Read: t.Read}
	if info.Write == nil {
		info.Write = []string{}
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

// apiTown is the town a read asks for: the token's, which ?town= may name
// and no other.
func apiTown(r *http.Request, t *gs.APIToken) (string, error) {
	if town := strings.TrimSpace(r.URL.Query().Get("town")); town != "" && town != t.Town {
		return "", gs.Errorf(gs.EFORBIDDEN, "此令牌属于%s，不能读取%s的数据。", t.Town, town)
	}
	return t.Town, nil
}

// apiQuarter reads the quarter of the path.
func apiQuarter(r *http.Request) (gs.Quarter, error) {
	q, err := gs.ParseQuarter(r.PathValue("quarter"))
	if err != nil {
		return q, gs.Errorf(gs.EINVALID, "季度应写作 2023Q3 这样的形式：%q", r.PathValue("quarter"))
	}
	return q, nil
}

// apiAsOf reads ?as_of= in the forms of the command line's --as-of
// (app.ParseTimestamp, DATA.md §2); given is false when it is not there.
func apiAsOf(r *http.Request) (asOf time.Time, given bool, err error) {
	v := plusOffset(strings.TrimSpace(r.URL.Query().Get("as_of")))
	if v == "" {
		return time.Time{}, false, nil
	}
	t, err := app.ParseTimestamp(v)
	if err != nil {
		return time.Time{}, false, gs.Errorf(gs.EINVALID, "as_of 应写作 2023-10-08 09:00、2023/10/8 9:00 或 2023-10-08T09:00:00+08:00 这样的时间：%q", v)
	}
	return t.In(gs.CST).Truncate(time.Second), true, nil
}

// spacedOffset is a time of day, a space and a two-digit offset (08, 0800
// or 08:00) at the end: how a query reads an offset whose '+' was not
// escaped (%2B), as in 2023-10-08T09:00:00+08:00 pasted into a URL.
var spacedOffset = regexp.MustCompile(`(\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$`)

// plusOffset gives back the '+' of an offset that a query decoded to a
// space (spacedOffset).
func plusOffset(v string) string { return spacedOffset.ReplaceAllString(v, "$1+$2") }

// apiResult returns town's quarter q for a read: as of asOf when given, as
// `gridscore assess --as-of` computes it; otherwise what the town's pages
// show (the stored snapshot of a computed quarter, else live as of now).
func (s *Server) apiResult(ctx context.Context, town string, q gs.Quarter, asOf time.Time, given bool) (*gs.Result, error) {
	if given {
		return s.apiLive(ctx, town, q, asOf)
	}
	st, err := s.Service.QuarterState(ctx, town, q)
	if err != nil {
		return nil, err
	}
	p := Period{Quarter: q}
	p.AsOf, p.Live = s.defaultAsOf(s.now())
	return s.resultIn(ctx, p, town, st)
}

// apiLive computes town's quarter q as of asOf from its records: a live
// result kept for that moment, else computed in the pages' turn
// (takeSlot) and not kept, so that the moments an integration asks for do
// not push out those the pages show.
func (s *Server) apiLive(ctx context.Context, town string, q gs.Quarter, asOf time.Time) (*gs.Result, error) {
	if res, err := s.Service.CachedTown(ctx, town, q, asOf); err != nil || res != nil {
		return res, err
	}
	if err := s.takeSlot(ctx); err != nil {
		return nil, err
	}
	defer func() { <-s.assessSlot }()
	return s.Service.AssessTown(ctx, town, q, asOf)
}

// apiQuarterResult is GET /api/v1/quarters/{quarter}/result.
func (s *Server) apiQuarterResult(w http.ResponseWriter, r *http.Request, t *gs.APIToken) error {
	res, err := s.apiReadResult(r, t)
	if err != nil {
		return err
	}
	return writeJSONWith(w, func(b *bytes.Buffer) error { return app.WriteResultJSON(b, res) })
}

// apiReadResult reads the town, quarter and moment of a read and returns
// the result.
func (s *Server) apiReadResult(r *http.Request, t *gs.APIToken) (*gs.Result, error) {
	town, err := apiTown(r, t)
	if err != nil {
		return nil, err
	}
	q, err := apiQuarter(r)
	if err != nil {
		return nil, err
	}
	asOf, given, err := apiAsOf(r)
	if err != nil {
		return nil, err
	}
	return s.apiResult(r.Context(), town, q, asOf, given)
}

// apiWorkerResult is GET /api/v1/quarters/{quarter}/workers/{worker_id}:
// the result with that worker alone. Another town's worker is refused.
func (s *Server) apiWorkerResult(w http.ResponseWriter, r *http.Request, t *gs.APIToken) error {
	id := r.PathValue("worker_id")
	town, err := s.Service.WorkerTown(r.Context(), id)
	if err != nil {
		return err
	}
	if town != "" && town != t.Town {
		return gs.Errorf(gs.EFORBIDDEN, "工号 %s 是%s的网格员：此令牌只能读取%s的数据。", id, town, t.Town)
	}
	res, err := s.apiReadResult(r, t)
	if err != nil {
		return err
	}
	one := *res
	one.Workers = nil
	for _, wr := range res.Workers {
		if wr.WorkerID == id {
			one.Workers = append(one.Workers, wr)
		}
	}
	if len(one.Workers) == 0 {
		return gs.Errorf(gs.ENOTFOUND, "%s %s 的考核结果中没有工号为 %s 的网格员。", t.Town, res.Quarter, id)
	}
	return writeJSONWith(w, func(b *bytes.Buffer) error { return app.WriteResultJSON(b, &one) })
}

// apiWarnings is GET /api/v1/warnings: the town's warnings as of as_of
// (default now), of its quarter unless ?quarter= names another.
func (s *Server) apiWarnings(w http.ResponseWriter, r *http.Request, t *gs.APIToken) error {
	town, err := apiTown(r, t)
	if err != nil {
		return err
	}
	asOf, given, err := apiAsOf(r)
	if err != nil {
		return err
	}
	live := false
	if !given {
		asOf, live = s.defaultAsOf(s.now())
	}
	q := gs.QuarterOf(gs.DateOf(asOf))
	if v := strings.TrimSpace(r.URL.Query().Get("quarter")); v != "" {
		if q, err = gs.ParseQuarter(v); err != nil {
			return gs.Errorf(gs.EINVALID, "季度应写作 2023Q3 这样的形式：%q", v)
		}
	}
	var res *gs.Result
	if live {
		res, err = s.assessTown(r.Context(), Period{Quarter: q, AsOf: asOf, Live: true}, town)
	} else {
		res, err = s.apiLive(r.Context(), town, q, asOf)
	}
	if err != nil {
		return err
	}
	return writeJSONWith(w, func(b *bytes.Buffer) error { return app.WriteWarningsJSON(b, town, res) })
}

// writeJSONWith answers 200 with the JSON write makes, written whole
// first so that a failure is still answered as an error.
func writeJSONWith(w http.ResponseWriter, write func(*bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes()) // a client gone meanwhile is no one to answer
	return nil
}
