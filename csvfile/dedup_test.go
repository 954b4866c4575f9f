package csvfile

import (
	"strconv"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
)

func TestKeyTableFindsEveryKeyAgain(t *testing.T) {
	t.Parallel()
	for _, reserve := range []int{0, 50_000, 400_000, -1} {
		tab := keyTable{offHeap: reserve != 50_000}
		defer tab.free()
		if reserve > 0 {
			tab.reserve(reserve)
		}
		const n = 200_000
		for i := range n {
			if _, dup := tab.insert(hashKey("E"+strconv.Itoa(i)), uint32(i), uint32(i+2)); dup {
				t.Fatalf("reserve %d: key %d found before it was added", reserve, i)
			}
		}
		for i := range n {
			s, dup := tab.insert(hashKey("E"+strconv.Itoa(i)), 0, 1)
			if !dup || s.sum != uint32(i) || s.ord != uint32(i+2) {
				t.Fatalf("reserve %d: key %d gives %+v, %v", reserve, i, s, dup)
			}
		}
		if perKey := float64(tab.bytes()) / n; reserve <= n && perKey > 64 {
			t.Errorf("reserve %d: %.0f bytes a key", reserve, perKey)
		}
	}
}

func TestKeyTableSizedFromAnEstimateStaysSmall(t *testing.T) {
	t.Parallel()
	tab := keyTable{offHeap: true}
	defer tab.free()
	const n = 1_000_000
	tab.reserve(n)
	for i := range n {
		tab.insert(hashKey("E"+strconv.Itoa(i)), 0, uint32(i+2))
	}
	// 24 bytes a slot, filled to about 2/3.
	if perKey := float64(tab.bytes()) / n; perKey > 40 {
		t.Errorf("%.1f bytes a key, want at most 40", perKey)
	}
}

func TestDigestSeesEveryField(t *testing.T) {
	t.Parallel()
	at := time.Date(2023, 7, 3, 9, 0, 0, 0, gridscore.CST)
	fen := gridscore.Fen(100)
	fen2 := gridscore.Fen(100)
	w := gridscore.Worker{ID: "W1", Name: "张三", GridCode: "G1", HiredOn: gridscore.NewDate(2023, 1, 1), MonthlyPerformanceFen: &fen}
	same := w
	same.MonthlyPerformanceFen = &fen2 // another pointer, the same amount
	if digest(&w) != digest(&same) {
		t.Error("equal workers digest differently")
	}
	for name, other := range map[string]gridscore.Worker{
		"name":    {ID: "W1", Name: "张四", GridCode: "G1", HiredOn: w.HiredOn, MonthlyPerformanceFen: &fen},
		"no pay":  {ID: "W1", Name: "张三", GridCode: "G1", HiredOn: w.HiredOn},
		"left on": {ID: "W1", Name: "张三", GridCode: "G1", HiredOn: w.HiredOn, LeftOn: w.HiredOn, MonthlyPerformanceFen: &fen},
	} {
		if digest(&w) == digest(&other) {
			t.Errorf("workers differing in %s digest alike", name)
		}
	}
	e := gridscore.Event{ID: "E1", WorkerID: "W1", ReportedAt: at}
	e2 := e
	e2.ClosedAt = at
	if digest(&e) == digest(&e2) {
		t.Error("events differing in closed_at digest alike")
	}
	e3 := e
	e3.ReportedAt = at.In(time.UTC) // the same instant
	if digest(&e) != digest(&e3) {
		t.Error("the same instant in another zone digests differently")
	}
}

func BenchmarkKeyTableInsert(b *testing.B) {
	keys := make([]keyHash, 1<<20)
	for i := range keys {
		keys[i] = hashKey("E" + strconv.Itoa(i))
	}
	var tab keyTable
	i := 0
	for b.Loop() {
		if i == len(keys) {
			tab, i = keyTable{}, 0
		}
		tab.insert(keys[i], 0, uint32(i+2))
		i++
	}
}

func BenchmarkGoMapInsert(b *testing.B) {
	keys := make([]keyHash, 1<<20)
	for i := range keys {
		keys[i] = hashKey("E" + strconv.Itoa(i))
	}
	m := map[keyHash]uint64{}
	i := 0
	for b.Loop() {
		if i == len(keys) {
			m, i = map[keyHash]uint64{}, 0
		}
		m[keys[i]] = uint64(i)
		i++
	}
}
