package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// WorkerLife is the quarter's state on a worker's page: the state, the
// appeal period, the worker's appeals and the deductions voided.
type WorkerLife struct {
	StateName string
	// Published is set while the quarter is published (公示).
	Published bool
	// AppealUntil is the last day of the appeal period, while published.
	AppealUntil string
	// AppealWorkdays is how many workdays after publication appeals are
	// open (the scheme's).
	AppealWorkdays int
	Appeals        []AppealRow
	Voided         []VoidedRow
}

// AppealRow is an appeal in words.
type AppealRow struct {
	ID                          int64
	WorkerID, Rule, Period      string
	Reason, Status, StatusName  string
	Reply, CreatedAt, DecidedAt string
	DecidedBy                   string
	Pending                     bool
	// WorkerURL links to the worker's quarter.
	WorkerURL string
	// Name is the worker's name and Deduction the deduction appealed
	// (points, sentence, evidence), read from the quarter's stored result;
	// Deduction is nil when that result no longer lists it.
	Name      string
	Deduction *DeductionRow
	// Action is where the decision posts; ReplyTyped and Error are a
	// decision posted with a mistake, shown again.
	Action, ReplyTyped, Error string
}

// VoidedRow is a voided deduction in words; Dormant says, for a void
// whose deduction the last computation no longer had, that it changes
// nothing for now.
type VoidedRow struct{ Rule, Period, Reason, By, At, Dormant string }

// DeductionForm is an appeal or void form posted with a mistake.
type DeductionForm struct {
	Ref           gs.DeductionRef
	Reason, Error string
}

// workerLife is a WorkerLife with what decorating the deduction rows needs.
type workerLife struct {
	WorkerLife
	appeals            map[gs.DeductionRef]*AppealRow // by DeductionRef.Key
	canAppeal, canVoid bool
	action             string
	workerID           string
	form               DeductionForm
	// formShown is set once the form's deduction is listed, with its
	// mistake beside it.
	formShown bool
}

func appealRow(a gs.Appeal, p Period) AppealRow {
	return AppealRow{ID: a.ID, WorkerID: a.WorkerID, Rule: gs.NameOr(gs.RuleName, a.Rule), Period: a.PeriodName(), Reason: a.Reason,
		Status: string(a.Status), StatusName: gs.AppealStatusName[a.Status], Reply: a.Reply,
		CreatedAt: fmtTime(a.CreatedAt), DecidedAt: fmtTime(a.DecidedAt), DecidedBy: a.DecidedBy,
		Pending: a.Status == gs.AppealPending, WorkerURL: workerURL(a.WorkerID, p),
		Action: "/appeals/" + strconv.FormatInt(a.ID, 10) + p.Query()}
}

// workerLife reads the state of wr's quarter for u's page.
func (s *Server) workerLife(ctx context.Context, u *gs.User, wr *gs.WorkerResult, p Period, form DeductionForm) (*workerLife, error) {
	st, err := s.Service.QuarterState(ctx, wr.Town, p.Quarter)
	if err != nil {
		return nil, err
	}
	l := &workerLife{WorkerLife: WorkerLife{StateName: s.quarterStateName(st, p.Quarter), Published: st.State == gs.StatePublished,
		AppealWorkdays: s.Service.Scheme.AppealWorkdays},
		appeals: map[gs.DeductionRef]*AppealRow{}, workerID: wr.WorkerID, form: form}
	own := u.Role == gs.RoleWorker && u.WorkerID == wr.WorkerID
	center := (u.Role == gs.RoleTownAdmin || u.Role == gs.RoleTownStaff) && u.Town == wr.Town
	if l.Published {
		last, err := s.Service.AppealDeadline(ctx, wr.Town, st.PublishedAt)
		if err != nil {
			return nil, err
		}
		l.AppealUntil = last.String()
		l.canAppeal = own && gs.DateOf(s.now()) <= last
		l.action = "/workers/" + url.PathEscape(wr.WorkerID) + "/appeals" + p.Query()
	}
	if center && st.State == gs.StateComputed {
		l.canVoid = true
		l.action = "/workers/" + url.PathEscape(wr.WorkerID) + "/void" + p.Query()
	}
	as, err := s.Service.Appeals(ctx, gs.AppealFilter{Town: wr.Town, Quarter: p.Quarter.String(), WorkerID: wr.WorkerID})
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		row := appealRow(a, p)
		l.Appeals = append(l.Appeals, row)
		l.appeals[a.Key()] = &l.Appeals[len(l.Appeals)-1]
	}
	if st.HasSnapshot() {
		vs, err := s.Service.Voided(ctx, wr.Town, p.Quarter)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if v.WorkerID == wr.WorkerID {
				row := VoidedRow{Rule: gs.NameOr(gs.RuleName, v.Rule), Period: v.PeriodName(), Reason: v.Reason, By: s.Service.PersonName(ctx, v.By), At: fmtTime(v.At)}
				if !v.DormantSince.IsZero() {
					row.Dormant = "自 " + fmtTime(v.DormantSince) + " 重新计算起，结果中已没有这项扣分（所依据的记录已变化），这条撤销暂不起作用；这项扣分如再出现，撤销仍然有效。"
				}
				l.Voided = append(l.Voided, row)
			}
		}
	}
	return l, nil
}

// row is deduction d in words with its appeal and the form the user may
// post about it.
func (l *workerLife) row(d gs.Deduction) DeductionRow {
	row := deductionRow(l.workerID, d)
	ref := gs.RefOf(l.workerID, d)
	row.Appeal = l.appeals[ref.Key()]
	row.CanAppeal = l.canAppeal && row.Appeal == nil
	row.CanVoid = l.canVoid
	if l.action != "" {
		row.Action = l.action + "#" + row.Anchor
	}
	if l.form.Ref == ref {
		row.Reason, row.Error = l.form.Reason, l.form.Error
		l.formShown = true
	}
	return row
}

// deductionForm reads the deduction a form names and its reason.
func deductionForm(r *http.Request) DeductionForm {
	return DeductionForm{
		Ref: gs.DeductionRef{WorkerID: r.PathValue("id"), Rule: gs.RuleID(r.PostFormValue("rule")),
			Period: r.PostFormValue("period"), EvidenceKey: r.PostFormValue("evidence"), Item: r.PostFormValue("item")},
		Reason: strings.TrimSpace(r.PostFormValue("reason")),
	}
}

// afterDeductionForm redirects to the worker's page after a form that
// worked, or shows the page again with the mistake beside the form.
func (s *Server) afterDeductionForm(w http.ResponseWriter, r *http.Request, u *gs.User, p Period, form DeductionForm, err error) error {
	switch gs.ErrorCode(err) {
	case "":
		http.Redirect(w, r, workerURL(form.Ref.WorkerID, p), http.StatusSeeOther)
		return nil
	case gs.EINVALID, gs.ECONFLICT, gs.ENOTFOUND:
		form.Error = gs.ErrorMessage(err)
		return s.workerQuarterWith(w, r, u, statusOf(err), form)
	}
	return err
}

// appeal is POST /workers/{id}/appeals: a grid worker appeals one of their
// own deductions with a reason.
func (s *Server) appeal(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	form := deductionForm(r)
	if u.Role != gs.RoleWorker || u.WorkerID != form.Ref.WorkerID {
		return forbidden("只有网格员本人可以对自己的扣分提出申诉。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	_, err = s.Service.Appeal(r.Context(), u, p.Quarter, form.Ref, form.Reason)
	return s.afterDeductionForm(w, r, u, p, form, err)
}

// voidDeduction is POST /workers/{id}/void: the center voids one deduction
// of a computed quarter with a reason, once confirmed on its own page
// (voidConfirm).
func (s *Server) voidDeduction(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if u.Role != gs.RoleTownAdmin && u.Role != gs.RoleTownStaff {
		return forbidden("只有镇街中心可以撤销扣分。")
	}
	form := deductionForm(r)
	p, err := s.period(r)
	if err != nil {
		return err
	}
	if !confirmed(r) {
		return s.voidConfirm(w, r, u, p, form, http.StatusOK)
	}
	err = s.Service.VoidDeduction(r.Context(), u, u.Town, p.Quarter, form.Ref, form.Reason)
	if gs.ErrorCode(err) == gs.EINVALID {
		form.Error = gs.ErrorMessage(err)
		return s.voidConfirm(w, r, u, p, form, http.StatusBadRequest)
	}
	return s.afterDeductionForm(w, r, u, p, form, err)
}
