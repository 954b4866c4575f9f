package app

import (
	"context"
	"strconv"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/store"
)

// VoidDeduction voids one deduction of a computed quarter's snapshot with a
// reason (the center's review, RULES.md §8), and scores the town again.
// Town administrator or staff.
func (s *Service) VoidDeduction(ctx context.Context, u *gs.User, town string, q gs.Quarter, ref gs.DeductionRef, reason string) error {
	if err := needCenter(u, town); err != nil {
		return err
	}
	reason, err := needText(reason, "撤销扣分的原因")
	if err != nil {
		return err
	}
	now := s.now()
	return s.DB.InQuarter(ctx, town, q.String(), func(qt *store.QuarterTx) error {
		if qt.State.State != gs.StateComputed {
			return errState(qt.State, "撤销扣分（只有审核中的季度可以）")
		}
		d, err := findDeduction(qt, ref)
		if err != nil {
			return err
		}
		if err := qt.Void(gs.Voided{DeductionRef: gs.RefOf(ref.WorkerID, d), Reason: reason, By: Actor(ctx), At: now}); err != nil {
			return err
		}
		if err := rescoreSnapshot(ctx, qt, &s.Scheme, now); err != nil {
			return err
		}
		return qt.Audit(gs.AuditEntry{At: now, Username: Actor(ctx), Action: gs.AuditDeductionVoided,
			Object: "worker:" + ref.WorkerID + "/" + q.String(), Detail: describe(d) + "；原因：" + reason})
	})
}

// describe names a deduction in the audit log.
func describe(d gs.Deduction) string {
	return gs.NameOr(gs.RuleName, d.Rule) + " " + gs.PeriodName(d.Period, d.Item) + "（−" + d.Points.String() + " 分）"
}

// AppealDeadline returns the last day a worker of town may appeal a
// quarter published at publishedAt: the AppealWorkdays-th workday after
// the day of publication, on the town's calendar (the stored days of the
// district and of the town).
func (s *Service) AppealDeadline(ctx context.Context, town string, publishedAt time.Time) (gs.Date, error) {
	days, err := s.DB.CalendarDays(ctx, town)
	if err != nil {
		return 0, err
	}
	return s.appealDeadline(days, town, publishedAt), nil
}

// appealDeadline is AppealDeadline on the calendar days given.
func (s *Service) appealDeadline(days []gs.CalendarDay, town string, publishedAt time.Time) gs.Date {
	cal := calendar.New(days)
	d := gs.DateOf(publishedAt)
	for n := 0; n < s.Scheme.AppealWorkdays; {
		d = d.AddDays(1)
		if cal.IsWorkday(town, d) {
			n++
		}
	}
	return d
}

// Appeal records a grid worker's appeal (申诉) against one deduction of
// their own published result, with a reason, within the appeal period. One
// appeal per deduction.
func (s *Service) Appeal(ctx context.Context, u *gs.User, q gs.Quarter, ref gs.DeductionRef, reason string) (*gs.Appeal, error) {
	if u == nil || u.Role != gs.RoleWorker || u.WorkerID != ref.WorkerID {
		return nil, gs.Errorf(gs.EFORBIDDEN, "只有网格员本人可以对自己的扣分提出申诉。")
	}
	reason, err := needText(reason, "申诉理由")
	if err != nil {
		return nil, err
	}
	st, err := s.QuarterState(ctx, u.Town, q)
	if err != nil {
		return nil, err
	}
	if st.State != gs.StatePublished {
		return nil, gs.Errorf(gs.ECONFLICT, "只有公示期间可以申诉，%s 当前状态为“%s”。", q, gs.StateName[st.State])
	}
	last, err := s.AppealDeadline(ctx, u.Town, st.PublishedAt)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if gs.DateOf(now) > last {
		return nil, gs.Errorf(gs.ECONFLICT, "申诉期已于 %s 结束。", last)
	}
	a := &gs.Appeal{DeductionRef: ref, Reason: reason, Status: gs.AppealPending, CreatedAt: now}
	err = s.DB.InQuarter(ctx, u.Town, q.String(), func(qt *store.QuarterTx) error {
		if qt.State.State != gs.StatePublished || !qt.State.PublishedAt.Equal(st.PublishedAt) {
			return gs.Errorf(gs.ECONFLICT, "季度状态刚刚发生了变化，请刷新页面后重试。")
		}
		d, err := findDeduction(qt, ref)
		if err != nil {
			return err
		}
		a.DeductionRef = gs.RefOf(ref.WorkerID, d)
		mine, err := qt.Appeals(gs.AppealFilter{WorkerID: ref.WorkerID})
		if err != nil {
			return err
		}
		for _, o := range mine {
			if o.Key() == ref.Key() {
				return gs.Errorf(gs.ECONFLICT, "您已对这项扣分提出过申诉（%s）。", gs.AppealStatusName[o.Status])
			}
		}
		if err := qt.CreateAppeal(a); err != nil {
			return err
		}
		return qt.Audit(gs.AuditEntry{At: now, Username: Actor(ctx), Action: gs.AuditAppealCreated,
			Object: "appeal:" + strconv.FormatInt(a.ID, 10), Detail: describe(d) + "；理由：" + reason})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Decide upholds or rejects a pending appeal of town's quarter q with a
// reply. An upheld appeal voids the deduction and scores the town again.
// Town administrator or staff, while the quarter is published.
func (s *Service) Decide(ctx context.Context, u *gs.User, town string, q gs.Quarter, id int64, uphold bool, reply string) error {
	if err := needCenter(u, town); err != nil {
		return err
	}
	reply, err := needText(reply, "答复")
	if err != nil {
		return err
	}
	now := s.now()
	return s.DB.InQuarter(ctx, town, q.String(), func(qt *store.QuarterTx) error {
		if qt.State.State != gs.StatePublished {
			return errState(qt.State, "处理申诉")
		}
		pending, err := qt.Appeals(gs.AppealFilter{Status: gs.AppealPending})
		if err != nil {
			return err
		}
		var a *gs.Appeal
		for i := range pending {
			if pending[i].ID == id {
				a = &pending[i]
			}
		}
		if a == nil {
			return gs.Errorf(gs.ENOTFOUND, "没有待处理的编号为 %d 的申诉。", id)
		}
		a.Status, a.Reply, a.DecidedAt, a.DecidedBy = gs.AppealRejected, reply, now, Actor(ctx)
		action := gs.AuditAppealRejected
		if uphold {
			ref, err := upheld(qt, a.DeductionRef)
			if err != nil {
				return err
			}
			a.Status, action = gs.AppealUpheld, gs.AuditAppealUpheld
			if err := qt.Void(gs.Voided{DeductionRef: ref, Reason: "申诉成立：" + reply, By: Actor(ctx), At: now}); err != nil {
				return err
			}
			if err := rescoreSnapshot(ctx, qt, &s.Scheme, now); err != nil {
				return err
			}
		}
		if err := qt.DecideAppeal(a); err != nil {
			return err
		}
		return qt.Audit(gs.AuditEntry{At: now, Username: Actor(ctx), Action: action,
			Object: "appeal:" + strconv.FormatInt(id, 10), Detail: "答复：" + reply})
	})
}

// upheld returns the deduction an upheld appeal of the deduction ref
// names voids: the snapshot's deduction of ref's Key (its records may have
// changed since the appeal, DeductionRef.Key), or the void already of that
// Key. It refuses when there is neither (computed again after a reopen,
// the deduction is gone): an upheld appeal would void nothing and read as
// a deduction won back. Rejecting it stays allowed.
func upheld(qt *store.QuarterTx, ref gs.DeductionRef) (gs.DeductionRef, error) {
	d, err := findDeduction(qt, ref)
	if err == nil {
		return gs.RefOf(ref.WorkerID, d), nil
	}
	if gs.ErrorCode(err) != gs.ENOTFOUND {
		return ref, err
	}
	vs, err := qt.Voided()
	if err != nil {
		return ref, err
	}
	for _, v := range vs {
		if v.Key() == ref.Key() {
			return v.DeductionRef, nil
		}
	}
	return ref, gs.Errorf(gs.ECONFLICT, "网格员 %s 申诉的“%s（%s）”已不在本季度的结果中（重新计算后不再扣分），不能支持这项申诉，只能驳回并在答复中说明。",
		ref.WorkerID, gs.NameOr(gs.RuleName, ref.Rule), ref.PeriodName())
}

// Appeals returns the appeals f chooses, oldest first. The caller shows
// them only to those who may see the town's quarter.
func (s *Service) Appeals(ctx context.Context, f gs.AppealFilter) ([]gs.Appeal, error) {
	return s.DB.Appeals(ctx, f)
}

// Voided returns the deductions voided in town's quarter q.
func (s *Service) Voided(ctx context.Context, town string, q gs.Quarter) ([]gs.Voided, error) {
	return s.DB.Voided(ctx, town, q.String())
}

// PersonName is how a page names the person behind an account, to a
// worker who does not know the center's logins: the account's display
// name, or the username when it has none or no longer exists.
func (s *Service) PersonName(ctx context.Context, username string) string {
	if u, err := s.DB.UserByUsername(ctx, username); err == nil && u.DisplayName != "" {
		return u.DisplayName
	}
	return username
}
