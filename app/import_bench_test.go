package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store/storebench"
	"github.com/gridscore/gridscore/store/storetest"
)

// benchEvents is the number of event rows of BenchmarkImportEvents;
// GRIDSCORE_BENCH_EVENTS changes it.
func benchEvents() int {
	if n, err := strconv.Atoi(os.Getenv("GRIDSCORE_BENCH_EVENTS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkImportEvents imports a file of a million events (and the grids
// and workers they name) into a fresh store of each engine through
// ImportFiles, and loads the same events into another fresh store the
// store's own fastest way (storebench.BulkLoader, the floor), reporting
// both rates, their ratio and the import's peak memory.
//
//	go test -run XXX -bench ImportEvents -benchtime 1x ./app/
func BenchmarkImportEvents(b *testing.B) {
	n := benchEvents()
	dir := b.TempDir()
	tw := town{workers: 3000, events: n}
	tw.write(b, dir)

	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			ctx := context.Background()
			var importRate, bulkRate, heapMB, rssMB float64
			for b.Loop() {
				b.StopTimer()
				db := mustOpen(b, be.Target(b))
				svc := &app.Service{DB: db}
				mem := startMemPeak()
				b.StartTimer()
				start := time.Now()
				res, err := svc.ImportFiles(ctx, dir)
				if err != nil {
					b.Fatal(err)
				}
				importRate = float64(tw.rows()) / time.Since(start).Seconds()
				b.StopTimer()
				heapMB, rssMB = mem.done()
				if s := res.Stats["events"]; s.Inserted != int64(n) {
					b.Fatalf("events stats = %+v", s)
				}

				// The floor's rows are read only now, so that they do not
				// count in the import's memory.
				batch, err := csvfile.Read(filepath.Join(dir, "events.csv"))
				if err != nil {
					b.Fatal(err)
				}
				events := batch.Records.Events
				bl, err := storebench.NewBulkLoader(ctx, mustOpen(b, be.Target(b)))
				if err != nil {
					b.Fatal(err)
				}
				for start := 0; start < len(events); start += genPart {
					part := events[start:min(start+genPart, len(events))]
					if err := bl.Load(ctx, &gs.Records{Events: part}); err != nil {
						b.Fatal(err)
					}
				}
				rows, spent, err := bl.Commit(ctx)
				if err != nil {
					b.Fatal(err)
				}
				bulkRate = float64(rows) / spent.Seconds()
				b.StartTimer()
			}
			b.ReportMetric(importRate, "import-rows/s")
			b.ReportMetric(bulkRate, "bulk-rows/s")
			b.ReportMetric(importRate/bulkRate, "ratio")
			b.ReportMetric(heapMB, "peak-heap-MB")
			b.ReportMetric(rssMB, "peak-RSS-MB")
		})
	}
}

// BenchmarkImportProvince imports a quarter of GRIDSCORE_BENCH_WORKERS
// workers (5,000 unless set) with a province's proportions — per worker 170
// events, 64 logins and 128 patrols — into a fresh store of each engine,
// reporting the rate and the peak memory. At 100,000 workers that is 17 M
// events, 6.4 M logins and 12.8 M patrols.
//
//	GRIDSCORE_BENCH_WORKERS=100000 go test -run XXX -bench ImportProvince -benchtime 1x -timeout 3h ./app/
func BenchmarkImportProvince(b *testing.B) {
	workers := 5000
	if n, err := strconv.Atoi(os.Getenv("GRIDSCORE_BENCH_WORKERS")); err == nil && n > 0 {
		workers = n
	}
	tw := town{workers: workers, events: 170 * workers, logins: 64 * workers, patrols: 128 * workers}
	dir := b.TempDir()
	tw.write(b, dir)
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			var rate, heapMB, rssMB float64
			for b.Loop() {
				b.StopTimer()
				db := mustOpen(b, be.Target(b))
				mem := startMemPeak()
				b.StartTimer()
				start := time.Now()
				if _, err := (&app.Service{DB: db}).ImportFiles(context.Background(), dir); err != nil {
					b.Fatal(err)
				}
				rate = float64(tw.rows()) / time.Since(start).Seconds()
				b.StopTimer()
				heapMB, rssMB = mem.done()
				b.StartTimer()
			}
			b.ReportMetric(float64(tw.rows()), "rows")
			b.ReportMetric(rate, "import-rows/s")
			b.ReportMetric(heapMB, "peak-heap-MB")
			b.ReportMetric(rssMB, "peak-RSS-MB")
		})
	}
}
