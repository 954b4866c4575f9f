package web

import (
	"context"

	gs "github.com/gridscore/gridscore"
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
		return s.Service.StoredResult(ctx, town, p.Quarter, st)
	}
	return s.assessTown(ctx, p, town)
}

// markStored marks p as showing town's stored snapshot, when it has one.
func (s *Server) markStored(ctx context.Context, p Period, town string) (Period, error) {
	st, err := s.Service.QuarterState(ctx, town, p.Quarter)
	if err != nil {
		return p, err
	}
	return storedIn(p, st), nil
}

// storedIn marks p as showing the stored snapshot of a quarter in state
// st, when it has one.
func storedIn(p Period, st gs.QuarterState) Period {
	if st.HasSnapshot() {
		p.Stored, p.StoredAsOf = gs.StateName[st.State], st.AsOf
	}
	return p
}
