package web

import (
	"context"
	"sort"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// result returns the results of town's quarter p that pages show. This is
// the one place a town's pages get results from: a town whose quarter has
// been computed (computed, published, finalized, filed) is shown from its
// stored snapshot, fast and frozen; another is computed live as of p.AsOf
// from its own records only.
func (s *Server) result(ctx context.Context, p Period, town string) (*gs.Result, error) {
	st, err := s.Service.QuarterState(ctx, town, p.Quarter)
	if err != nil {
		return nil, err
	}
	return s.resultIn(ctx, p, town, st)
}

// resultIn is result for a caller that has read the quarter's state st.
func (s *Server) resultIn(ctx context.Context, p Period, town string, st gs.QuarterState) (*gs.Result, error) {
	if st.HasSnapshot() {
		return s.snapshotResult(ctx, p, &gs.Result{Quarter: p.Quarter.String(), AsOf: st.AsOf,
			Scheme: s.Service.Scheme.ID, Workers: []gs.WorkerResult{}}, map[string]gs.QuarterState{town: st})
	}
	return s.assessTown(ctx, p, town)
}

// districtResult returns what the district's pages show of quarter p
// without computing anything live: the stored snapshots of the towns that
// have one, and the stored workers of each other town (未计算), who are in
// post on a day of the quarter.
func (s *Server) districtResult(ctx context.Context, p Period) (*gs.Result, map[string][]store.TownWorker, error) {
	states, err := s.Service.DB.QuarterStates(ctx, p.Quarter.String())
	if err != nil {
		return nil, nil, err
	}
	stored := map[string]gs.QuarterState{}
	for _, st := range states {
		if st.HasSnapshot() {
			stored[st.Town] = st
		}
	}
	ws, err := s.Service.DB.TownWorkers(ctx)
	if err != nil {
		return nil, nil, err
	}
	pending := map[string][]store.TownWorker{}
	first, last := p.Quarter.First(), p.Quarter.Last()
	for _, w := range ws {
		if _, ok := stored[w.Town]; ok || w.Town == "" {
			continue
		}
		if w.HiredOn <= last && (w.LeftOn.IsZero() || first <= w.LeftOn) {
			pending[w.Town] = append(pending[w.Town], w)
		}
	}
	res := &gs.Result{Quarter: p.Quarter.String(), AsOf: p.AsOf, Scheme: s.Service.Scheme.ID, Workers: []gs.WorkerResult{}}
	if res, err = s.snapshotResult(ctx, p, res, stored); err != nil {
		return nil, nil, err
	}
	if len(pending) > 0 {
		res.Notes = append(res.Notes, "标为“未计算”的镇街本季度还没有计算结果，这里只列出人数；请打开该镇街的考核总览查看或计算。")
	}
	return res, pending, nil
}

// workerTown returns the town of worker id's grid ("" when there is no such
// worker).
func (s *Server) workerTown(ctx context.Context, id string) (string, error) {
	ws, err := s.Service.DB.TownWorkers(ctx)
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

// snapshotResult adds the stored results of the towns to res, ordered by
// town, rank and worker id, with a note on each town's state.
func (s *Server) snapshotResult(ctx context.Context, p Period, res *gs.Result, towns map[string]gs.QuarterState) (*gs.Result, error) {
	names := make([]string, 0, len(towns))
	for t := range towns {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		rows, err := s.Service.DB.Snapshot(ctx, t, p.Quarter.String())
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			res.Workers = append(res.Workers, r.Result)
		}
		st := towns[t]
		res.Notes = append(res.Notes, t+"：显示 "+st.AsOf.In(gs.CST).Format("2006-01-02 15:04")+
			" 计算并保存的结果（"+gs.StateName[st.State]+"），不随此后的记录变化。")
	}
	gs.SortWorkerResults(res.Workers)
	return res, nil
}

// markStored marks p as showing town's stored snapshot, when it has one.
func (s *Server) markStored(ctx context.Context, p Period, town string) (Period, error) {
	st, err := s.Service.QuarterState(ctx, town, p.Quarter)
	if err != nil {
		return p, err
	}
	if st.HasSnapshot() {
		p.Stored, p.StoredAsOf = gs.StateName[st.State], st.AsOf
	}
	return p, nil
}
