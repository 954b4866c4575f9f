package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
)

// AuditPage is the administrator's view of the audit log: who did what,
// when and why, newest first, filtered and paged backwards.
type AuditPage struct {
	Page
	// Scope says whose entries are shown: a town, or all towns.
	Scope   string
	Filter  AuditFilterForm
	Actions []Option
	Rows    []AuditRow
	// Older is the link to the next, older page ("" on the last one).
	Older string
	// Reset clears the filters.
	Reset string
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

// auditLog is GET /audit: the audit log, for a town's administrator (his
// town's entries) and the district (every entry, read-only).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if u.Role != gs.RoleTownAdmin && u.Role != gs.RoleDistrict {
		return forbidden("只有镇街管理员和区中心可以查看操作日志。")
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
			form.Action, f.Action = "", ""
			page.Filter.Action = ""
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
	if status != http.StatusOK {
		return s.render(w, r, status, "audit", page)
	}
	if v := q.Get("before"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return gs.Errorf(gs.EINVALID, "翻页参数有误，请从第一页重新查看。")
		}
		f.BeforeID = id
	}

	entries, next, err := s.Service.AuditLog(r.Context(), u, f, s.PageSize)
	if err != nil {
		return err
	}
	for _, e := range entries {
		page.Rows = append(page.Rows, AuditRow{At: e.At.In(gs.CST).Format("2006-01-02 15:04:05"),
			User: e.Username, Action: gs.NameOr(gs.AuditActionName, e.Action), Object: objectText(e.Object), Detail: e.Detail})
	}
	if next > 0 {
		v := url.Values{}
		for k, name := range map[string]string{"user": form.User, "action": page.Filter.Action, "from": form.From, "to": form.To} {
			if name != "" {
				v.Set(k, name)
			}
		}
		v.Set("before", strconv.FormatInt(next, 10))
		page.Older = "/audit?" + v.Encode()
	}
	return s.render(w, r, http.StatusOK, "audit", page)
}
