package csvfile

import (
	"testing"
	"time"

	"github.com/gridscore/gridscore"
)

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
