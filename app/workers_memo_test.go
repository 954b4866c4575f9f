package app_test

import (
	"context"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// TestWorkerTownFollowsChanges: the town of a worker is read again once
// the records change: a new worker is found, a worker moved to a grid of
// another town is in that town.
func TestWorkerTownFollowsChanges(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, _ *time.Time) {
		ctx := context.Background()
		town := func(id string) string {
			t.Helper()
			got, err := s.WorkerTown(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if town("QS001") != demo.TownName || town("BS001") != "" {
			t.Fatalf("before: QS001 in %q, BS001 in %q", town("QS001"), town("BS001"))
		}
		var moved gs.Worker
		for _, w := range demo.Town(1).Workers {
			if w.ID == "QS001" {
				moved = w
			}
		}
		moved.GridCode = "BS-01"
		recs := &gs.Records{
			Grids:   []gs.Grid{{Code: "BS-01", Name: "白石一网格", Town: "白石镇"}},
			Workers: []gs.Worker{moved, {ID: "BS001", Name: "白一", Type: gs.FullTime, GridCode: "BS-01", HiredOn: gs.NewDate(2020, 1, 1)}},
		}
		if _, err := s.DB.Import(ctx, recs, nil); err != nil {
			t.Fatal(err)
		}
		if town("QS001") != "白石镇" || town("BS001") != "白石镇" {
			t.Errorf("after the change: QS001 in %q, BS001 in %q; want 白石镇", town("QS001"), town("BS001"))
		}
	})
}
