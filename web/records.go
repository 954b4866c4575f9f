package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// RecordsPage lists the records of one kind that the user may see, a page
// at a time, with filters by worker, grid, town (for the district) and
// dates.
type RecordsPage struct {
	Page
	Kind, KindName string
	// Noun names the kind's records in a sentence: 事件记录, but 核查记录
	// (not 核查记录记录).
	Noun   string
	Kinds  []KindTab
	Filter RecordFilterForm
	// ShowTown and ShowGrid offer those filters; ShowWorker the worker's
	// (not to a grid worker, who sees their own).
	ShowTown, ShowGrid, ShowWorker bool
	Towns, Grids                   []Option
	// Header has the columns, each sorting the list when it can; Sort is
	// the list's order (the kind's date, newest first, unless the request
	// names one: sorted).
	Header []Column
	listOrder
	Rows []RecordRow
	// Count says how many records match.
	Count string
	Pager Pager
	// NewURL is the form of a new record ("" when the user may not enter
	// this kind); Linked says that each record has a page of its own;
	// Masked that names and ID numbers are masked.
	NewURL string
	Linked bool
	Masked bool
	// Done says what was just done (a record deleted).
	Done string
	// Hint says how the kind's records are read (whose calendar days hold).
	Hint string
	// IDs are the ids the list is limited to (the records a deduction rests
	// on), kept in the filter form as hidden fields.
	IDs []string
	// IDsLeft is how many more ids the link named than the list takes
	// (app.MaxRecordIDs at most).
	IDsLeft int
	// ExportURL downloads every record of the list, in its order.
	ExportURL string
}

// KindTab is one kind in the list of kinds.
type KindTab struct {
	Name, Label, URL string
	Current          bool
}

// RecordFilterForm is the filter form as typed, with the message beside a
// date that could not be read.
type RecordFilterForm struct {
	Worker, Town, Grid, From, To string
	FromError, ToError           string
}

// RecordRow is one record in Chinese, with the link to its page (for the
// kinds entered by hand) and its evidence files.
type RecordRow struct {
	Cells    []string
	URL      string
	Evidence []EvidenceLink
	// ReadOnly marks a record a user who enters its kind may not change:
	// the district's meeting or calendar day, for a town's center.
	ReadOnly bool
}

// EvidenceLink is a file attached to a finding; Remove marks it to be
// deleted in a form shown again.
type EvidenceLink struct {
	ID, Name, URL, Size string
	Remove              bool
}

// recordKind returns the kind the request names (the path, else the
// query), "findings" by default.
func recordKind(r *http.Request) (string, error) {
	kind := r.PathValue("kind")
	if kind == "" {
		kind = r.URL.Query().Get("kind")
	}
	if kind == "" {
		kind = "findings"
	}
	if !slices.Contains(app.ListedKinds(), kind) {
		return "", gs.Errorf(gs.ENOTFOUND, "没有这类记录：“%s”。", kind)
	}
	return kind, nil
}

// recordList is /records and /records/{kind}: the filter form, the kinds,
// the choices of towns and grids, then the page of records asked for.
func (s *Server) recordList(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	kind, err := recordKind(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page := &RecordsPage{Page: s.page(u, gs.KindName[kind]+" · 记录", "records"), Kind: kind, KindName: gs.KindName[kind],
		Noun: recordsNoun(kind), ShowWorker: u.Role != gs.RoleWorker, ShowTown: u.Role == gs.RoleDistrict, Masked: !u.SeesPersonalData()}
	if q.Get("deleted") != "" {
		page.Done = "记录已删除。"
	}
	switch kind {
	case "calendar":
		page.Hint = "工作日历在国家法定节假日和调休安排之上调整：镇街为“全区”的日期由区中心设置，对所有镇街有效；" +
			"镇街自己的日期只对本镇街有效，同一日期以镇街的为准。"
	case "meetings":
		page.Hint = "镇街为“全区”的是区中心的会议；各镇街中心录入本镇街网格员的出勤。"
	}
	query, status, err := s.recordFilter(r, page)
	if err != nil {
		return err
	}
	for _, k := range app.ListedKinds() {
		page.Kinds = append(page.Kinds, KindTab{Name: k, Label: gs.KindName[k], Current: k == kind, URL: page.link(k, 1)})
	}
	if hasRecordPage(kind) {
		page.Linked = true
		if app.CanEnter(u, kind) {
			page.NewURL = "/records/" + kind + "/new"
		}
	}
	if err := s.recordChoices(r, u, page); err != nil {
		return err
	}
	if status != http.StatusOK {
		return s.render(w, r, status, "records", page)
	}
	if err := s.recordPage(r, u, page, query); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "records", page)
}

// recordFilter reads the filter form of the request into page (the
// quarter the server shows when it names no dates and no ids) and returns
// the query it asks for, with 400 when a date cannot be read.
func (s *Server) recordFilter(r *http.Request, page *RecordsPage) (app.RecordQuery, int, error) {
	q := r.URL.Query()
	form := RecordFilterForm{
		Worker: strings.TrimSpace(q.Get("worker")), Town: strings.TrimSpace(q.Get("town")),
		Grid: strings.TrimSpace(q.Get("grid")), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
	}
	ids := q["id"]
	if len(ids) > app.MaxRecordIDs {
		page.IDsLeft = len(ids) - app.MaxRecordIDs
		ids = ids[:app.MaxRecordIDs]
	}
	page.IDs = ids
	if !q.Has("from") && !q.Has("to") && len(ids) == 0 {
		// Without dates the list shows the quarter the server shows; the
		// records of given ids are shown whatever their dates.
		p, err := s.period(r)
		if err != nil {
			return app.RecordQuery{}, 0, err
		}
		form.From, form.To = p.Quarter.First().String(), p.Quarter.Last().String()
	}
	query := app.RecordQuery{Kind: page.Kind, WorkerID: form.Worker, Town: form.Town, GridCode: form.Grid, IDs: ids, Limit: s.PageSize}
	status := http.StatusOK
	if query.From, page.Filter.FromError = parseFilterDate(form.From); page.Filter.FromError != "" {
		status = http.StatusBadRequest
	}
	if query.To, page.Filter.ToError = parseFilterDate(form.To); page.Filter.ToError != "" {
		status = http.StatusBadRequest
	}
	if status == http.StatusOK && !query.From.IsZero() && !query.To.IsZero() && query.To < query.From {
		page.Filter.ToError, status = "结束日期不能早于开始日期。", http.StatusBadRequest
	}
	page.Filter.Worker, page.Filter.Town, page.Filter.Grid, page.Filter.From, page.Filter.To = form.Worker, form.Town, form.Grid, form.From, form.To
	cols := app.RecordColumns(page.Kind, page.User)
	page.Sort, page.sorted = sortOf(q, func(col string) bool {
		return slices.ContainsFunc(cols, func(c app.RecordColumn) bool { return c.Sort == col })
	}, listSort{Col: app.DefaultRecordSort(page.Kind), Desc: true})
	if page.sorted {
		query.Sort, query.Desc = page.Sort.Col, page.Sort.Desc
	}
	page.ExportURL = "/export/records/" + page.Kind + "?" + page.query(page.Kind).Encode()
	return query, status, nil
}

// query returns the query of the list of kind k with the page's filters;
// the ids and the order are those of the page's kind, so only its own
// lists keep them.
func (page *RecordsPage) query(k string) url.Values {
	f := page.Filter
	v := url.Values{}
	if k == page.Kind && len(page.IDs) > 0 {
		v["id"] = page.IDs
	}
	for name, value := range map[string]string{"worker": f.Worker, "town": f.Town, "grid": f.Grid, "from": f.From, "to": f.To} {
		if value != "" || name == "from" || name == "to" { // an empty date is kept: it means no bound
			v.Set(name, value)
		}
	}
	if k == page.Kind && page.sorted {
		page.Sort.set(v)
	}
	return v
}

// link returns the list of kind k with the page's filters, at page n.
func (page *RecordsPage) link(k string, n int) string {
	v := page.query(k)
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	return "/records/" + k + "?" + v.Encode()
}

// sortLink returns the list with the page's filters in order o.
func (page *RecordsPage) sortLink(o listSort) string {
	v := page.query(page.Kind)
	o.set(v)
	return "/records/" + page.Kind + "?" + v.Encode()
}

// recordChoices puts into page the towns and grids the user may filter by.
func (s *Server) recordChoices(r *http.Request, u *gs.User, page *RecordsPage) error {
	towns, grids, err := s.Service.RecordChoices(r.Context(), u, page.Filter.Town)
	if err != nil {
		return err
	}
	page.Towns = options(setOf(towns), page.Filter.Town)
	for _, g := range grids {
		page.Grids = append(page.Grids, Option{Value: g.Code, Label: g.Code + " " + g.Name, Selected: g.Code == page.Filter.Grid})
	}
	// Calendar days are nobody's: neither a worker nor a grid chooses them.
	page.ShowGrid = len(page.Grids) > 0 && page.Kind != "calendar"
	page.ShowWorker = page.ShowWorker && page.Kind != "calendar"
	return nil
}

// recordPage puts into page the records of query at the page the request
// names (the last one when it names one past the end), with the pager and
// the count.
func (s *Server) recordPage(r *http.Request, u *gs.User, page *RecordsPage, query app.RecordQuery) error {
	var res *app.RecordPage
	n, pages, note, err := pageAt(r.URL.Query().Get("page"), s.PageSize, func(offset int) (int, error) {
		query.Offset = offset
		var err error
		if res, err = s.Service.Records(r.Context(), u, query); err != nil {
			return 0, err
		}
		return res.Matched, nil
	})
	if err != nil {
		return err
	}
	if err := s.recordRows(r, page, page.Kind, &res.Records); err != nil {
		return err
	}
	if res.Withheld != "" {
		page.Hint = res.Withheld
	}
	page.Pager = newPager(n, pages, query.Offset+1, query.Offset+len(page.Rows), func(k int) string { return page.link(page.Kind, k) })
	page.Pager.Note, page.Pager.Jump = note, jumpTo("/records/"+page.Kind, page.query(page.Kind))
	page.Count = "共 " + strconv.Itoa(res.Matched) + " 条"
	if res.Matched > app.MaxCounted {
		page.Count = "超过 " + strconv.Itoa(app.MaxCounted) + " 条（只列出前 " + strconv.Itoa(app.MaxCounted) + " 条，请缩小范围；导出 Excel 可得全部）"
	}
	return nil
}

// recordRows puts the records into the page in Chinese, as the export
// writes them, with links to the records entered by hand and to the
// evidence of findings.
func (s *Server) recordRows(r *http.Request, page *RecordsPage, kind string, recs *gs.Records) error {
	rows, err := s.Service.RecordRows(r.Context(), kind, recs)
	if err != nil {
		return err
	}
	page.Header = nil
	for _, c := range app.RecordColumns(kind, page.User) {
		col := column(c.Title, c.Sort, page.Sort, page.sortLink)
		col.NoWrap = c.NoWrap
		page.Header = append(page.Header, col)
	}
	keys := app.RecordKeys(kind, recs)
	var files map[string][]gs.Evidence
	if kind == "findings" {
		ids := make([]string, len(recs.Findings))
		for i, f := range recs.Findings {
			ids[i] = f.ID
		}
		if files, err = s.Service.EvidenceOf(r.Context(), ids); err != nil {
			return err
		}
	}
	for i, cells := range rows {
		row := RecordRow{Cells: cells}
		if u := page.User; u.Role == gs.RoleTownAdmin || u.Role == gs.RoleTownStaff {
			switch kind {
			case "calendar":
				row.ReadOnly = recs.Calendar[i].Town == ""
			case "meetings":
				row.ReadOnly = recs.Meetings[i].Town == ""
			}
		}
		if i < len(keys) {
			row.URL = recordURL(kind, keys[i])
			if kind == "findings" {
				row.Evidence = evidenceLinks(files[keys[i][0]])
			}
		}
		page.Rows = append(page.Rows, row)
	}
	return nil
}

// recordURL is the page of a record: its key (app.KeyPath: the parts
// joined by "/", a district's calendar day without its empty town) in one
// escaped path segment.
func recordURL(kind string, key []string) string {
	return "/records/" + kind + "/" + url.PathEscape(app.KeyPath(key))
}

// keyOf reads the key of a record of kind from the path (app.ParseKeyPath).
func keyOf(r *http.Request, kind string) []string {
	return app.ParseKeyPath(kind, r.PathValue("key"))
}

func evidenceLinks(es []gs.Evidence) []EvidenceLink {
	var out []EvidenceLink
	for _, e := range es {
		id := strconv.FormatInt(e.ID, 10)
		out = append(out, EvidenceLink{ID: id, Name: e.Name, URL: "/evidence/" + id, Size: sizeText(e.Size)})
	}
	return out
}

// sizeText words a file size: 512 B, 34 KB, 1.2 MB.
func sizeText(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	tenths := n * 10 >> 20
	return strconv.FormatInt(tenths/10, 10) + "." + strconv.FormatInt(tenths%10, 10) + " MB"
}

// parseFilterDate reads a date of the filter form ("" = none) and returns
// a message when it cannot.
func parseFilterDate(v string) (gs.Date, string) {
	if v == "" {
		return 0, ""
	}
	t, err := time.ParseInLocation("2006-01-02", v, gs.CST)
	if err != nil {
		return 0, "请按 2023-10-08 的格式填写日期。"
	}
	return gs.DateOf(t), ""
}

func setOf(vs []string) map[string]bool {
	m := make(map[string]bool, len(vs))
	for _, v := range vs {
		m[v] = true
	}
	return m
}

// hasRecordPage reports whether each record of kind has a page of its own:
// the kinds entered by hand.
func hasRecordPage(kind string) bool {
	return app.HandFields(kind) != nil
}

// recordsNoun names a kind's records in a sentence: its name followed by
// 记录 unless the name ends so already (核查记录).
func recordsNoun(kind string) string {
	if n := gs.KindName[kind]; strings.HasSuffix(n, "记录") {
		return n
	}
	return gs.KindName[kind] + "记录"
}
