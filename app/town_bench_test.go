package app_test

import (
	"context"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store/storebench"
)

// BenchmarkAssessTownOfStore computes one town of an existing store (named
// by GRIDSCORE_BENCH_TARGET, e.g. `gridscore demo --workers 5000 --db
// d.db`) as a page does when nothing is kept (app.Service.AssessTown:
// store.DB.LoadTown, then the engine), mid-quarter, reporting the
// percentiles of the computations and the load average:
//
//	GRIDSCORE_BENCH_TARGET=d.db go test -run XXX -bench AssessTownOfStore -benchtime 30x ./app/
func BenchmarkAssessTownOfStore(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	towns, err := s.Towns(ctx)
	if err != nil || len(towns) < 2 {
		b.Fatalf("the store holds %d towns (%v): want a district", len(towns), err)
	}
	q := gs.Quarter{Year: 2023, Q: 3}
	load := storebench.Load1()
	var times storebench.Latencies
	workers := 0
	for b.Loop() {
		start := time.Now()
		res, err := s.AssessTown(ctx, towns[0], q, time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST))
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		workers = len(res.Workers)
	}
	times.Report(b, "")
	b.ReportMetric(float64(workers), "workers")
	b.ReportMetric(load, "load-before")
	b.ReportMetric(storebench.Load1(), "load-after")
}
