package app

import (
	"context"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// AuditPage is a page of the audit log.
type AuditPage struct {
	Entries []gs.AuditEntry
	// Matched is how many entries the filter keeps for the user, at most
	// MaxCounted+1 (more than MaxCounted).
	Matched int
}

// AuditPage returns the entries of the audit log that f chooses and u may
// see from the offset-th (from 0), at most size of them, in f's order
// (f.Sort), with how many there are up to MaxCounted+1. The district sees
// every entry; a town's administrator the entries of the town (see
// townOfEntry), which are picked as the log is read from the entries that
// may be the town's (gs.AuditFilter.Town); no one else any. It reads the
// log up to the page and on until it has counted MaxCounted entries.
func (s *Service) AuditPage(ctx context.Context, u *gs.User, f gs.AuditFilter, offset, size int) (*AuditPage, error) {
	page := &AuditPage{}
	stop := max(offset+size, MaxCounted+1)
	err := s.EachAuditEntry(ctx, u, f, func(e gs.AuditEntry) error {
		if page.Matched >= offset && page.Matched < offset+size {
			page.Entries = append(page.Entries, e)
		}
		if page.Matched++; page.Matched == stop {
			return store.ErrStop
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	page.Matched = min(page.Matched, MaxCounted+1)
	return page, nil
}

// EachAuditEntry hands fn, in f's order, every entry of the audit log f
// chooses that u may see (see AuditPage); an error of fn ends the reading
// and is returned (store.ErrStop ends it with none).
func (s *Service) EachAuditEntry(ctx context.Context, u *gs.User, f gs.AuditFilter, fn func(gs.AuditEntry) error) error {
	keep := func(gs.AuditEntry) bool { return true }
	switch {
	case u != nil && u.Role == gs.RoleDistrict:
	case u != nil && u.Role == gs.RoleTownAdmin:
		in, err := s.townOfEntry(ctx, u.Town)
		if err != nil {
			return err
		}
		keep, f.Town = in, u.Town
	default:
		return gs.Errorf(gs.EFORBIDDEN, "只有镇街管理员和区中心可以查看操作日志。")
	}
	return s.DB.EachAudit(ctx, f, func(e gs.AuditEntry) error {
		if !keep(e) {
			return nil
		}
		return fn(e)
	})
}

// townOfEntry returns whether an entry of the log belongs to town: its
// object names the town's quarter, one of its accounts, workers, appeals,
// calendar days or API tokens; an entry whose object names no town belongs to the
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
	workers, err := s.townWorkers(ctx)
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
		case "survey":
			t, _, _ := strings.Cut(rest, "/")
			return t == town
		case "calendar":
			if _, t, ok := strings.Cut(rest, "/"); ok {
				return t == town // a town's day, whoever set it
			}
		case "apitoken": // a token of the town, or a write by it
			t, _, _ := strings.Cut(rest, "/")
			return t == town
		}
		t, ok := userTown[e.Username]
		return ok && t == town
	}, nil
}
