package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestConcurrentPushesOfOneKeyByTwoTowns: two towns' tokens pushing an
// event of the same id at once, each with its own worker: one is written,
// the other is refused as another town's record (403), and the stored
// event is the one written. Each push, once past the town check, waits
// for the other to get past it too (at most a moment): the check must
// hold what it saw until the push is written, or both get past and the
// later overwrites the other town's event.
func TestConcurrentPushesOfOneKeyByTwoTowns(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			s, writers := twoTowns(t, b)
			raceTwoTowns(t, s, writers, func(town string) (bool, error) { return pushRaceEvent(s, town, writers[town]) })
		})
	}
}

// pushRaceEvent pushes with a token of town the event RACE-1 of worker,
// and says whether it was refused as another town's record.
func pushRaceEvent(s *Service, town, worker string) (refused bool, err error) {
	tok := &gs.APIToken{ID: 1, Town: town, Name: "平台", Write: []string{gs.KindEvents}}
	body := fmt.Sprintf(`[{"event_id": "RACE-1", "worker_id": %q, "flow": "reported", "reported_at": "2023-09-20 10:00"}]`, worker)
	_, err = s.PushRecords(context.Background(), tok, gs.KindEvents, strings.NewReader(body))
	return gs.ErrorCode(err) == gs.EFORBIDDEN, err
}

// twoTowns returns a service on the demo store with a second town,
// 白石镇, and the worker of each town (QS001, BS001) by town.
func twoTowns(t *testing.T, b storetest.Backend) (*Service, map[string]string) {
	t.Helper()
	db := demoStore(t, b)
	other := &gs.Records{Grids: []gs.Grid{{Code: "BS-01", Name: "白石第一网格", Town: "白石镇"}},
		Workers: []gs.Worker{{ID: "BS001", Name: "白一", Type: gs.FullTime, GridCode: "BS-01", HiredOn: gs.NewDate(2020, 1, 1)}}}
	if _, err := db.Import(context.Background(), other, nil); err != nil {
		t.Fatal(err)
	}
	return &Service{DB: db, Scheme: scheme.Default()}, map[string]string{demo.TownName: "QS001", "白石镇": "BS001"}
}

// raceTwoTowns runs write for each town of writers at once, each writing
// the event RACE-1 of its worker and saying whether it was refused as
// another town's record; each, once past its town check, waits for the
// other to get past it too (at most a moment). One must be written and
// the other refused, and the stored event must be the one written.
func raceTwoTowns(t *testing.T, s *Service, writers map[string]string, write func(town string) (refused bool, err error)) {
	t.Helper()
	var passed atomic.Int32
	both := make(chan struct{})
	s.townChecked = func() {
		if passed.Add(1) == 2 {
			close(both)
		}
		select {
		case <-both:
		case <-time.After(300 * time.Millisecond):
		}
	}
	errs := map[string]error{}
	refused := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for town := range writers {
		wg.Go(func() {
			r, err := write(town)
			mu.Lock()
			errs[town], refused[town] = err, r
			mu.Unlock()
		})
	}
	wg.Wait()
	winner := ""
	for town, err := range errs {
		switch {
		case err == nil && winner == "":
			winner = town
		case err == nil:
			t.Errorf("both were written")
		case !refused[town]:
			t.Errorf("%s's write: %v, want written or refused as another town's record", town, err)
		}
	}
	if winner == "" {
		t.Fatalf("neither was written: %v", errs)
	}
	stored, err := s.DB.Record(context.Background(), gs.KindEvents, "RACE-1")
	if err != nil {
		t.Fatal(err)
	}
	if got := stored.Events[0].WorkerID; got != writers[winner] {
		t.Errorf("the stored event is %s's, but %s's was the one written", got, winner)
	}
}

// TestConcurrentBallotPushesOnASmallPool: ballot pushes at once, as many
// as the PostgreSQL pool has connections, all get through: none holds its
// import's connection while it waits for another to read the survey's
// ballots (on PostgreSQL reads and writes share one pool).
func TestConcurrentBallotPushesOnASmallPool(t *testing.T) {
	for _, b := range storetest.Backends() {
		if b.Name != "postgres" {
			continue // SQLite's reads have their own pool
		}
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			db, err := store.OpenAndMigrate(ctx, b.Target(t), store.WithMaxConns(2))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Import(ctx, demo.Town(1), nil); err != nil {
				t.Fatal(err)
			}
			s := &Service{DB: db, Scheme: scheme.Default()}
			var passed atomic.Int32
			both := make(chan struct{})
			s.townChecked = func() { // each waits, its import begun, for the other's
				if passed.Add(1) == 2 {
					close(both)
				}
				select {
				case <-both:
				case <-time.After(2 * time.Second):
				}
			}
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i := range errs {
				wg.Go(func() {
					tok := &gs.APIToken{ID: 1, Town: demo.TownName, Name: "平台", Write: []string{gs.KindBallots}}
					body := fmt.Sprintf(`[{"ballot_id": "POOL-%d", "worker_id": "QS001", "rater_group": "resident", "rating": "satisfied", "cast_at": "2023-09-20 10:00"}]`, i)
					_, errs[i] = s.PushRecords(ctx, tok, gs.KindBallots, strings.NewReader(body))
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("ballot push %d on a pool of two: %v", i, err)
				}
			}
		})
	}
}
