package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// QuarterPanel is the quarter's life on a town's dashboard: the state, when
// it reached each step, what blocks finalizing, and the steps the user may
// take (each a POST form).
type QuarterPanel struct {
	State, StateName                           string
	AsOf, ComputedAt, PublishedAt, FinalizedAt string
	FiledAt                                    string
	// Steps are the quarter's five steps in order, each done, next or to
	// come: before the first computation all five are to come, 计算 next.
	Steps                                          []QuarterStep
	Blockers                                       []string
	PendingAppeals                                 int
	AppealsURL                                     string
	CanCompute, CanPublish, CanFinalize, CanReopen bool
	CanFile                                        bool
	// PublishBlocker says why a computed quarter cannot be published: it
	// was computed as of a moment before the quarter's end.
	PublishBlocker string
	// CanWithdraw is set for a computed quarter never published, which the
	// center may set back to open.
	CanWithdraw bool
	// StartsOn is the quarter's first day while the moment shown is before
	// it: nothing can be computed yet.
	StartsOn string
	// Action is the URL the forms post to (…/quarter/{step}).
	Action string
	// AsOfField is the moment the compute form proposes.
	AsOfField string
	Form      QuarterForm
}

// QuarterStep is one step of the quarter's life as the dashboard lists
// it: Text says when it was taken (计算于 …) or names it; Status is done,
// next or todo (greyed).
type QuarterStep struct {
	Text, Status string
}

// quarterSteps lists the five steps of a quarter in st's state: those the
// state has passed with when each was taken, the next one, then the rest.
// 申诉 has no moment of its own: it runs while the quarter is published
// and is over once finalized.
func quarterSteps(st *gs.QuarterState) []QuarterStep {
	reached := map[gs.State]int{gs.StateOpen: 0, gs.StateComputed: 1, gs.StatePublished: 2, gs.StateFinalized: 4, gs.StateFiled: 5}[st.State]
	steps := []struct{ name, done string }{
		{"计算", "计算于 " + fmtTime(st.ComputedAt) + "（计算时点 " + fmtTime(st.AsOf) + "）"},
		{"公示", "公示于 " + fmtTime(st.PublishedAt)},
		{"申诉", "申诉期已结束"},
		{"定稿", "定稿于 " + fmtTime(st.FinalizedAt)},
		{"报备", "报备于 " + fmtTime(st.FiledAt)},
	}
	out := make([]QuarterStep, len(steps))
	for i, step := range steps {
		switch {
		case i < reached:
			out[i] = QuarterStep{Text: step.done, Status: "done"}
		case i == reached && st.State == gs.StatePublished:
			out[i] = QuarterStep{Text: "申诉（公示期间）", Status: "next"}
		case i == reached:
			out[i] = QuarterStep{Text: step.name + "（下一步）", Status: "next"}
		default:
			out[i] = QuarterStep{Text: step.name, Status: "todo"}
		}
	}
	return out
}

// QuarterForm is a quarter step posted with a mistake, shown again: the
// message beside its field and the values typed.
type QuarterForm struct {
	// Step is the step posted: compute, publish, finalize, reopen, file,
	// withdraw.
	Step string
	// Reason is the reopen or withdraw reason typed; AsOf the moment typed.
	Reason, AsOf string
	// ReasonError and AsOfError are beside their fields; Error is for the
	// step as a whole.
	ReasonError, AsOfError, Error string
}

// fmtTime writes an instant in CST, "" for the zero time.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(gs.CST).Format("2006-01-02 15:04")
}

// quarterPanel returns the panel of town's quarter p for u.
func (s *Server) quarterPanel(ctx context.Context, u *gs.User, town string, p Period, form QuarterForm) (QuarterPanel, error) {
	st, err := s.Service.QuarterState(ctx, town, p.Quarter)
	if err != nil {
		return QuarterPanel{}, err
	}
	return s.quarterPanelIn(ctx, u, town, p, st, form)
}

// quarterPanelIn is quarterPanel for a caller that has read the quarter's
// state st.
func (s *Server) quarterPanelIn(ctx context.Context, u *gs.User, town string, p Period, st gs.QuarterState, form QuarterForm) (QuarterPanel, error) {
	var err error
	center := (u.Role == gs.RoleTownAdmin || u.Role == gs.RoleTownStaff) && u.Town == town
	admin := u.Role == gs.RoleTownAdmin && u.Town == town
	panel := QuarterPanel{
		State: string(st.State), StateName: s.quarterStateName(st, p.Quarter),
		AsOf: fmtTime(st.AsOf), ComputedAt: fmtTime(st.ComputedAt), PublishedAt: fmtTime(st.PublishedAt),
		FinalizedAt: fmtTime(st.FinalizedAt), FiledAt: fmtTime(st.FiledAt), Steps: quarterSteps(&st),
		CanCompute:  center && (st.State == gs.StateOpen || st.State == gs.StateComputed),
		CanPublish:  center && st.State == gs.StateComputed,
		CanFinalize: admin && st.State == gs.StatePublished,
		CanReopen:   admin && (st.State == gs.StatePublished || st.State == gs.StateFinalized || st.State == gs.StateFiled),
		CanFile:     admin && st.State == gs.StateFinalized,
		CanWithdraw: center && st.State == gs.StateComputed && st.PublishedAt.IsZero(),
		Action:      "/towns/" + url.PathEscape(town) + "/quarter/",
		AsOfField:   p.AsOfField(),
		Form:        form,
	}
	if form.AsOf != "" {
		panel.AsOfField = form.AsOf
	}
	if st.State == gs.StateComputed {
		if panel.PublishBlocker = app.PublishBlocker(st, p.Quarter); panel.PublishBlocker != "" {
			panel.CanPublish = false
		}
	}
	if first := p.Quarter.First(); st.State == gs.StateOpen && p.AsOf.Before(first.Start()) {
		panel.StartsOn, panel.CanCompute = first.String(), false
		if form.AsOfError != "" { // no compute form to show it beside
			panel.Form.Error = form.AsOfError
		}
	}
	if st.State == gs.StatePublished || st.State == gs.StateComputed {
		if panel.Blockers, panel.PendingAppeals, err = s.Service.FinalizeBlockers(ctx, town, p.Quarter); err != nil {
			return QuarterPanel{}, err
		}
	}
	if center {
		panel.AppealsURL = "/appeals" + p.Query()
	}
	return panel, nil
}

// quarterStep is POST /towns/{town}/quarter/{step}: compute, publish,
// finalize, reopen, file or withdraw (set a computed quarter back to open)
// the town's quarter. A step that cannot simply be undone is taken only
// when posted from its confirmation page (confirm.go); before, that page
// is shown. A step refused for a reason the person can fix shows the
// dashboard, or the confirmation page with its reason field, again with
// the message.
func (s *Server) quarterStep(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	town := r.PathValue("town")
	if u.Role == gs.RoleWorker || u.Role == gs.RoleDistrict || u.Town != town {
		return forbidden("只有本镇街中心可以办理本季度的考核流程。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	form := QuarterForm{Step: r.PathValue("step"), Reason: r.PostFormValue("reason"), AsOf: strings.TrimSpace(r.PostFormValue("as_of"))}
	if _, ask := quarterStepNames[form.Step]; ask && !confirmed(r) {
		return s.quarterConfirmWith(w, r, u, http.StatusOK, form)
	}
	ctx, q := r.Context(), p.Quarter
	switch form.Step {
	case "compute":
		asOf, ok := parseAsOf(form.AsOf)
		if !ok {
			form.AsOfError = "请填写计算时点，例如 2023-10-08 09:00。"
			return s.townWith(w, r, u, town, http.StatusBadRequest, form)
		}
		err = s.Service.Compute(ctx, u, town, q, asOf)
		if gs.ErrorCode(err) == gs.EINVALID {
			form.AsOfError = gs.ErrorMessage(err)
			return s.townWith(w, r, u, town, http.StatusBadRequest, form)
		}
	case "publish":
		err = s.Service.Publish(ctx, u, town, q)
	case "finalize":
		err = s.Service.Finalize(ctx, u, town, q)
	case "reopen":
		err = s.Service.Reopen(ctx, u, town, q, form.Reason)
		if gs.ErrorCode(err) == gs.EINVALID {
			form.ReasonError = gs.ErrorMessage(err)
			return s.quarterConfirmWith(w, r, u, http.StatusBadRequest, form)
		}
	case "file":
		err = s.Service.File(ctx, u, town, q)
	case "withdraw":
		err = s.Service.Withdraw(ctx, u, town, q, form.Reason)
		if gs.ErrorCode(err) == gs.EINVALID {
			form.ReasonError = gs.ErrorMessage(err)
			return s.quarterConfirmWith(w, r, u, http.StatusBadRequest, form)
		}
	default:
		return gs.Errorf(gs.ENOTFOUND, "没有这个操作。")
	}
	switch gs.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/towns/"+url.PathEscape(town)+p.Query(), http.StatusSeeOther)
		return nil
	case gs.EINVALID, gs.ECONFLICT:
		form.Error = gs.ErrorMessage(err)
		return s.townWith(w, r, u, town, statusOf(err), form)
	}
	return err
}
