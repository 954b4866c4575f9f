package app

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
)

// What the district's pages show of a quarter without computing anything
// live, and the stored results of a town's quarter that its pages show
// once it is computed.

// DistrictResult returns what the district's pages show of quarter q as
// of asOf without computing anything live: the stored snapshots of the
// towns that have one, and, by town, the stored workers of each other town
// (未计算), who are in post on a day of the quarter.
func (s *Service) DistrictResult(ctx context.Context, q gs.Quarter, asOf time.Time) (*gs.Result, map[string][]gs.TownWorker, error) {
	states, err := s.DB.QuarterStates(ctx, q.String())
	if err != nil {
		return nil, nil, err
	}
	stored := map[string]gs.QuarterState{}
	for _, st := range states {
		if st.HasSnapshot() {
			stored[st.Town] = st
		}
	}
	ws, err := s.townWorkers(ctx)
	if err != nil {
		return nil, nil, err
	}
	pending := map[string][]gs.TownWorker{}
	first, last := q.First(), q.Last()
	for _, w := range ws {
		if _, ok := stored[w.Town]; ok || w.Town == "" {
			continue
		}
		if w.HiredOn <= last && (w.LeftOn.IsZero() || first <= w.LeftOn) {
			pending[w.Town] = append(pending[w.Town], w)
		}
	}
	res := &gs.Result{Quarter: q.String(), AsOf: asOf, Scheme: s.Scheme.ID, Workers: []gs.WorkerResult{}}
	if res, err = s.addSnapshots(ctx, q, res, stored); err != nil {
		return nil, nil, err
	}
	if len(pending) > 0 {
		res.Notes = append(res.Notes, "标为“未计算”的镇街本季度还没有计算结果，这里只列出人数；请打开该镇街的考核总览查看或计算。")
	}
	return res, pending, nil
}

// StoredResult returns the stored result of town's quarter q, whose state
// st has a snapshot (gs.QuarterState.HasSnapshot), with a note on the
// state.
func (s *Service) StoredResult(ctx context.Context, town string, q gs.Quarter, st gs.QuarterState) (*gs.Result, error) {
	id, name := s.schemeOf(st)
	return s.addSnapshots(ctx, q, &gs.Result{Quarter: q.String(), AsOf: st.AsOf,
		Scheme: id, SchemeName: name, Workers: []gs.WorkerResult{}}, map[string]gs.QuarterState{town: st})
}

// schemeOf returns the id and name of the scheme st's stored results were
// computed under: the one kept with them, or for results stored before it
// was kept the configured one.
func (s *Service) schemeOf(st gs.QuarterState) (id, name string) {
	if st.Scheme != "" {
		return st.Scheme, st.SchemeName
	}
	return s.Scheme.ID, s.Scheme.Name
}

// addSnapshots adds the stored results of the towns to res, ordered by
// town, rank and worker id, with a note on each town's state.
func (s *Service) addSnapshots(ctx context.Context, q gs.Quarter, res *gs.Result, towns map[string]gs.QuarterState) (*gs.Result, error) {
	names := make([]string, 0, len(towns))
	for t := range towns {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		rows, err := s.DB.Snapshot(ctx, t, q.String())
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			res.Workers = append(res.Workers, r.Result)
		}
		st := towns[t]
		note := t + "：显示 " + st.AsOf.In(gs.CST).Format("2006-01-02 15:04") +
			" 计算并保存的结果，状态：" + gs.StateName[st.State] + "，不随此后的记录变化"
		if id, name := s.schemeOf(st); id != res.Scheme {
			note += "；按考核方案“" + cmp.Or(name, id) + "”计算"
		}
		res.Notes = append(res.Notes, note+"。")
	}
	gs.SortWorkerResults(res.Workers)
	return res, nil
}

// WorkerTown returns the town of worker id's grid ("" when there is no
// such worker).
func (s *Service) WorkerTown(ctx context.Context, id string) (string, error) {
	tw, err := s.workersMemo(ctx)
	if err != nil {
		return "", err
	}
	if i, ok := tw.byID[id]; ok {
		return tw.list[i].Town, nil
	}
	return "", nil
}

// Towns returns the towns of the district, in order.
func (s *Service) Towns(ctx context.Context) ([]string, error) { return s.DB.Towns(ctx) }

// KnownTown refuses, with ENOTFOUND, a town (given on the command line)
// the store has no grid of, naming the towns it has; when it has none, the
// refusal ends with advice, the caller's, on what to import first.
func (s *Service) KnownTown(ctx context.Context, town, advice string) error {
	towns, err := s.DB.Towns(ctx)
	switch {
	case err != nil:
		return err
	case slices.Contains(towns, town):
		return nil
	case len(towns) == 0:
		return gs.Errorf(gs.ENOTFOUND, "没有镇街“%s”：数据库中还没有任何镇街，%s", town, advice)
	}
	return gs.Errorf(gs.ENOTFOUND, "没有镇街“%s”。已有的镇街：%s。", town, strings.Join(towns, "、"))
}

// WorkerQuarters returns every stored result of worker id across the
// quarters (and towns, if the worker moved), oldest quarter first.
func (s *Service) WorkerQuarters(ctx context.Context, id string) ([]gs.WorkerQuarter, error) {
	return s.DB.WorkerQuarters(ctx, id)
}

// FiledTowns returns how many of the district's towns have filed quarter q
// with the district (报备), and how many towns there are.
func (s *Service) FiledTowns(ctx context.Context, q gs.Quarter) (filed, towns int, err error) {
	names, err := s.DB.Towns(ctx)
	if err != nil {
		return 0, 0, err
	}
	states, err := s.DB.QuarterStates(ctx, q.String())
	if err != nil {
		return 0, 0, err
	}
	known := map[string]bool{}
	for _, t := range names {
		known[t] = true
	}
	for _, st := range states {
		if st.State == gs.StateFiled && known[st.Town] {
			filed++
		}
	}
	return filed, len(names), nil
}

// DistrictQuarters returns quarter q of every town of the district, in
// order of town: its state (open when nobody computed it), when it reached
// that state, and its workers in post on a day of the quarter.
func (s *Service) DistrictQuarters(ctx context.Context, q gs.Quarter) ([]gs.TownQuarter, error) {
	towns, err := s.DB.Towns(ctx)
	if err != nil {
		return nil, err
	}
	states, err := s.DB.QuarterStates(ctx, q.String())
	if err != nil {
		return nil, err
	}
	ws, err := s.townWorkers(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []gs.TownQuarter
	for _, t := range towns {
		seen[t] = true
		out = append(out, gs.TownQuarter{State: gs.QuarterState{Town: t, Quarter: q.String(), State: gs.StateOpen}})
	}
	for _, st := range states {
		if !seen[st.Town] {
			seen[st.Town] = true
			out = append(out, gs.TownQuarter{State: st})
		}
	}
	byTown := map[string]*gs.TownQuarter{}
	for i := range out {
		byTown[out[i].State.Town] = &out[i]
	}
	for _, st := range states {
		t := byTown[st.Town]
		t.State = st
		if t.ChangedAt, err = s.changedAt(ctx, st, q); err != nil {
			return nil, err
		}
	}
	first, last := q.First(), q.Last()
	for _, w := range ws {
		if t := byTown[w.Town]; t != nil && w.HiredOn <= last && (w.LeftOn.IsZero() || first <= w.LeftOn) {
			t.Workers++
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].State.Town < out[j].State.Town })
	return out, nil
}

// changedAt returns when town's quarter q reached its state st: the time of
// the step the state keeps, except for a quarter set back (reopened to
// computed, or to open), whose moment only the audit log keeps.
func (s *Service) changedAt(ctx context.Context, st gs.QuarterState, q gs.Quarter) (time.Time, error) {
	var at time.Time
	switch st.State {
	case gs.StateFiled:
		at = st.FiledAt
	case gs.StateFinalized:
		at = st.FinalizedAt
	case gs.StatePublished:
		at = st.PublishedAt
	case gs.StateComputed:
		if !st.PublishedAt.After(st.ComputedAt) {
			at = st.ComputedAt
		}
	default:
		if st.ComputedAt.IsZero() {
			return time.Time{}, nil
		}
	}
	if !at.IsZero() {
		return at, nil
	}
	last, err := s.DB.Audit(ctx, gs.AuditFilter{Object: quarterObject(st.Town, q), Limit: 1})
	if err != nil || len(last) == 0 {
		return st.ComputedAt, err
	}
	return last[0].At, nil
}

// FilingDeadline returns the last day the towns may file (报备) quarter q:
// the Scheme.FilingWorkdays-th workday after the quarter's last day, on the
// district's calendar (the official one and the district's own days: a
// town's days do not move the district's deadline).
func (s *Service) FilingDeadline(ctx context.Context, q gs.Quarter) (gs.Date, error) {
	days, err := s.DB.CalendarDays(ctx, "")
	if err != nil {
		return 0, err
	}
	cal := calendar.New(days)
	d := q.Last()
	for n := 0; n < s.Scheme.FilingWorkdays; {
		d = d.AddDays(1)
		if cal.IsWorkday("", d) {
			n++
		}
	}
	return d, nil
}
