package web

import (
	"context"

	gs "github.com/gridscore/gridscore"
)

// leftBy returns 离职（2023-08-15） by worker id for those of ids who left
// on or before q's last day. A result says nothing of it, so the ranking,
// the workers list and a worker's page show it beside the name: a worker
// who left in the quarter is assessed on the days in post.
func (s *Server) leftBy(ctx context.Context, ids []string, q gs.Quarter) (map[string]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	left, err := s.Service.LeftOn(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for id, d := range left {
		if d <= q.Last() {
			out[id] = "离职（" + d.String() + "）"
		}
	}
	return out, nil
}
