package app_test

import (
	"context"
	"os"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
)

// BenchmarkAssessStore assesses 2023Q3 in an existing store, named by
// GRIDSCORE_BENCH_TARGET (a SQLite file or a PostgreSQL URL, e.g. one kept
// by `gridscore bench --keep`), inside the test process so that it can be
// profiled at any size:
//
//	GRIDSCORE_BENCH_TARGET=/tmp/b/import_100000.db go test -run XXX -bench AssessStore -benchtime 1x -cpuprofile cpu.out ./app/
func BenchmarkAssessStore(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	q := gs.Quarter{Year: 2023, Q: 3}
	defer app.TuneGCForBatch(1 << 30)()
	var workers int
	for b.Loop() {
		res, err := s.Assess(ctx, q, q.Last().End().Add(7*24*time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		workers = len(res.Workers)
	}
	b.ReportMetric(float64(workers), "workers")
}

// benchStore is the service on the existing store GRIDSCORE_BENCH_TARGET
// names (the benchmark is skipped when it names none), closed at the end.
func benchStore(b *testing.B) *app.Service {
	target := os.Getenv("GRIDSCORE_BENCH_TARGET")
	if target == "" {
		b.Skip("GRIDSCORE_BENCH_TARGET names no store")
	}
	db, err := store.Open(context.Background(), target)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return &app.Service{DB: db, Scheme: scheme.Default()}
}
