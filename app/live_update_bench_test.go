package app_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storebench"
	"github.com/gridscore/gridscore/store/storetest"
)

// BenchmarkLiveUpdate350 measures how soon a town's standing with its
// warnings (RULES.md §9) is ready again after one event changed: a
// generated town of 350 workers in 2023Q3, as of 2023-08-15 09:00, its
// live result kept; each iteration changes one random event (closed,
// closed at another time, or reopened; by hand or as a one-row import,
// alternately) and times app.Service.LiveTown, which brings the kept
// result up to date by computing that event's worker again and ranking
// the town (update-), against computing the whole town again
// (full-, every tenth iteration, untimed in the update figures). It
// reports the percentiles of both, the ratio of their medians, the time
// the change itself took to commit (change-), and the load average before
// and after. Issue 14's target: update under 20 ms at the 95th
// percentile. GRIDSCORE_BENCH_DSN runs it on PostgreSQL.
//
//	go test -run XXX -bench LiveUpdate350 -benchtime 200x ./app/
func BenchmarkLiveUpdate350(b *testing.B) {
	ctx := context.Background()
	q := gs.Quarter{Year: 2023, Q: 3}
	db, town, events := generatedTown(b, 350, q)
	s := &app.Service{DB: db, Scheme: scheme.Default(), KeepInBackground: true} // as a server keeps them
	defer s.Wait()
	asOf := time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST)
	res, err := s.LiveTown(ctx, town, q, asOf)
	if err != nil {
		b.Fatal(err)
	}
	warnings := 0
	for _, w := range res.Workers {
		if w.Warnings != nil {
			warnings += len(*w.Warnings)
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var update, full, commit storebench.Latencies
	load := storebench.Load1()
	i := 0
	for b.Loop() {
		e := events[rnd.IntN(len(events))]
		switch {
		case e.ClosedAt.IsZero() || e.ClosedAt.After(asOf):
			e.ClosedAt = e.ReportedAt.Add(time.Duration(1+rnd.IntN(100)) * time.Hour)
		case rnd.IntN(3) == 0:
			e.ClosedAt = time.Time{}
		default:
			e.ClosedAt = e.ClosedAt.Add(time.Duration(rnd.IntN(48)-24) * time.Hour)
		}
		start := time.Now()
		if i%2 == 0 {
			err = db.ChangeRecords(ctx, store.RecordChange{Put: &gs.Records{Events: []gs.Event{e}}})
		} else {
			_, err = db.Import(ctx, &gs.Records{Events: []gs.Event{e}}, nil)
		}
		if err != nil {
			b.Fatal(err)
		}
		commit = append(commit, time.Since(start))
		start = time.Now()
		if _, err := s.LiveTown(ctx, town, q, asOf); err != nil {
			b.Fatal(err)
		}
		update = append(update, time.Since(start))
		if i%10 == 0 {
			b.StopTimer()
			start = time.Now()
			if _, err := (&app.Service{DB: db, Scheme: scheme.Default()}).AssessTown(ctx, town, q, asOf); err != nil {
				b.Fatal(err)
			}
			full = append(full, time.Since(start))
			b.StartTimer()
		}
		i++
	}
	update.Report(b, "update-")
	full.Report(b, "full-")
	commit.Report(b, "change-")
	b.ReportMetric(float64(full.Percentile(50))/float64(update.Percentile(50)), "full/update")
	b.ReportMetric(float64(len(res.Workers)), "workers")
	b.ReportMetric(float64(warnings), "warnings")
	b.ReportMetric(load, "load-before")
	b.ReportMetric(storebench.Load1(), "load-after")
}

// generatedTown is a store, closed when the benchmark ends, holding one
// generated town of workers (at most 400) in quarter q: the store, the
// town and its events. GRIDSCORE_BENCH_DSN puts it on PostgreSQL, in a
// schema of its own, instead of a SQLite file.
func generatedTown(b *testing.B, workers int, q gs.Quarter) (*store.DB, string, []gs.Event) {
	b.Helper()
	ctx := context.Background()
	target := filepath.Join(b.TempDir(), "gridscore.db")
	if dsn := os.Getenv("GRIDSCORE_BENCH_DSN"); dsn != "" {
		target = storetest.PostgresTarget(b, dsn)
	}
	db, err := store.OpenAndMigrate(ctx, target)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	var town string
	var events []gs.Event
	err = gen.Generate(gen.Options{Workers: workers, Quarter: q, Seed: 1}, func(recs *gs.Records) error {
		town = recs.Grids[0].Town
		events = append(events, recs.Events...)
		_, err := db.Import(ctx, recs, nil)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return db, town, events
}
