package app

import (
	"context"
	"sort"
	"time"

	gs "github.com/gridscore/gridscore"
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
	ws, err := s.DB.TownWorkers(ctx)
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
	return s.addSnapshots(ctx, q, &gs.Result{Quarter: q.String(), AsOf: st.AsOf,
		Scheme: s.Scheme.ID, Workers: []gs.WorkerResult{}}, map[string]gs.QuarterState{town: st})
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
		res.Notes = append(res.Notes, t+"：显示 "+st.AsOf.In(gs.CST).Format("2006-01-02 15:04")+
			" 计算并保存的结果，状态："+gs.StateName[st.State]+"，不随此后的记录变化。")
	}
	gs.SortWorkerResults(res.Workers)
	return res, nil
}

// WorkerTown returns the town of worker id's grid ("" when there is no
// such worker).
func (s *Service) WorkerTown(ctx context.Context, id string) (string, error) {
	ws, err := s.DB.TownWorkers(ctx)
	if err != nil {
		return "", err
	}
	for _, w := range ws {
		if w.ID == id {
			return w.Town, nil
		}
	}
	return "", nil
}

// Towns returns the towns of the district, in order.
func (s *Service) Towns(ctx context.Context) ([]string, error) { return s.DB.Towns(ctx) }

// WorkerQuarters returns every stored result of worker id across the
// quarters (and towns, if the worker moved), oldest quarter first.
func (s *Service) WorkerQuarters(ctx context.Context, id string) ([]gs.WorkerQuarter, error) {
	return s.DB.WorkerQuarters(ctx, id)
}
