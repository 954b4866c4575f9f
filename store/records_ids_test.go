package store_test

import (
	"context"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
)

// TestRecordsByID: a list limited to ids keeps exactly those records of its
// kind, whatever their dates, with the other filters still applied.
func TestRecordsByID(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		town := demo.Town(1)
		mustImport(t, db, town)
		e1, e2 := town.Events[0], town.Events[len(town.Events)-1]
		page, err := db.Records(ctx, store.RecordFilter{Kind: "events", IDs: []string{e1.ID, e2.ID, "NO-SUCH"}})
		if err != nil {
			t.Fatal(err)
		}
		if page.Matched != 2 || len(page.Records.Events) != 2 {
			t.Fatalf("ids %s, %s: %d records", e1.ID, e2.ID, page.Matched)
		}
		other := "QS001"
		if e1.WorkerID == other {
			other = "QS002"
		}
		page, err = db.Records(ctx, store.RecordFilter{Kind: "events", WorkerID: other, IDs: []string{e1.ID}})
		if err != nil || page.Matched != 0 {
			t.Fatalf("event %s of %s listed for %s (err %v)", e1.ID, e1.WorkerID, other, err)
		}
		a := town.Attendance[0]
		page, err = db.Records(ctx, store.RecordFilter{Kind: "attendance", IDs: []string{a.MeetingID}})
		if err != nil || page.Matched == 0 {
			t.Fatalf("attendance of meeting %s: %d rows (err %v)", a.MeetingID, page.Matched, err)
		}
		for _, x := range page.Records.Attendance {
			if x.MeetingID != a.MeetingID {
				t.Errorf("attendance of %s listed for %s", x.MeetingID, a.MeetingID)
			}
		}
		many := make([]string, store.MaxIDs+1)
		if _, err := db.Records(ctx, store.RecordFilter{Kind: "events", IDs: many}); gs.ErrorCode(err) != gs.EINVALID {
			t.Errorf("%d ids: err %v, want invalid", len(many), err)
		}
	})
}

// TestLastNumber: the last number of a town's findings of a year is found
// on both stores, a prefix of another case or year not counted.
func TestLastNumber(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		mustImport(t, db, demo.Town(1)) // findings HC2023-001 … HC2023-013
		for _, c := range []struct {
			prefix string
			want   int
		}{{"HC2023-", 13}, {"hc2023-", 0}, {"HC2024-", 0}, {"CC2023-", 0}} {
			if n, err := db.LastNumber(ctx, "findings", c.prefix); err != nil || n != c.want {
				t.Errorf("findings after %s: %d (err %v), want %d", c.prefix, n, err, c.want)
			}
		}
	})
}
