package store_test

import (
	"context"
	"testing"

	"github.com/gridscore/gridscore/store"
)

// TestAnyRecord: one question answers whether any of several filters keeps
// a record, each filter with its own town and dates, as Records counts
// them.
func TestAnyRecord(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		mustImport(t, db, fullRecords()) // town XX镇, July and August 2023; meeting M-2 is the district's
		q2 := func(kind, town string) store.RecordFilter {
			return store.RecordFilter{Kind: kind, Town: town, From: day(2023, 4, 1), To: day(2023, 6, 30)}
		}
		q3 := func(kind, town string) store.RecordFilter {
			return store.RecordFilter{Kind: kind, Town: town, From: day(2023, 7, 1), To: day(2023, 9, 30)}
		}
		for _, c := range []struct {
			name string
			fs   []store.RecordFilter
			want bool
		}{
			{"no filter", nil, false},
			{"the town's events of July", []store.RecordFilter{q3("events", "XX镇")}, true},
			{"nothing of the town before July", []store.RecordFilter{q2("events", "XX镇"), q2("leaves", "XX镇"), q2("meetings", "XX镇"), q2("ballots", "XX镇")}, false},
			{"another town sees the district's meeting", []store.RecordFilter{q3("events", "YY镇"), q3("meetings", "YY镇")}, true},
			{"another town's own work", []store.RecordFilter{q3("events", "YY镇"), q3("leaves", "YY镇"), q3("attendance", "YY镇")}, false},
			{"the last of several filters", []store.RecordFilter{q3("events", "YY镇"), q2("visits", "XX镇"), q3("visits", "XX镇")}, true},
		} {
			got, err := db.AnyRecord(ctx, c.fs...)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got != c.want {
				t.Errorf("%s: any record %v, want %v", c.name, got, c.want)
			}
			for _, f := range c.fs { // the same answer as counting them one by one
				page, err := db.Records(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if page.Matched > 0 && !got {
					t.Errorf("%s: %s keeps %d records", c.name, f.Kind, page.Matched)
				}
			}
		}
		if _, err := db.AnyRecord(ctx, store.RecordFilter{Kind: "no-such"}); err == nil {
			t.Error("a filter of no kind answered")
		}
	})
}
