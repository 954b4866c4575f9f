package app_test

import (
	"context"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store/storebench"
)

// BenchmarkTownStanding200 measures the first computation of a generated
// 200-worker town's 2023Q3 as the dashboard makes it when nothing is kept
// (app.Service.LiveTown: read the records, compute, keep the result), as
// of a mid-quarter moment (2023-08-15 09:00, the standing with the
// warnings of RULES.md §9) and at the quarter's end (a week after it),
// alternating the two in every iteration so that both see the same
// machine. Each iteration moves both moments on by five minutes, so that
// nothing is found kept. For comparison it also assesses the same moment
// mid-quarter through the whole-store path of `gridscore assess`
// (app.Service.Assess, which reads every row in storage order rather than
// the town's by index; the store holds this one town). It reports the
// percentiles of each (mid-…, end-… and whole-…), the ratio of the mid-
// and end-quarter medians (the cost of §9), the warnings of the
// mid-quarter result and the load average before and after. The issue's
// target is 100 ms. GRIDSCORE_BENCH_DSN runs it on PostgreSQL.
//
//	go test -run XXX -bench TownStanding200 -benchtime 200x ./app/
func BenchmarkTownStanding200(b *testing.B) {
	ctx := context.Background()
	q := gs.Quarter{Year: 2023, Q: 3}
	db, town, _ := generatedTown(b, 200, q)
	s := &app.Service{DB: db, Scheme: scheme.Default()}
	mid := time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST)
	end := q.Last().AddDays(8).Start().Add(9 * time.Hour)
	compute := func(asOf time.Time) (*gs.Result, time.Duration) {
		start := time.Now()
		res, err := s.LiveTown(ctx, town, q, asOf)
		if err != nil {
			b.Fatal(err)
		}
		return res, time.Since(start)
	}
	var midTimes, endTimes, wholeTimes storebench.Latencies
	var warnings, workers int
	load := storebench.Load1()
	i := 0
	for b.Loop() {
		step := time.Duration(i) * 5 * time.Minute
		var res *gs.Result
		var dm, de time.Duration
		if i%2 == 0 {
			res, dm = compute(mid.Add(step))
			_, de = compute(end.Add(step))
		} else {
			_, de = compute(end.Add(step))
			res, dm = compute(mid.Add(step))
		}
		start := time.Now()
		if _, err := s.Assess(ctx, q, mid.Add(step)); err != nil {
			b.Fatal(err)
		}
		wholeTimes = append(wholeTimes, time.Since(start))
		midTimes, endTimes = append(midTimes, dm), append(endTimes, de)
		warnings, workers = 0, len(res.Workers)
		for _, w := range res.Workers {
			if w.Warnings != nil {
				warnings += len(*w.Warnings)
			}
		}
		i++
	}
	midTimes.Report(b, "mid-")
	endTimes.Report(b, "end-")
	wholeTimes.Report(b, "whole-")
	b.ReportMetric(float64(midTimes.Percentile(50))/float64(endTimes.Percentile(50)), "mid/end")
	b.ReportMetric(float64(workers), "workers")
	b.ReportMetric(float64(warnings), "warnings")
	b.ReportMetric(load, "load-before")
	b.ReportMetric(storebench.Load1(), "load-after")
}
