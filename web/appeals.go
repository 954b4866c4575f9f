package web

import (
	"net/http"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// AppealsPage is the town center's list of the quarter's appeals, pending
// first, each pending one with a form to uphold or reject it with a reply.
type AppealsPage struct {
	Page
	Period  Period
	Town    string
	State   string
	Pending []AppealRow
	Decided []AppealRow
	// CanDecide is set while the quarter is published.
	CanDecide bool
}

// appealList is GET /appeals: the appeals of the user's town, for its
// center.
func (s *Server) appealList(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	return s.appealListWith(w, r, u, http.StatusOK, 0, "", "")
}

// appealListWith renders the appeals page with the status, and the
// decision of appeal id shown again with its mistake when id is not 0.
func (s *Server) appealListWith(w http.ResponseWriter, r *http.Request, u *gs.User, status int, id int64, reply, msg string) error {
	if u.Role != gs.RoleTownAdmin && u.Role != gs.RoleTownStaff {
		return forbidden("只有镇街中心可以处理申诉。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	st, err := s.Service.QuarterState(r.Context(), u.Town, p.Quarter)
	if err != nil {
		return err
	}
	as, err := s.Service.DB.Appeals(r.Context(), store.AppealFilter{Town: u.Town, Quarter: p.Quarter.String()})
	if err != nil {
		return err
	}
	page := &AppealsPage{Page: s.page(u, u.Town+" "+p.Quarter.String()+" 申诉处理", "appeals"), Period: p, Town: u.Town,
		State: gs.StateName[st.State], CanDecide: st.State == gs.StatePublished}
	for _, a := range as {
		row := appealRow(a, p)
		if a.ID == id {
			row.ReplyTyped, row.Error = reply, msg
		}
		if row.Pending {
			page.Pending = append(page.Pending, row)
		} else {
			page.Decided = append(page.Decided, row)
		}
	}
	return s.render(w, r, status, "appeals", page)
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
