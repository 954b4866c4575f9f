package app

import (
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// TestLiveMemoGivesCopies: a page that changes the lists of a result it was
// given (keeps one town's workers, adds a note) does not change what the
// next page is given; the oldest results make room for new ones.
func TestLiveMemoGivesCopies(t *testing.T) {
	var m liveMemo
	at := time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST)
	key := store.LiveKey{Town: "青山镇", Quarter: "2023Q3", AsOf: at, Version: 3, Scheme: "s"}
	m.put(key, &gs.Result{Workers: []gs.WorkerResult{{WorkerID: "W1"}, {WorkerID: "W2"}}, Notes: []string{"说明"}})
	got := m.get(key)
	got.Workers = got.Workers[:1]
	got.Workers[0].WorkerID = "X"
	got.Notes = append(got.Notes, "另一条")
	again := m.get(store.LiveKey{Town: "青山镇", Quarter: "2023Q3", AsOf: at.UTC(), Version: 3, Scheme: "s"})
	if again == nil || len(again.Workers) != 2 || again.Workers[0].WorkerID != "W1" || len(again.Notes) != 1 {
		t.Fatalf("the kept result was changed through a copy given out: %+v", again)
	}
	if m.get(store.LiveKey{Town: "青山镇", Quarter: "2023Q3", AsOf: at, Version: 4, Scheme: "s"}) != nil {
		t.Error("a result was given for newer records")
	}
	for i := range memoSize {
		m.put(store.LiveKey{Town: "T", Quarter: "2023Q3", AsOf: at.Add(time.Duration(i) * time.Minute)}, &gs.Result{})
	}
	if m.get(key) != nil || len(m.m) != memoSize {
		t.Errorf("the memo holds %d results and still the oldest", len(m.m))
	}
}
