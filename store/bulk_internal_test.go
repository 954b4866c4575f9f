package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
)

// BenchmarkRowsPerStatement writes 200,000 events into a fresh SQLite store
// through an ImportTx with statements of various sizes.
//
//	go test -run XXX -bench RowsPerStatement -benchtime 3x ./store/
func BenchmarkRowsPerStatement(b *testing.B) {
	ctx := context.Background()
	recs := &gridscore.Records{}
	start := time.Date(2023, 7, 1, 8, 0, 0, 0, gridscore.CST)
	for i := range 200_000 {
		recs.Events = append(recs.Events, gridscore.Event{ID: fmt.Sprintf("E%08d", i), WorkerID: fmt.Sprintf("W%04d", i%3000),
			Flow: gridscore.FlowSelfHandled, Severity: gridscore.SeverityGeneral, Category: "治安",
			OccurredAt: start.Add(time.Duration(i) * 7 * time.Second), ReportedAt: start.Add(time.Duration(i) * 9 * time.Second)})
	}
	defer func(n int) { maxBatchRows = n }(maxBatchRows)
	for _, per := range []int{1, 10, 50, 100, 250, 500, 1000} {
		b.Run(strconv.Itoa(per), func(b *testing.B) {
			maxBatchRows = per
			for b.Loop() {
				b.StopTimer()
				db, err := Open(ctx, filepath.Join(b.TempDir(), "gs.db"), WithMigrate())
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				it, err := db.BeginImport(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < len(recs.Events); i += 8192 {
					if err := it.Write(ctx, &gridscore.Records{Events: recs.Events[i:min(i+8192, len(recs.Events))]}); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := it.Commit(ctx); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(recs.Events)*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
