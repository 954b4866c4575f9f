package web

import (
	"cmp"
	"io"
	"net/http"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// The downloads of the lists (导出 Excel): every row the list's filters
// keep, not only the page shown, in the list's order, with the page's
// columns, for the same people as the page and masked as it is. Each is
// titled with what it is (whose, which filters, which order, when made).

// recordExport is GET /export/records/{kind}: the records of the list.
func (s *Server) recordExport(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	kind, err := recordKind(r)
	if err != nil {
		return err
	}
	page := &RecordsPage{Page: s.page(u, "", "records"), Kind: kind, KindName: gs.KindName[kind], Noun: recordsNoun(kind), Masked: !u.SeesPersonalData()}
	query, status, err := s.recordFilter(r, page)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return gs.Errorf(gs.EINVALID, "%s", page.Filter.FromError+page.Filter.ToError)
	}
	scope := u.Town
	switch {
	case u.Role == gs.RoleWorker:
		scope = u.Town + " " + u.WorkerID
	case u.Role == gs.RoleDistrict && page.Filter.Town != "":
		scope = page.Filter.Town
	case u.Role == gs.RoleDistrict:
		scope = "全区"
	}
	f := page.Filter
	var conds []string
	if f.Worker != "" {
		conds = append(conds, "工号 "+f.Worker)
	}
	if f.Grid != "" {
		conds = append(conds, "网格 "+f.Grid)
	}
	conds = append(conds, datesText(f.From, f.To))
	if len(page.IDs) > 0 {
		conds = append(conds, "指定编号的 "+strconv.Itoa(len(page.IDs))+" 条")
	}
	if page.Masked && kind == gs.KindRegister {
		conds = append(conds, "姓名、身份证号已脱敏")
	}
	order := "按日期从新到旧"
	if page.sorted {
		for _, c := range app.RecordColumns(kind, u) {
			if c.Sort == page.Sort.Col {
				order = orderText(c.Title, page.Sort.Desc)
			}
		}
	}
	title, name := s.listTitle(scope+" "+page.Noun, conds, order)
	return s.sendWorkbook(w, r, name, func(out io.Writer) error {
		return s.Service.WriteRecords(r.Context(), u, query, title, out)
	})
}

// workerExport is GET /export/workers: the workers of the list, with
// their scores and ranks as numbers.
func (s *Server) workerExport(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	page, err := s.workerRows(r, u)
	if err != nil {
		return err
	}
	scope := u.Town
	if u.Role == gs.RoleDistrict {
		scope = cmp.Or(page.Filter.Town, "全区")
	}
	f := page.Filter
	conds := []string{page.Period.QuarterText() + " 截至 " + page.Period.ResultAsOfText()}
	if f.Q != "" {
		conds = append(conds, "姓名或工号含“"+f.Q+"”")
	}
	if f.Grid != "" {
		conds = append(conds, "网格 "+f.Grid)
	}
	if f.Type != "" {
		conds = append(conds, gs.TypeName(gs.WorkerType(f.Type)))
	}
	var header []string
	order := ""
	for _, c := range page.Header {
		header = append(header, c.Label)
		if c.Sort != "" {
			order = orderText(c.Label, c.Sort == "descending")
		}
	}
	title, name := s.listTitle(scope+" 网格员", conds, order)
	return s.sendWorkbook(w, r, name, func(out io.Writer) error {
		return s.Service.WriteList(out, app.ListFile{Sheet: "网格员", Title: title, Header: header}, func(add func(...any) error) error {
			for _, row := range page.Rows {
				cells := []any{row.WorkerID, row.Name, row.Type}
				if page.ShowTown {
					cells = append(cells, row.Town)
				}
				var total, rank any = row.Total, row.Rank
				if row.total != nil {
					total = *row.total
				}
				if row.rank != nil {
					rank = *row.rank
				}
				if err := add(append(cells, row.Grid, total, rank, row.Note)...); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// auditExport is GET /export/audit: the entries of the log.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	page, f, status, err := s.auditFilter(r, u)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return gs.Errorf(gs.EINVALID, "%s", page.Filter.FromError+page.Filter.ToError)
	}
	var conds []string
	if page.Filter.User != "" {
		conds = append(conds, "用户 "+page.Filter.User)
	}
	if page.Filter.Action != "" {
		conds = append(conds, "操作“"+gs.AuditActionName[page.Filter.Action]+"”")
	}
	conds = append(conds, datesText(page.Filter.From, page.Filter.To))
	var header []string
	order := "按时间从新到旧"
	for _, c := range page.Header {
		header = append(header, c.Label)
		if c.Sort != "" && page.sorted {
			order = orderText(c.Label, c.Sort == "descending")
		}
	}
	title, name := s.listTitle(page.Scope+" 操作日志", conds, order)
	return s.sendWorkbook(w, r, name, func(out io.Writer) error {
		return s.Service.WriteList(out, app.ListFile{Sheet: "操作日志", Title: title, Header: header}, func(add func(...any) error) error {
			return s.Service.EachAuditEntry(r.Context(), u, f, func(e gs.AuditEntry) error {
				at, user, action, object, detail := auditCells(e)
				return add(at, user, action, object, detail)
			})
		})
	})
}

// listTitle returns the title of a download of what (青山镇 事件记录) with
// its filters and order, and its file name.
func (s *Server) listTitle(what string, conds []string, order string) (title, name string) {
	made, day := s.madeAt()
	title = what
	if len(conds) > 0 {
		title += "（" + strings.Join(conds, "，") + "）"
	}
	if order != "" {
		title += " " + order
	}
	return title + " · " + made, what + " " + day + ".xlsx"
}

// datesText words a filter's dates (either may be empty).
func datesText(from, to string) string {
	switch {
	case from != "" && to != "":
		return from + " 至 " + to
	case from != "":
		return from + " 起"
	case to != "":
		return "至 " + to
	}
	return "全部日期"
}

// orderText words a list's order by a column.
func orderText(label string, desc bool) string {
	if desc {
		return "按" + label + "降序"
	}
	return "按" + label + "升序"
}
