package web_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/gridscore/gridscore/demo"
)

// TestLiveResultComputedAheadAfterChange: once a record is entered by hand,
// the town's live result is computed in the background, so the dashboard
// opened next finds it kept; and it shows the change.
func TestLiveResultComputedAheadAfterChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	admin := f.login("admin")
	f.get("/towns/"+url.PathEscape(demo.TownName), admin) // computed and kept
	f.mustSave(admin, "/records/findings", url.Values{"finding_id": {"F-W"}, "worker_id": {"QS001"}, "kind": {"omit_major"},
		"occurred_on": {"2023-09-06"}, "reason": {"督查发现"}})
	f.server.Wait()
	kept, err := f.server.Service.CachedTown(ctx, demo.TownName, demo.Quarter(), demo.AsOf())
	if err != nil || kept == nil {
		t.Fatalf("no live result kept after the change (err %v)", err)
	}
	for _, w := range kept.Workers {
		if w.WorkerID == "QS001" && (w.Total == nil || w.Total.String() == "100") {
			t.Errorf("the kept result does not show QS001's new finding: total %v", w.Total)
		}
	}
}
