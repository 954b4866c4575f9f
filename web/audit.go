package web

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// AuditPage is the administrator's view of the audit log: who did what,
// when and why, newest first unless sorted otherwise, filtered and paged.
type AuditPage struct {
	Page
	// Scope says whose entries are shown: a town, or all towns.
	Scope   string
	Filter  AuditFilterForm
	Actions []Option
	// Header has the columns, the time, user and action sorting the list;
	// Sort is the list's order (newest first unless the request names
	// one: sorted).
	Header []Column
	listOrder
	Rows []AuditRow
	// Count says how many entries match.
	Count string
	Pager Pager
	// Reset clears the filters; ExportURL downloads every entry of the
	// list, in its order.
	Reset, ExportURL string
}

// AuditFilterForm is the filter form as typed, with a message beside a
// field that could not be read.
type AuditFilterForm struct {
	User, Action, From, To string
	FromError, ToError     string
}

// AuditRow is one entry of the log as shown.
type AuditRow struct {
	At, User, Action, Object, Detail string
}

// auditActionOrder is the order of the actions in the filter's select.
var auditActionOrder = []string{
	gs.AuditLogin, gs.AuditLoginFailed, gs.AuditAccountLocked, gs.AuditUserCreated,
	gs.AuditPasswordChanged, gs.AuditUserDisabled, gs.AuditUserEnabled,
	gs.AuditQuarterComputed, gs.AuditQuarterPublished, gs.AuditQuarterFinalized,
	gs.AuditQuarterReopened, gs.AuditQuarterFiled, gs.AuditDeductionVoided,
	gs.AuditAppealCreated, gs.AuditAppealUpheld, gs.AuditAppealRejected,
}

// auditActions lists every known action, in auditActionOrder then any
// other named one by key.
func auditActions(selected string) []Option {
	seen := map[string]bool{}
	var keys []string
	for _, k := range auditActionOrder {
		if _, ok := gs.AuditActionName[k]; ok && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	var rest []string
	for k := range gs.AuditActionName {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	keys = append(keys, rest...)
	out := make([]Option, 0, len(keys))
	for _, k := range keys {
		out = append(out, Option{Value: k, Label: gs.AuditActionName[k], Selected: k == selected})
	}
	return out
}

// auditColumn is a column of the log, with the key it sorts by ("" for
// none).
type auditColumn struct{ label, sort string }

// auditColumns are the columns of the log.
var auditColumns = []auditColumn{
	{"时间", gs.AuditSortAt}, {"用户", gs.AuditSortUser}, {"操作", gs.AuditSortAction}, {"对象", ""}, {"说明", ""},
}

// auditLog is GET /audit: the audit log, for a town's administrator (his
// town's entries) and the district (every entry, read-only).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	page, f, status, err := s.auditFilter(r, u)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return s.render(w, r, status, "audit", page)
	}
	var res *app.AuditPage
	n, pages, note, err := pageAt(r.URL.Query().Get("page"), s.PageSize, func(offset int) (int, error) {
		var err error
		if res, err = s.Service.AuditPage(r.Context(), u, f, offset, s.PageSize); err != nil {
			return 0, err
		}
		return res.Matched, nil
	})
	if err != nil {
		return err
	}
	for _, e := range res.Entries {
		at, user, action, object, detail := auditCells(e)
		page.Rows = append(page.Rows, AuditRow{At: at, User: user, Action: action, Object: object, Detail: detail})
	}
	first := (n-1)*s.PageSize + 1
	page.Pager = newPager(n, pages, first, first+len(page.Rows)-1, func(k int) string {
		v := page.query()
		if k > 1 {
			v.Set("page", strconv.Itoa(k))
		}
		return "/audit?" + v.Encode()
	})
	page.Pager.Note, page.Pager.Jump = note, jumpTo("/audit", page.query())
	page.Count = "共 " + strconv.Itoa(res.Matched) + " 条"
	if res.Matched > app.MaxCounted {
		page.Count = "超过 " + strconv.Itoa(app.MaxCounted) + " 条（只列出前 " + strconv.Itoa(app.MaxCounted) + " 条，请缩小范围；导出 Excel 可得全部）"
	}
	return s.render(w, r, http.StatusOK, "audit", page)
}

// auditCells are an entry of the log in words: its time, user, action,
// object and detail.
func auditCells(e gs.AuditEntry) (at, user, action, object, detail string) {
	return e.At.In(gs.CST).Format("2006-01-02 15:04:05"), e.Username, gs.NameOr(gs.AuditActionName, e.Action), objectText(e.Object), e.Detail
}

// auditFilter reads the log's filters and order from the request into its
// page, with the filter they make; 400 when a date cannot be read. Only a
// town's administrator and the district read the log.
func (s *Server) auditFilter(r *http.Request, u *gs.User) (*AuditPage, gs.AuditFilter, int, error) {
	if u.Role != gs.RoleTownAdmin && u.Role != gs.RoleDistrict {
		return nil, gs.AuditFilter{}, 0, forbidden("只有镇街管理员和区中心可以查看操作日志。")
	}
	q := r.URL.Query()
	form := AuditFilterForm{
		User:   strings.TrimSpace(q.Get("user")),
		Action: strings.TrimSpace(q.Get("action")),
		From:   strings.TrimSpace(q.Get("from")),
		To:     strings.TrimSpace(q.Get("to")),
	}
	page := &AuditPage{Page: s.page(u, "操作日志", "audit"), Filter: form, Reset: "/audit"}
	page.Scope = "全部镇街"
	if u.Role == gs.RoleTownAdmin {
		page.Scope = u.Town
	}
	f := gs.AuditFilter{Username: form.User, Action: form.Action}
	if form.Action != "" {
		if _, ok := gs.AuditActionName[form.Action]; !ok {
			f.Action, page.Filter.Action = "", ""
		}
	}
	page.Actions = auditActions(page.Filter.Action)
	status := http.StatusOK
	if form.From != "" {
		d, err := time.ParseInLocation("2006-01-02", form.From, gs.CST)
		if err != nil {
			page.Filter.FromError = "请按 2023-10-08 的格式填写日期。"
			status = http.StatusBadRequest
		}
		f.From = d
	}
	if form.To != "" {
		d, err := time.ParseInLocation("2006-01-02", form.To, gs.CST)
		if err != nil {
			page.Filter.ToError = "请按 2023-10-08 的格式填写日期。"
			status = http.StatusBadRequest
		} else {
			f.To = d.AddDate(0, 0, 1) // the whole of the last day
		}
	}
	if status == http.StatusOK && !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		page.Filter.ToError = "结束日期不能早于开始日期。"
		status = http.StatusBadRequest
	}
	page.Sort, page.sorted = sortOf(q, func(col string) bool {
		return slices.ContainsFunc(auditColumns, func(c auditColumn) bool { return c.sort != "" && c.sort == col })
	}, listSort{Col: gs.AuditSortAt, Desc: true})
	f.Sort, f.Desc = page.Sort.Col, page.Sort.Desc
	for _, c := range auditColumns {
		page.Header = append(page.Header, column(c.label, c.sort, page.Sort, func(o listSort) string {
			v := page.query()
			o.set(v)
			return "/audit?" + v.Encode()
		}))
	}
	page.ExportURL = "/export/audit?" + page.query().Encode()
	return page, f, status, nil
}

// query returns the query of the log with the page's filters and order.
func (page *AuditPage) query() url.Values {
	v := url.Values{}
	for k, value := range map[string]string{"user": page.Filter.User, "action": page.Filter.Action, "from": page.Filter.From, "to": page.Filter.To} {
		if value != "" {
			v.Set(k, value)
		}
	}
	if page.sorted {
		page.Sort.set(v)
	}
	return v
}
