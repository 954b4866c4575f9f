package app

import (
	"context"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// auditBatch is how many entries one read of the log takes while a town's
// page is gathered, and auditMaxBatches how many reads one page may take.
const (
	auditBatch      = 200
	auditMaxBatches = 50
)

// AuditLog returns one page of at most size entries of the audit log that
// f chooses and u may see, newest first, and the id to page on from (f's
// BeforeID; 0 when there is nothing older). The district sees every entry;
// a town's administrator the entries of the town (see townOfEntry); no one
// else any.
func (s *Service) AuditLog(ctx context.Context, u *gs.User, f gs.AuditFilter, size int) ([]gs.AuditEntry, int64, error) {
	keep := func(gs.AuditEntry) bool { return true }
	switch {
	case u != nil && u.Role == gs.RoleDistrict:
	case u != nil && u.Role == gs.RoleTownAdmin:
		in, err := s.townOfEntry(ctx, u.Town)
		if err != nil {
			return nil, 0, err
		}
		keep = in
	default:
		return nil, 0, gs.Errorf(gs.EFORBIDDEN, "只有镇街管理员和区中心可以查看操作日志。")
	}
	var out []gs.AuditEntry
	f.Limit = auditBatch
	for range auditMaxBatches {
		batch, err := s.DB.Audit(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		for _, e := range batch {
			if !keep(e) {
				f.BeforeID = e.ID
				continue
			}
			if len(out) == size {
				return out, out[len(out)-1].ID, nil
			}
			out = append(out, e)
			f.BeforeID = e.ID
		}
		if len(batch) < auditBatch {
			return out, 0, nil
		}
	}
	// Too much of the log belongs to other towns to gather a full page in
	// one request: show what was found and go on from where the reading
	// stopped.
	return out, f.BeforeID, nil
}

// townOfEntry returns whether an entry of the log belongs to town: its
// object names the town's quarter, one of its accounts, workers, appeals
// or calendar days; an entry whose object names no town belongs to the
// town of the account that acted. Other entries are the district's only.
func (s *Service) townOfEntry(ctx context.Context, town string) (func(gs.AuditEntry) bool, error) {
	users, err := s.DB.Users(ctx)
	if err != nil {
		return nil, err
	}
	userTown := map[string]string{}
	for _, u := range users {
		userTown[u.Username] = u.Town
	}
	workers, err := s.DB.TownWorkers(ctx)
	if err != nil {
		return nil, err
	}
	workerTown := map[string]string{}
	for _, w := range workers {
		workerTown[w.ID] = w.Town
	}
	appeals, err := s.DB.Appeals(ctx, gs.AppealFilter{Town: town})
	if err != nil {
		return nil, err
	}
	ours := map[string]bool{}
	for _, a := range appeals {
		ours[strconv.FormatInt(a.ID, 10)] = true
	}
	return func(e gs.AuditEntry) bool {
		kind, rest, _ := strings.Cut(e.Object, ":")
		switch kind {
		case "quarter":
			t, _, _ := strings.Cut(rest, "/")
			return t == town
		case "user":
			if t, ok := userTown[rest]; ok {
				return t == town
			}
			return false
		case "worker":
			id, _, _ := strings.Cut(rest, "/")
			return workerTown[id] == town
		case "appeal":
			return ours[rest]
		case "calendar":
			if _, t, ok := strings.Cut(rest, "/"); ok {
				return t == town // a town's day, whoever set it
			}
		}
		t, ok := userTown[e.Username]
		return ok && t == town
	}, nil
}
