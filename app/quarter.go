package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/store"
)

// The quarter's life of RULES.md §8, per town: compute, publish, appeals,
// finalize, reopen, file. Each change is one write transaction of the store
// (store.DB.InQuarter) that checks the state under the town-quarter's lock,
// changes it and appends the audit entry; Compute first assesses the
// records in a read transaction of its own. Every method checks the role
// of the user it is given, whatever the web layer checked before.

// now is the moment the quarter's life records (an appeal made, a quarter
// published), to the second.
func (s *Service) now() time.Time { return s.Clock().Truncate(time.Second) }

// runsTown reports whether u is the town's center (administrator or staff).
func runsTown(u *gs.User, town string) bool {
	return (u.Role == gs.RoleTownAdmin || u.Role == gs.RoleTownStaff) && u.Town == town
}

func needCenter(u *gs.User, town string) error {
	if u == nil || !runsTown(u, town) {
		return gs.Errorf(gs.EFORBIDDEN, "只有本镇街中心的管理员和工作人员可以进行此操作。")
	}
	return nil
}

func needAdmin(u *gs.User, town string) error {
	if u == nil || u.Role != gs.RoleTownAdmin || u.Town != town {
		return gs.Errorf(gs.EFORBIDDEN, "只有本镇街中心的管理员可以进行此操作。")
	}
	return nil
}

// needText checks a required reason or reply, what names it in messages.
func needText(v, what string) (string, error) {
	v = gs.TrimText(v)
	if v == "" {
		return "", gs.Errorf(gs.EINVALID, "请填写%s。", what)
	}
	if err := checkReason(v, what); err != nil {
		return "", err
	}
	return v, nil
}

// checkReason checks a reason or reply that may be empty against the
// domain's rule of reasons (gs.ReasonText: its length, no control or
// direction-changing characters).
func checkReason(v, what string) error {
	if msg := gs.CheckText(v, gs.ReasonText); msg != "" {
		return gs.Errorf(gs.EINVALID, "%s%s。", what, msg)
	}
	return nil
}

// errState is the refusal of a step in the wrong state.
func errState(st gs.QuarterState, what string) error {
	return gs.Errorf(gs.ECONFLICT, "%s %s 当前状态为“%s”，不能%s。", st.Town, st.Quarter, gs.StateName[st.State], what)
}

func quarterObject(town string, q gs.Quarter) string { return "quarter:" + town + "/" + q.String() }

// QuarterState returns the state of town's quarter q.
func (s *Service) QuarterState(ctx context.Context, town string, q gs.Quarter) (gs.QuarterState, error) {
	return s.DB.QuarterState(ctx, town, q.String())
}

// Compute assesses quarter q as of asOf, keeps the results of the town's
// workers less the deductions voided so far, stores them as the quarter's
// snapshot and moves it to computed. Allowed while open or computed; a
// published quarter must be reopened first.
func (s *Service) Compute(ctx context.Context, u *gs.User, town string, q gs.Quarter, asOf time.Time) error {
	if err := needCenter(u, town); err != nil {
		return err
	}
	if asOf.IsZero() {
		return gs.Errorf(gs.EINVALID, "请填写计算时点。")
	}
	if first := q.First(); asOf.Before(first.Start()) {
		return gs.Errorf(gs.EINVALID, "计算时点 %s 早于本季度的第一天 %s：季度开始后才能计算。",
			asOf.In(gs.CST).Format("2006-01-02 15:04"), first)
	}
	// A moment still to come would judge the days up to it as over before
	// they are, and a quarter computed as of its end before it ends would
	// pass PublishBlocker and be published, finalized and paid early.
	if now := s.Clock(); asOf.After(now) {
		return gs.Errorf(gs.EINVALID, "计算时点 %s 晚于现在（%s）：只能按已经到来的时点计算。",
			asOf.In(gs.CST).Format("2006-01-02 15:04"), now.In(gs.CST).Format("2006-01-02 15:04"))
	}
	computable := func(st gs.QuarterState) bool { return st.State == gs.StateOpen || st.State == gs.StateComputed }
	if st, err := s.QuarterState(ctx, town, q); err != nil {
		return err
	} else if !computable(st) {
		return errState(st, "重新计算（须由管理员先重新打开）")
	}
	// The records are read and assessed outside the quarter's lock (a
	// district's town takes a while), so the version of the town's records
	// read first must still be theirs under the lock: else a change landed
	// meanwhile (an import, a ballot, a tally, another computation's newer
	// records) and the town is read again, rather than results that lack it
	// being stored as the newest.
	for attempt := 1; ; attempt++ {
		err := s.computeOnce(ctx, town, q, asOf, computable)
		if !errors.Is(err, errRecordsMoved) {
			return err
		}
		if attempt == computeAttempts {
			return gs.Errorf(gs.ECONFLICT, "%s %s 计算期间记录一直在变化（导入、评价票等），%d 次都没能算完；请稍后再计算。", town, q, computeAttempts)
		}
	}
}

// computeAttempts is how many times Compute reads the records again when
// they changed while it read them.
const computeAttempts = 3

// errRecordsMoved tells Compute that the town's records changed between
// its read and its lock.
var errRecordsMoved = errors.New("the town's records changed while they were assessed")

// computeOnce is one attempt of Compute: errRecordsMoved when the town's
// records changed while they were read and assessed.
func (s *Service) computeOnce(ctx context.Context, town string, q gs.Quarter, asOf time.Time, computable func(gs.QuarterState) bool) error {
	version, err := s.DB.TownVersion(ctx, town)
	if err != nil {
		return err
	}
	res, recs, err := s.assessTown(ctx, town, q, asOf)
	if err != nil {
		return err
	}
	now := s.now()
	base := map[string]gs.Fen{}
	for i := range recs.Workers { // every worker of the town, whatever the window
		base[recs.Workers[i].ID] = engine.BasePay(&s.Scheme, q, &recs.Workers[i])
	}
	ws := inTown(res.Workers, town)
	if len(ws) == 0 {
		return gs.Errorf(gs.ENOTFOUND, "%s 没有镇街“%s”的网格员，无法计算。", q, town)
	}
	return s.DB.InQuarter(ctx, town, q.String(), func(qt *store.QuarterTx) error {
		if !computable(qt.State) {
			return errState(qt.State, "重新计算")
		}
		if v, err := qt.TownVersion(); err != nil {
			return err
		} else if v != version {
			return errRecordsMoved
		}
		if err := rescore(ctx, qt, &s.Scheme, ws, base, now, true); err != nil {
			return err
		}
		// A quarter reopened after publication keeps the moment it was
		// published: it is still one that was published, which Withdraw
		// refuses (its appeals would be left hanging).
		st := gs.QuarterState{State: gs.StateComputed, AsOf: asOf, ComputedAt: now,
			PublishedAt: qt.State.PublishedAt, UpdatedBy: Actor(ctx), Scheme: s.Scheme.ID, SchemeName: s.Scheme.Name}
		if err := qt.SetState(st); err != nil {
			return err
		}
		return qt.Audit(gs.AuditEntry{At: now, Username: Actor(ctx), Action: gs.AuditQuarterComputed,
			Object: quarterObject(town, q), Detail: "计算时点：" + asOf.In(gs.CST).Format("2006-01-02 15:04")})
	})
}

// inTown returns the results of the workers of town.
func inTown(all []gs.WorkerResult, town string) []gs.WorkerResult {
	var ws []gs.WorkerResult
	for _, w := range all {
		if w.Town == town {
			ws = append(ws, w)
		}
	}
	return ws
}

// rescore drops the quarter's voided deductions from ws, scores them again
// and stores them as the snapshot. base gives each worker's base pay. A
// void applies to the deduction of its Key (DeductionRef.Key): one voided
// before records of its period came in (a month's quota after an event
// was imported on reopening) still applies, and is stored again under the
// deduction's evidence, with an audit entry at now saying so, so that the
// total, the pages and the filing's voided deductions agree and the center
// sees the change. computed tells that ws were just computed from the
// records, every deduction in them, voided or not (else they are the
// stored snapshot, without the voided ones): a void whose Key none of them
// has is then dormant (markDormant).
func rescore(ctx context.Context, qt *store.QuarterTx, sc *gs.Scheme, ws []gs.WorkerResult, base map[string]gs.Fen, now time.Time, computed bool) error {
	vs, err := qt.Voided()
	if err != nil {
		return err
	}
	void := map[gs.DeductionRef][]gs.Voided{}
	for _, v := range vs {
		void[v.Key()] = append(void[v.Key()], v)
	}
	for _, w := range ws {
		for _, d := range w.Deductions {
			if err := followVoid(ctx, qt, void, gs.RefOf(w.WorkerID, d), d, now); err != nil {
				return err
			}
		}
	}
	if computed {
		if err := markDormant(ctx, qt, void, ws, now); err != nil {
			return err
		}
	}
	engine.Rescore(sc, ws, func(id string) gs.Fen { return base[id] },
		func(id string, d gs.Deduction) bool { return len(void[gs.RefOf(id, d).Key()]) > 0 })
	rows := make([]store.SnapshotRow, len(ws))
	for i, w := range ws {
		rows[i] = store.SnapshotRow{Result: w, Base: base[w.WorkerID]}
	}
	return qt.SaveSnapshot(rows)
}

// followVoid stores the void of deduction d (ref names it) again under
// d's evidence when the one void of its Key names other records, and
// records the change in the audit log.
func followVoid(ctx context.Context, qt *store.QuarterTx, void map[gs.DeductionRef][]gs.Voided, ref gs.DeductionRef, d gs.Deduction, now time.Time) error {
	vs := void[ref.Key()]
	if len(vs) == 0 {
		return nil
	}
	for _, v := range vs {
		if v.DeductionRef == ref {
			return nil
		}
	}
	old := vs[0]
	if err := qt.Unvoid(old.DeductionRef); err != nil {
		return err
	}
	moved := old
	moved.DeductionRef = ref
	if err := qt.Void(moved); err != nil {
		return err
	}
	void[ref.Key()] = []gs.Voided{moved}
	return qt.Audit(gs.AuditEntry{At: now, Username: Actor(ctx), Action: gs.AuditDeductionVoided,
		Object: "worker:" + ref.WorkerID + "/" + qt.State.Quarter,
		Detail: fmt.Sprintf("重新计算后，已撤销的扣分依据的记录由 %d 条变为 %d 条，撤销继续有效：%s；原撤销原因：%s",
			records(old.EvidenceKey), len(d.Evidence), describe(d), old.Reason)})
}

// markDormant marks dormant, as of now, each void of void whose Key no
// deduction of ws (just computed) has, and in effect again each dormant
// one whose deduction is back, with an audit entry for each change so
// that the center sees why a total moved or did not.
func markDormant(ctx context.Context, qt *store.QuarterTx, void map[gs.DeductionRef][]gs.Voided, ws []gs.WorkerResult, now time.Time) error {
	present := map[gs.DeductionRef]bool{}
	for _, w := range ws {
		for _, d := range w.Deductions {
			present[gs.RefOf(w.WorkerID, d).Key()] = true
		}
	}
	// In the keys' order, so that one computation tells the audit log the
	// same way every time.
	for _, key := range slices.SortedFunc(maps.Keys(void), compareRefs) {
		for _, v := range void[key] {
			dormant := !present[key]
			if dormant == !v.DormantSince.IsZero() {
				continue
			}
			at, detail := now, "重新计算后已没有这项扣分（所依据的记录已变化），撤销暂不起作用；这项扣分如再出现，撤销仍然有效："
			if !dormant {
				at, detail = time.Time{}, "重新计算后这项扣分再次出现，此前的撤销重新起作用："
			}
			if err := qt.SetDormant(v.DeductionRef, at); err != nil {
				return err
			}
			err := qt.Audit(gs.AuditEntry{At: now, Username: Actor(ctx), Action: gs.AuditDeductionVoided,
				Object: "worker:" + v.WorkerID + "/" + qt.State.Quarter,
				Detail: detail + gs.NameOr(gs.RuleName, v.Rule) + "（" + v.PeriodName() + "）；撤销原因：" + v.Reason})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// compareRefs orders deduction references by worker, rule, period,
// evidence and item.
func compareRefs(a, b gs.DeductionRef) int {
	return cmp.Or(cmp.Compare(a.WorkerID, b.WorkerID), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Period, b.Period),
		cmp.Compare(a.EvidenceKey, b.EvidenceKey), cmp.Compare(a.Item, b.Item))
}

// records counts the records of an evidence key.
func records(key string) int {
	if key == "" {
		return 0
	}
	return strings.Count(key, ",") + 1
}

// rescoreSnapshot scores the stored snapshot again after a deduction was
// voided at now.
func rescoreSnapshot(ctx context.Context, qt *store.QuarterTx, sc *gs.Scheme, now time.Time) error {
	// Scored again under other rules than computed under, the results
	// would change more than the one deduction: the quarter must be
	// computed again under the configured scheme first.
	if st := qt.State; st.Scheme != "" && st.Scheme != sc.ID {
		again := "请先重新计算"
		if st.State != gs.StateComputed {
			again = "请管理员先重新打开并重新计算"
		}
		return gs.Errorf(gs.ECONFLICT, "%s %s 的结果是按考核方案“%s”计算的，现在使用的方案是“%s”：%s，再撤销扣分或支持申诉。",
			st.Town, st.Quarter, cmp.Or(st.SchemeName, st.Scheme), cmp.Or(sc.Name, sc.ID), again)
	}
	rows, err := qt.Snapshot()
	if err != nil {
		return err
	}
	ws := make([]gs.WorkerResult, len(rows))
	base := map[string]gs.Fen{}
	for i, r := range rows {
		ws[i], base[r.Result.WorkerID] = r.Result, r.Base
	}
	return rescore(ctx, qt, sc, ws, base, now, false)
}

// findDeduction returns the snapshot's deduction of ref's Key (the one ref
// names, or for a OnePerPeriod rule the one of its worker, period and item
// whatever its records now), or ENOTFOUND.
func findDeduction(qt *store.QuarterTx, ref gs.DeductionRef) (gs.Deduction, error) {
	rows, err := qt.Snapshot()
	if err != nil {
		return gs.Deduction{}, err
	}
	for _, r := range rows {
		if r.Result.WorkerID != ref.WorkerID {
			continue
		}
		for _, d := range r.Result.Deductions {
			if gs.RefOf(ref.WorkerID, d).Key() == ref.Key() {
				return d, nil
			}
		}
	}
	return gs.Deduction{}, gs.Errorf(gs.ENOTFOUND, "本季度结果中没有这项扣分（可能已被撤销或已重新计算）。")
}

// step moves town's quarter q from one of the states from to state to,
// after check, and records the step in the audit log as action with
// detail. A refusal names the step by the action's Chinese name.
func (s *Service) step(ctx context.Context, town string, q gs.Quarter, from []gs.State, to gs.State,
	action, detail string, check func(*store.QuarterTx) error) error {
	now := s.now()
	return s.DB.InQuarter(ctx, town, q.String(), func(qt *store.QuarterTx) error {
		ok := false
		for _, f := range from {
			ok = ok || qt.State.State == f
		}
		if !ok {
			return errState(qt.State, gs.AuditActionName[action])
		}
		if check != nil {
			if err := check(qt); err != nil {
				return err
			}
		}
		st := qt.State
		st.State, st.UpdatedBy = to, Actor(ctx)
		switch to {
		case gs.StatePublished:
			st.PublishedAt = now
		case gs.StateFinalized:
			st.FinalizedAt = now
		case gs.StateFiled:
			st.FiledAt = now
		case gs.StateComputed: // reopened
			st.FinalizedAt, st.FiledAt = time.Time{}, time.Time{}
		}
		if err := qt.SetState(st); err != nil {
			return err
		}
		return qt.Audit(gs.AuditEntry{At: now, Username: Actor(ctx), Action: action, Object: quarterObject(town, q), Detail: detail})
	})
}

// Publish makes the computed results visible to the workers (公示), who may
// then appeal. Town administrator or staff.
func (s *Service) Publish(ctx context.Context, u *gs.User, town string, q gs.Quarter) error {
	if err := needCenter(u, town); err != nil {
		return err
	}
	return s.step(ctx, town, q, []gs.State{gs.StateComputed}, gs.StatePublished, gs.AuditQuarterPublished, "",
		func(qt *store.QuarterTx) error {
			if why := PublishBlocker(qt.State, q); why != "" {
				return gs.Errorf(gs.ECONFLICT, "%s %s %s", qt.State.Town, qt.State.Quarter, why)
			}
			return nil
		})
}

// PublishBlocker says why quarter q in state st cannot be published, ""
// when it can as far as its moment goes: results computed as of a moment
// before the quarter's end are a standing (RULES.md §9), the points lost
// so far, and publishing them would let them be finalized and paid as the
// quarter's result with the rest of the quarter never judged.
func PublishBlocker(st gs.QuarterState, q gs.Quarter) string {
	end := q.Last().End()
	if st.AsOf.IsZero() || !st.AsOf.Before(end) {
		return ""
	}
	return fmt.Sprintf("计算时点 %s 在本季度结束（%s 24:00）之前，算出的只是截至当时的得分，不能公示；请在季度结束后，以 %s 或更晚的时点重新计算。",
		st.AsOf.In(gs.CST).Format("2006-01-02 15:04"), q.Last(), end.In(gs.CST).Format("2006-01-02 15:04"))
}

// FinalizeBlockers lists in Chinese what keeps town's quarter q from being
// finalized now: the appeal window still open (with the day finalizing
// becomes possible) and the appeals still pending. pending counts the
// latter.
func (s *Service) FinalizeBlockers(ctx context.Context, town string, q gs.Quarter) (blocks []string, pending int, err error) {
	st, err := s.QuarterState(ctx, town, q)
	if err != nil {
		return nil, 0, err
	}
	as, err := s.DB.Appeals(ctx, gs.AppealFilter{Town: town, Quarter: q.String(), Status: gs.AppealPending})
	if err != nil {
		return nil, 0, err
	}
	if st.State == gs.StatePublished {
		days, err := s.DB.CalendarDays(ctx, town)
		if err != nil {
			return nil, 0, err
		}
		if w := s.windowBlocker(days, town, st.PublishedAt); w != "" {
			blocks = append(blocks, w)
		}
	}
	return append(blocks, blockers(as)...), len(as), nil
}

// windowBlocker returns, while the appeal window of town's quarter
// published at publishedAt is open (RULES.md §8), why it cannot be
// finalized yet and from which day it can; "" once the window has closed.
func (s *Service) windowBlocker(days []gs.CalendarDay, town string, publishedAt time.Time) string {
	last := s.appealDeadline(days, town, publishedAt)
	if gs.DateOf(s.now()) <= last {
		return "申诉期到 " + last.String() + " 结束，" + last.AddDays(1).String() + " 起才能定稿"
	}
	return ""
}

func blockers(pending []gs.Appeal) []string {
	var out []string
	for _, a := range pending {
		out = append(out, "网格员 "+a.WorkerID+" 对“"+gs.NameOr(gs.RuleName, a.Rule)+"（"+a.Period+"）”的申诉尚未处理")
	}
	return out
}

// Finalize freezes the published results (定稿): later changes to records
// do not alter them. Town administrator only; refused, with the reasons
// listed, while the appeal window is open or an appeal is pending.
func (s *Service) Finalize(ctx context.Context, u *gs.User, town string, q gs.Quarter) error {
	if err := needAdmin(u, town); err != nil {
		return err
	}
	days, err := s.DB.CalendarDays(ctx, town)
	if err != nil {
		return err
	}
	return s.step(ctx, town, q, []gs.State{gs.StatePublished}, gs.StateFinalized, gs.AuditQuarterFinalized, "",
		func(qt *store.QuarterTx) error {
			var why []string
			if w := s.windowBlocker(days, town, qt.State.PublishedAt); w != "" {
				why = append(why, w)
			}
			pending, err := qt.Appeals(gs.AppealFilter{Status: gs.AppealPending})
			if err != nil {
				return err
			}
			why = append(why, blockers(pending)...)
			if len(why) > 0 {
				return gs.Errorf(gs.ECONFLICT, "还不能定稿：%s。", strings.Join(why, "；"))
			}
			return nil
		})
}

// Reopen brings a published, finalized or filed quarter back to computed,
// so that it can be computed again. Town administrator only, with a reason
// that the audit log keeps.
func (s *Service) Reopen(ctx context.Context, u *gs.User, town string, q gs.Quarter, reason string) error {
	if err := needAdmin(u, town); err != nil {
		return err
	}
	reason, err := needText(reason, "重新打开的原因")
	if err != nil {
		return err
	}
	return s.step(ctx, town, q, []gs.State{gs.StatePublished, gs.StateFinalized, gs.StateFiled},
		gs.StateComputed, gs.AuditQuarterReopened, "原因："+reason, nil)
}

// File records that the filing package went to the district center (报备).
// Town administrator only; the quarter must be finalized.
func (s *Service) File(ctx context.Context, u *gs.User, town string, q gs.Quarter) error {
	if err := needAdmin(u, town); err != nil {
		return err
	}
	return s.step(ctx, town, q, []gs.State{gs.StateFinalized}, gs.StateFiled, gs.AuditQuarterFiled, "", nil)
}

// Withdraw sets a computed quarter that was never published back to open,
// with a reason the audit log keeps: its stored results are dropped and
// the pages compute it live again, as before it was computed (a quarter
// computed by mistake, too early or with the wrong moment). The deductions
// voided so far stay voided for the next computation. Town administrator
// or staff; a quarter once published is reopened instead.
func (s *Service) Withdraw(ctx context.Context, u *gs.User, town string, q gs.Quarter, reason string) error {
	if err := needCenter(u, town); err != nil {
		return err
	}
	reason, err := needText(reason, "撤销计算的原因")
	if err != nil {
		return err
	}
	now := s.now()
	return s.DB.InQuarter(ctx, town, q.String(), func(qt *store.QuarterTx) error {
		if qt.State.State != gs.StateComputed {
			return errState(qt.State, "撤销计算（只有已计算、尚未公示的季度可以）")
		}
		if !qt.State.PublishedAt.IsZero() {
			return gs.Errorf(gs.ECONFLICT, "%s %s 已经公示过，不能撤销计算，请重新计算。", town, q)
		}
		if err := qt.SaveSnapshot(nil); err != nil {
			return err
		}
		if err := qt.SetState(gs.QuarterState{State: gs.StateOpen, UpdatedBy: Actor(ctx)}); err != nil {
			return err
		}
		return qt.Audit(gs.AuditEntry{At: now, Username: Actor(ctx), Action: gs.AuditQuarterWithdrawn,
			Object: quarterObject(town, q), Detail: "原因：" + reason})
	})
}
