package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	gs "github.com/gridscore/gridscore"
)

// Computing ahead: a live result follows the clock in steps of liveStep,
// and the first page opened at each new step would otherwise compute its
// town's quarter again. RunAhead computes, shortly before each step, the
// next moment of every town's quarter that pages showed live lately, so
// that the pages of the new step find it kept. A quarter whose kept result
// is settled (over, no event of it open) needs nothing: the kept result
// serves every later moment.

// aheadLead is how long before the next step its results are computed.
const aheadLead = 90 * time.Second

// aheadFor is how long after a page showed a town's quarter live its next
// moments are still computed ahead.
const aheadFor = 2 * time.Hour

// townQuarter names a town's quarter.
type townQuarter struct {
	Town    string
	Quarter gs.Quarter
}

// viewedLive notes that a page showed town's quarter q live now.
func (s *Server) viewedLive(town string, q gs.Quarter) {
	s.viewedMu.Lock()
	defer s.viewedMu.Unlock()
	if s.viewed == nil {
		s.viewed = map[townQuarter]time.Time{}
	}
	s.viewed[townQuarter{town, q}] = time.Now()
}

// lately returns the towns' quarters shown live within aheadFor, and
// forgets the others.
func (s *Server) lately() []townQuarter {
	s.viewedMu.Lock()
	defer s.viewedMu.Unlock()
	var out []townQuarter
	for tq, at := range s.viewed {
		if time.Since(at) > aheadFor {
			delete(s.viewed, tq)
			continue
		}
		out = append(out, tq)
	}
	return out
}

// StartAhead runs RunAhead in the background until ctx is done; Wait waits
// for it to return.
func (s *Server) StartAhead(ctx context.Context) {
	s.warming.Go(func() { s.RunAhead(background(ctx)) })
}

// RunAhead computes, until ctx is done, the live results of the next
// moment ahead (see ComputeAhead). First it computes the current moment of
// every town's current quarter, so that the first pages after a start find
// them kept. The server's moment must follow the clock (Server.AsOf zero).
func (s *Server) RunAhead(ctx context.Context) {
	if !s.AsOf.IsZero() {
		return
	}
	s.warmAll(ctx)
	var done time.Time // the last moment computed ahead
	for {
		now := s.now()
		next := now.Truncate(liveStep).Add(liveStep)
		wait := next.Add(-aheadLead).Sub(now)
		if wait <= 0 && !next.Equal(done) {
			s.ComputeAhead(ctx, next)
			done = next
			continue
		}
		if wait <= 0 {
			wait = next.Sub(now) + time.Second
		}
		// The clock may be stopped or set (a test, a demo): look again at
		// least every minute rather than trusting one long wait.
		select {
		case <-ctx.Done():
			return
		case <-time.After(min(wait, time.Minute)):
		}
	}
}

// ComputeAhead computes, one at a time and between the pages' own
// computations, the live result as of next of every town's quarter shown
// live lately (and of next's quarter too, when next begins a new one),
// unless the quarter's results are stored or the kept result is settled.
func (s *Server) ComputeAhead(ctx context.Context, next time.Time) {
	ctx = background(ctx)
	seen := map[townQuarter]bool{}
	for _, tq := range s.lately() {
		for _, q := range []gs.Quarter{tq.Quarter, gs.QuarterOf(gs.DateOf(next))} {
			key := townQuarter{tq.Town, q}
			if seen[key] || ctx.Err() != nil {
				continue
			}
			seen[key] = true
			s.computeAt(ctx, key, next)
		}
	}
}

// warmAll computes the current moment of every town's current quarter
// (Server.Quarter when set), unless stored or kept.
func (s *Server) warmAll(ctx context.Context) {
	ctx = background(ctx)
	towns, err := s.Service.Towns(ctx)
	if err != nil {
		s.Logger.LogAttrs(ctx, slog.LevelWarn, "live results not computed at start", slog.Any("error", err))
		return
	}
	now := s.now()
	q := s.Quarter
	if q == (gs.Quarter{}) {
		q = gs.QuarterOf(gs.DateOf(now))
	}
	for _, town := range towns {
		if ctx.Err() != nil {
			return
		}
		s.computeAt(ctx, townQuarter{town, q}, now.Truncate(liveStep))
	}
}

// computeAt computes tq's live result as of asOf, unless the quarter has
// not begun by then, the result is kept, or its results are stored and
// asOf is past the quarter's end: inside the quarter the warnings are the
// live result's even beside a stored snapshot (townWarningResults).
func (s *Server) computeAt(ctx context.Context, tq townQuarter, asOf time.Time) {
	if asOf.Before(tq.Quarter.First().Start()) {
		return
	}
	st, err := s.Service.QuarterState(ctx, tq.Town, tq.Quarter)
	if err == nil && (!st.HasSnapshot() || asOf.Before(tq.Quarter.Last().End())) {
		_, err = s.assessTown(ctx, Period{Quarter: tq.Quarter, AsOf: asOf.In(gs.CST)}, tq.Town)
	}
	if err != nil && ctx.Err() == nil {
		s.Logger.LogAttrs(ctx, slog.LevelWarn, "live result not computed ahead",
			slog.String("town", tq.Town), slog.String("quarter", tq.Quarter.String()), slog.Any("error", err))
	}
}

// warmChanged computes in the background, after u changed records, the
// live results the next pages will want: u's town's, or for the district
// (whose changes may touch any town) every town shown live lately.
func (s *Server) warmChanged(r *http.Request, u *gs.User) {
	if u.Town != "" {
		s.warmLive(r, u.Town)
		return
	}
	seen := map[string]bool{}
	for _, tq := range s.lately() {
		if !seen[tq.Town] {
			seen[tq.Town] = true
			s.warmLive(r, tq.Town)
		}
	}
}
