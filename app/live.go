package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// LiveTown returns town's quarter q computed live as of asOf, as AssessTown
// does, but through the store's live results: when the same town, quarter,
// moment, records and rules were computed before (by this server or
// another), that result is returned without reading the records again;
// when they were computed from older records, only the workers whose
// results rest on records changed since are computed again (updateTown);
// otherwise the whole town is computed. The result is kept for the next
// page.
//
// The version of the records is read before the records, so a change
// committed in between leaves the kept result with the older version, never
// a newer result under an older version or the reverse.
func (s *Service) LiveTown(ctx context.Context, town string, q gs.Quarter, asOf time.Time) (*gs.Result, error) {
	res, key, err := s.cachedTown(ctx, town, q, asOf)
	if err != nil || res != nil {
		return res, err
	}
	res, key, err = s.updateTown(ctx, key, q, asOf)
	if err != nil {
		return nil, err
	}
	s.memo.put(key, res)
	s.keepLive(ctx, key, res)
	return res, nil
}

// CachedTown returns the kept live result of town's quarter q as of asOf
// for the records as they are now, or nil when there is none; it computes
// nothing. A caller that bounds how many computations run at once asks here
// first, then LiveTown once its turn comes.
func (s *Service) CachedTown(ctx context.Context, town string, q gs.Quarter, asOf time.Time) (*gs.Result, error) {
	res, _, err := s.cachedTown(ctx, town, q, asOf)
	return res, err
}

func (s *Service) cachedTown(ctx context.Context, town string, q gs.Quarter, asOf time.Time) (*gs.Result, store.LiveKey, error) {
	v, err := s.DB.TownVersion(ctx, town)
	if err != nil {
		return nil, store.LiveKey{}, err
	}
	key := store.LiveKey{Town: town, Quarter: q.String(), AsOf: asOf, Version: v, Scheme: s.rulesKey()}
	if res := s.memo.get(key); res != nil {
		return res, key, nil
	}
	res, err := s.DB.LiveResult(ctx, key)
	if res != nil {
		s.memo.put(key, res)
	}
	return res, key, err
}

// memoSize is how many live results liveMemo holds: a district's towns at
// a few moments.
const memoSize = 128

// liveMemo holds decoded live results, the last computed or read of each
// town's quarter, moment and rules, with the version of the records it
// rests on; the oldest put first out. get returns a copy whose lists may be
// changed by the caller.
type liveMemo struct {
	mu   sync.Mutex
	m    map[memoKey]memoEntry
	keys []memoKey
}

// memoKey is a live result's key without its version.
type memoKey struct {
	Town, Quarter string
	AsOf          time.Time
	Scheme        string
}

// memoEntry is a kept result and the version of the records it rests on.
type memoEntry struct {
	version int64
	res     *gs.Result
}

func memoKeyOf(k store.LiveKey) memoKey {
	return memoKey{Town: k.Town, Quarter: k.Quarter, AsOf: k.AsOf.UTC(), Scheme: k.Scheme}
}

// get returns a copy of the result kept for k, at k's version, or nil.
func (m *liveMemo) get(k store.LiveKey) *gs.Result {
	m.mu.Lock()
	e, ok := m.m[memoKeyOf(k)]
	m.mu.Unlock()
	if !ok || e.version != k.Version {
		return nil
	}
	return listsCopied(e.res)
}

// base returns the result kept for k's moment at k's version or an older
// one, and that version; nil when there is none. The result is shared:
// the caller must not change it.
func (m *liveMemo) base(k store.LiveKey) (*gs.Result, int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[memoKeyOf(k)]
	if !ok || e.version > k.Version {
		return nil, 0
	}
	return e.res, e.version
}

// listsCopied returns a copy of res whose lists (workers, notes) are its
// own: a page that changes them does not change res.
func listsCopied(res *gs.Result) *gs.Result {
	cp := *res
	cp.Workers = slices.Clone(res.Workers)
	cp.Notes = slices.Clone(res.Notes)
	return &cp
}

// put keeps res as the result of k, unless one from newer records is kept.
func (m *liveMemo) put(k store.LiveKey, res *gs.Result) {
	mk := memoKeyOf(k)
	cp := listsCopied(res)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[memoKey]memoEntry{}
	}
	e, ok := m.m[mk]
	if ok && e.version > k.Version {
		return
	}
	if !ok {
		m.keys = append(m.keys, mk)
	}
	m.m[mk] = memoEntry{version: k.Version, res: cp}
	for len(m.keys) > memoSize {
		delete(m.m, m.keys[0])
		m.keys = m.keys[1:]
	}
}

// rulesKey identifies the rules a live result was computed by: the scheme's
// content and the program's build, so that neither a changed scheme file nor
// a new release shows a result computed by the old rules.
func (s *Service) rulesKey() string {
	s.rulesOnce.Do(func() {
		h := sha256.New()
		js, _ := json.Marshal(s.Scheme)
		h.Write(js)
		revision, modified := false, false
		if bi, ok := debug.ReadBuildInfo(); ok {
			h.Write([]byte(bi.Main.Version + bi.Main.Sum))
			for _, st := range bi.Settings {
				if st.Key == "vcs.revision" || st.Key == "vcs.time" || st.Key == "vcs.modified" {
					h.Write([]byte(st.Key + "=" + st.Value))
					revision = revision || st.Key == "vcs.revision"
					modified = modified || st.Key == "vcs.modified" && st.Value == "true"
				}
			}
		}
		// A program built without its revision (-buildvcs=false, or out of
		// a source tree) or from a changed tree is told apart by its file,
		// its size and modification time (not its path: a server and the
		// command line may run the same build from two places), so that a
		// rebuilt program with other rules never takes the old one's
		// results.
		if !revision || modified {
			if exe, err := os.Executable(); err == nil {
				if fi, err := os.Stat(exe); err == nil {
					fmt.Fprintf(h, "exe=%d;%d", fi.Size(), fi.ModTime().UnixNano())
				}
			}
		}
		s.rules = s.Scheme.ID + ":" + hex.EncodeToString(h.Sum(nil)[:12])
	})
	return s.rules
}
