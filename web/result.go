package web

import (
	"context"
	"sort"

	gs "github.com/gridscore/gridscore"
)

// result returns the results of quarter p that pages show. This is the one
// place pages get results from: a town whose quarter has been computed
// (computed, published, finalized, filed) is shown from its stored
// snapshot, fast and frozen; other towns are computed live as of p.AsOf.
// town, when not "", is the only town the page needs: when that town has a
// snapshot nothing is computed live.
func (s *Server) result(ctx context.Context, p Period, town string) (*gs.Result, error) {
	states, err := s.Service.DB.QuarterStates(ctx, p.Quarter.String())
	if err != nil {
		return nil, err
	}
	stored := map[string]gs.QuarterState{}
	for _, st := range states {
		if st.HasSnapshot() {
			stored[st.Town] = st
		}
	}
	if st, ok := stored[town]; ok && town != "" {
		return s.snapshotResult(ctx, p, &gs.Result{Quarter: p.Quarter.String(), AsOf: st.AsOf,
			Scheme: s.Service.Scheme.ID, Workers: []gs.WorkerResult{}}, map[string]gs.QuarterState{town: st})
	}
	res, err := s.assess(ctx, p)
	if err != nil || len(stored) == 0 {
		return res, err
	}
	kept := res.Workers[:0]
	for _, w := range res.Workers {
		if _, ok := stored[w.Town]; !ok {
			kept = append(kept, w)
		}
	}
	res.Workers = kept
	return s.snapshotResult(ctx, p, res, stored)
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
	sort.SliceStable(res.Workers, func(i, j int) bool {
		a, b := &res.Workers[i], &res.Workers[j]
		if a.Town != b.Town {
			return a.Town < b.Town
		}
		if (a.Rank == nil) != (b.Rank == nil) {
			return a.Rank != nil
		}
		if a.Rank != nil && *a.Rank != *b.Rank {
			return *a.Rank < *b.Rank
		}
		return a.WorkerID < b.WorkerID
	})
	return res, nil
}

// townHint is the one town a page for u needs results of, "" for all.
func townHint(u *gs.User) string {
	if u.Role == gs.RoleDistrict {
		return ""
	}
	return u.Town
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
