package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// keepLive keeps res, the live result of key, in the store for the next
// page of any server: at once, or with KeepInBackground in the
// background, where of the results of one town's quarter and moment
// waiting only the newest is written. Writing a 350-worker town's result
// (about 600 KB of JSON) took 4–5 ms of the 10 ms its update took once a
// record changed (BenchmarkLiveUpdate350); a page that waited for it would
// wait for the store's writer too, behind the records arriving.
func (s *Service) keepLive(ctx context.Context, key store.LiveKey, res *gs.Result) {
	if !s.KeepInBackground {
		s.saveLive(ctx, key, res)
		return
	}
	ls := &s.saves
	ls.mu.Lock()
	defer ls.mu.Unlock()
	mk := memoKeyOf(key)
	if e, ok := ls.pending[mk]; ok && e.key.Version > key.Version {
		return
	} else if !ok {
		ls.order = append(ls.order, mk)
	}
	if ls.pending == nil {
		ls.pending = map[memoKey]liveSave{}
	}
	// The caller may change the lists of res; the copy is the writer's.
	ls.pending[mk] = liveSave{key: key, res: listsCopied(res)}
	if !ls.running {
		ls.running = true
		ls.done.Go(func() { s.saveWaiting(context.WithoutCancel(ctx)) })
	}
}

// liveSaves are the live results waiting to be kept in the store, the
// newest of each town's quarter and moment, in the order they came.
type liveSaves struct {
	mu      sync.Mutex
	pending map[memoKey]liveSave
	order   []memoKey
	running bool // saveWaiting is writing them
	done    sync.WaitGroup
}

// liveSave is one live result waiting to be kept.
type liveSave struct {
	key store.LiveKey
	res *gs.Result
}

// saveWaiting writes the live results waiting, one at a time, until none
// is left.
func (s *Service) saveWaiting(ctx context.Context) {
	ls := &s.saves
	for {
		ls.mu.Lock()
		if len(ls.order) == 0 {
			ls.running = false
			ls.mu.Unlock()
			return
		}
		mk := ls.order[0]
		ls.order = ls.order[1:]
		sv := ls.pending[mk]
		delete(ls.pending, mk)
		ls.mu.Unlock()
		s.saveLive(ctx, sv.key, sv.res)
	}
}

// saveLive writes res as key's live result.
func (s *Service) saveLive(ctx context.Context, key store.LiveKey, res *gs.Result) {
	if err := s.DB.SaveLiveResult(ctx, key, res, s.now()); err != nil {
		// The result is right; only the next page will compute it again.
		slog.WarnContext(ctx, "live result not kept", "town", key.Town, "quarter", key.Quarter, "err", err)
	}
}

// Wait waits for the live results being kept in the background
// (KeepInBackground); call it before closing the store.
func (s *Service) Wait() { s.saves.done.Wait() }

// KeepWait waits up to d for the live results being kept in the background
// and reports whether they all were: a command that ends next does not
// wait long for a database another program keeps busy (its results are
// only a cache; the next command computes them again).
func (s *Service) KeepWait(d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		s.saves.done.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
