package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// AppealsPage is the quarter's appeals: for a town's center its town's,
// pending first, each pending one with a form to uphold or reject it with
// a reply; for the district every town's (or one town's), read only.
type AppealsPage struct {
	Page
	Period Period
	// Town is the town shown ("" for the district's every town).
	Town    string
	State   string
	Pending []AppealRow
	Decided []AppealRow
	// CanDecide is set while the quarter is published, for the center.
	CanDecide bool
	// District is set for the district's read-only view; Towns are the
	// choices of its town filter.
	District bool
	Towns    []Option
	// TownOf is the town of each appeal by id, for the district's list.
	TownOf map[int64]string
	// BackURL is the overview the page belongs to.
	BackURL string
}

// appealList is GET /appeals: the appeals of the user's town for its
// center; every town's, read only, for the district.
func (s *Server) appealList(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	return s.appealListWith(w, r, u, http.StatusOK, 0, "", "")
}

// appealListWith renders the appeals page with the status, and the
// decision of appeal id shown again with its mistake when id is not 0.
func (s *Server) appealListWith(w http.ResponseWriter, r *http.Request, u *gs.User, status int, id int64, reply, msg string) error {
	district := u.Role == gs.RoleDistrict
	if u.Role != gs.RoleTownAdmin && u.Role != gs.RoleTownStaff && !district {
		return forbidden("只有镇街中心和区中心可以查看申诉。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	town := u.Town
	page := &AppealsPage{Period: p, District: district, BackURL: "/" + p.Query(), TownOf: map[int64]string{}}
	if district {
		town = strings.TrimSpace(r.URL.Query().Get("town"))
		if page.Towns, err = s.townOptions(r, town); err != nil {
			return err
		}
	}
	page.Town = town
	title := "全区"
	if town != "" {
		title = town
		st, err := s.Service.QuarterState(r.Context(), town, p.Quarter)
		if err != nil {
			return err
		}
		page.State, page.CanDecide = s.quarterStateName(st, p.Quarter), !district && st.State == gs.StatePublished
		if district {
			page.BackURL = "/towns/" + url.PathEscape(town) + p.Query()
		}
	}
	page.Page = s.page(u, title+" "+p.Quarter.String()+" 申诉", "appeals")
	as, err := s.Service.Appeals(r.Context(), gs.AppealFilter{Town: town, Quarter: p.Quarter.String()})
	if err != nil {
		return err
	}
	for _, a := range as {
		row := appealRow(a, p)
		page.TownOf[a.ID] = a.Town
		if a.ID == id {
			row.ReplyTyped, row.Error = reply, msg
		}
		if row.Pending {
			page.Pending = append(page.Pending, row)
		} else {
			page.Decided = append(page.Decided, row)
		}
	}
	if err := s.appealDeductions(r.Context(), p, as, page.Pending, page.Decided); err != nil {
		return err
	}
	return s.render(w, r, status, "appeals", page)
}

// appealDeductions fills in each appeal row the worker's name and, for the
// pending ones, the deduction appealed, from the stored result of the
// appeals' towns: whoever decides reads what was deducted and why without
// opening the worker's page.
func (s *Server) appealDeductions(ctx context.Context, p Period, as []gs.Appeal, pending, decided []AppealRow) error {
	workers := map[string]*gs.WorkerResult{}
	seen := map[string]bool{}
	for _, a := range as {
		if seen[a.Town] {
			continue
		}
		seen[a.Town] = true
		st, err := s.Service.QuarterState(ctx, a.Town, p.Quarter)
		if err != nil {
			return err
		}
		if !st.HasSnapshot() {
			continue
		}
		res, err := s.Service.StoredResult(ctx, a.Town, p.Quarter, st)
		if err != nil {
			return err
		}
		for i := range res.Workers {
			if w := &res.Workers[i]; w.Town == a.Town {
				workers[w.WorkerID] = w
			}
		}
	}
	refs := map[int64]gs.DeductionRef{}
	for _, a := range as {
		refs[a.ID] = a.DeductionRef
	}
	for i := range decided {
		if w := workers[decided[i].WorkerID]; w != nil {
			decided[i].Name = w.Name
		}
	}
	for i := range pending {
		w := workers[pending[i].WorkerID]
		if w == nil {
			continue
		}
		pending[i].Name = w.Name
		for _, d := range w.Deductions {
			if gs.RefOf(w.WorkerID, d).Key() == refs[pending[i].ID].Key() {
				row := deductionRow(w.WorkerID, d)
				pending[i].Deduction = &row
				break
			}
		}
	}
	return nil
}

// townOptions are the towns of the district, for a filter, with selected
// chosen.
func (s *Server) townOptions(r *http.Request, selected string) ([]Option, error) {
	towns, err := s.Service.Towns(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]Option, len(towns))
	for i, t := range towns {
		out[i] = Option{Value: t, Label: t, Selected: t == selected}
	}
	return out, nil
}

// decideAppeal is POST /appeals/{appeal}: uphold or reject an appeal with
// a reply.
func (s *Server) decideAppeal(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if u.Role != gs.RoleTownAdmin && u.Role != gs.RoleTownStaff {
		return forbidden("只有镇街中心可以处理申诉。")
	}
	id, err := strconv.ParseInt(r.PathValue("appeal"), 10, 64)
	if err != nil {
		return gs.Errorf(gs.ENOTFOUND, "没有这件申诉。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	reply := strings.TrimSpace(r.PostFormValue("reply"))
	var uphold bool
	switch r.PostFormValue("decision") {
	case "uphold":
		uphold = true
	case "reject":
	default:
		return s.appealListWith(w, r, u, http.StatusBadRequest, id, reply, "请选择支持或驳回。")
	}
	err = s.Service.Decide(r.Context(), u, u.Town, p.Quarter, id, uphold, reply)
	switch gs.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/appeals"+p.Query(), http.StatusSeeOther)
		return nil
	case gs.EINVALID, gs.ECONFLICT:
		return s.appealListWith(w, r, u, statusOf(err), id, reply, gs.ErrorMessage(err))
	}
	return err
}
