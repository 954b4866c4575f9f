package web

import (
	"net/http"
	"net/url"
	"strconv"

	gs "github.com/gridscore/gridscore"
)

// ConfirmPage asks, on a page of its own and without JavaScript, for the
// confirmation of a step that cannot simply be undone — 公示, 定稿, 报备,
// 重新打开, 撤销计算 of a quarter, 撤销扣分 of a worker — saying what will
// happen and to whom. Its form posts the step again with confirm=yes; a
// step posted without it shows this page instead of acting.
type ConfirmPage struct {
	Page
	// Heading names the step (确认公示); Subject what it acts on (the
	// town's quarter, the worker's deduction).
	Heading, Subject string
	// Effects say what will happen, and to whom.
	Effects []string
	// Blockers, when set, say why the step cannot be taken yet: the page
	// then offers no button.
	Blockers []string
	// Action is where the confirmed form posts; Button its label.
	Action, Button string
	// Hidden are the fields the step carries (the deduction voided).
	Hidden []Hidden
	// ReasonLabel asks for a reason when the step needs one (""
	// otherwise); Reason is the reason typed, ReasonError its mistake.
	ReasonLabel, Reason, ReasonError string
	// BackURL is the page the person came from.
	BackURL string
}

// confirmed reports whether a step's form was posted from its
// confirmation page.
func confirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "yes" }

// quarterStepNames are the quarter's steps that ask for confirmation, with
// their Chinese names.
var quarterStepNames = map[string]string{
	"publish":  "公示",
	"finalize": "定稿",
	"file":     "报备",
	"reopen":   "重新打开",
	"withdraw": "撤销计算",
}

// quarterConfirm is GET /towns/{town}/quarter/{step}, and a step posted
// without confirmation: the page that asks for it. A step the user may not
// take is refused as the step itself would be (403), one the quarter's
// state does not allow shows the dashboard with the reason (409).
func (s *Server) quarterConfirm(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	return s.quarterConfirmWith(w, r, u, http.StatusOK, QuarterForm{Step: r.PathValue("step"), Reason: r.FormValue("reason")})
}

func (s *Server) quarterConfirmWith(w http.ResponseWriter, r *http.Request, u *gs.User, status int, form QuarterForm) error {
	town, step := r.PathValue("town"), form.Step
	name, ok := quarterStepNames[step]
	if !ok {
		return gs.Errorf(gs.ENOTFOUND, "没有这个操作。")
	}
	if u.Role == gs.RoleWorker || u.Role == gs.RoleDistrict || u.Town != town {
		return forbidden("只有本镇街中心可以办理本季度的考核流程。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	panel, err := s.quarterPanel(ctx, u, town, p, QuarterForm{})
	if err != nil {
		return err
	}
	may := map[string]bool{"publish": panel.CanPublish, "finalize": panel.CanFinalize, "file": panel.CanFile,
		"reopen": panel.CanReopen, "withdraw": panel.CanWithdraw}[step]
	if !may {
		if step != "publish" && step != "withdraw" && u.Role != gs.RoleTownAdmin {
			return forbidden("只有本镇街中心的管理员可以" + name + "。")
		}
		why := "本季度当前状态为“" + panel.StateName + "”，不能" + name + "。"
		if step == "publish" && panel.PublishBlocker != "" {
			why = panel.PublishBlocker
		}
		return s.townWith(w, r, u, town, http.StatusConflict, QuarterForm{Error: why})
	}
	subject := town + " " + p.QuarterText()
	page := &ConfirmPage{
		Page:    s.page(u, "确认"+name+" · "+subject, "home"),
		Heading: "确认" + name, Subject: subject,
		Action: panel.Action + step + p.Query(), Button: "确认" + name,
		Reason: form.Reason, ReasonError: form.ReasonError,
		BackURL: "/towns/" + url.PathEscape(town) + p.Query(),
	}
	switch step {
	case "publish":
		last, err := s.Service.AppealDeadline(ctx, town, s.now())
		if err != nil {
			return err
		}
		page.Effects = []string{
			"本镇街每位网格员登录后都能看到本人本季度的得分、排名、绩效和每项扣分及其依据。",
			"网格员可以在 " + last.String() + "（公示后第 " + strconv.Itoa(s.Service.Scheme.AppealWorkdays) + " 个工作日）以前对扣分提出申诉，由本中心处理。",
			"公示后不能再撤销扣分或重新计算；要更改须由管理员重新打开。",
		}
	case "finalize":
		page.Blockers = panel.Blockers
		page.Effects = []string{
			"本季度的得分、扣分和绩效冻结为定稿，此后录入或导入的记录不再改变结果。",
			"网格员不能再申诉，看到的是定稿的结果。",
			"定稿后可以下载报备材料报送区（县）中心；要更改须由管理员填写原因重新打开，并记入操作日志。",
		}
	case "file":
		page.Effects = []string{
			"记录本季度的报备材料已报送区（县）中心：区中心看到本镇街本季度“已报备”。",
			"报备后要更改须由管理员填写原因重新打开，并记入操作日志；区中心会看到状态变回。",
		}
	case "reopen":
		page.ReasonLabel = "重新打开的原因（必填，记入操作日志）"
		page.Effects = []string{
			"本季度退回“" + gs.StateName[gs.StateComputed] + "”：定稿和报备作废，网格员看不到本季度的结果，直到再次公示。",
			"之后可以重新计算、撤销扣分，再公示、定稿和报备；已处理的申诉和撤销的扣分保留。",
			"原因和操作人记入操作日志，区中心可以查看。",
		}
	case "withdraw":
		page.ReasonLabel = "撤销计算的原因（必填，记入操作日志）"
		page.Effects = []string{
			"删除本季度已计算并保存的结果，季度退回“" + gs.StateName[gs.StateOpen] + "”，各页面重新按记录实时计算。",
			"本季度从未公示，网格员没有看到过结果；撤销的扣分保留，下次计算时仍不计入。",
			"原因和操作人记入操作日志。",
		}
	}
	return s.render(w, r, status, "confirm", page)
}

// voidConfirm is POST /workers/{id}/void without confirmation: the page
// that asks for it, naming the worker and the deduction, with the reason
// typed. A deduction the quarter no longer holds, or a quarter not under
// review, shows the worker's page with the reason.
func (s *Server) voidConfirm(w http.ResponseWriter, r *http.Request, u *gs.User, p Period, form DeductionForm, status int) error {
	ctx := r.Context()
	st, err := s.Service.QuarterState(ctx, u.Town, p.Quarter)
	if err != nil {
		return err
	}
	if st.State != gs.StateComputed {
		return s.afterDeductionForm(w, r, u, p, form, gs.Errorf(gs.ECONFLICT,
			"本季度当前状态为“%s”，只有审核中的季度可以撤销扣分。", gs.StateName[st.State]))
	}
	res, err := s.result(ctx, p, u.Town)
	if err != nil {
		return err
	}
	var wr *gs.WorkerResult
	var d *gs.Deduction
	for i := range res.Workers {
		if res.Workers[i].WorkerID == form.Ref.WorkerID && res.Workers[i].Town == u.Town {
			wr = &res.Workers[i]
			for j := range wr.Deductions {
				if gs.RefOf(wr.WorkerID, wr.Deductions[j]) == form.Ref {
					d = &wr.Deductions[j]
				}
			}
		}
	}
	if d == nil {
		return s.afterDeductionForm(w, r, u, p, form, gs.Errorf(gs.ENOTFOUND, "本季度结果中没有这项扣分（可能已被撤销或已重新计算）。"))
	}
	page := &ConfirmPage{
		Page:    s.page(u, "确认撤销扣分 · "+wr.Name, "workers"),
		Heading: "确认撤销扣分",
		Subject: "网格员 " + wr.WorkerID + " " + wr.Name + "：" + gs.NameOr(gs.RuleName, d.Rule) + "（" + gs.PeriodName(d.Period, d.Item) + "），扣 " + d.Points.String() + " 分",
		Effects: []string{
			"这项扣分不再计入：" + wr.Name + " 的得分增加至多 " + d.Points.String() + " 分，本镇街的排名和绩效随之重新计算。",
			"公示时 " + wr.Name + " 能看到这项扣分已撤销及其原因；重新计算也不会再计入它。",
			"原因和操作人记入操作日志。",
		},
		Action: "/workers/" + url.PathEscape(wr.WorkerID) + "/void" + p.Query(), Button: "确认撤销扣分",
		Hidden:      []Hidden{{"rule", string(form.Ref.Rule)}, {"period", form.Ref.Period}, {"evidence", form.Ref.EvidenceKey}, {"item", form.Ref.Item}},
		ReasonLabel: "撤销的原因（必填，记入操作日志）", Reason: form.Reason, ReasonError: form.Error,
		BackURL: workerURL(wr.WorkerID, p),
	}
	return s.render(w, r, status, "confirm", page)
}
