package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store/storebench"
)

// BenchmarkWarnings5000 measures, on a district of 5,000 generated workers
// (about twenty towns of about 250) in the middle of 2023Q3 (the clock
// stopped at 2023-08-15 09:00, the pages at their default moment, the last
// whole five minutes), the pages of RULES.md §9 through the real handler
// with a signed-in session, one sub-benchmark each, timing every request:
//
//   - board-first: a town's warnings board (GET /towns/{town}/warnings)
//     when nothing is kept: the clock moves on five minutes before each
//     request, so each computes the town's standing at a new moment and
//     keeps it, as the first page opened in each five minutes does;
//   - board-kept: the board once the town's live result is kept (the
//     issue's target: under 200 ms at the 95th percentile), as the town's
//     administrator and as the district;
//   - worker-kept: a worker's own page (GET /workers/{id}) once kept, as
//     the worker on their phone and as the administrator.
//
// Each reports the 50th, 95th and 99th percentiles of its requests and the
// load average before and after. GRIDSCORE_BENCH_DSN runs it on
// PostgreSQL.
//
//	go test -run XXX -bench Warnings5000 -benchtime 200x ./web/
func BenchmarkWarnings5000(b *testing.B) {
	d := newBenchDistrictLive(b, time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST))
	board := "/towns/" + url.PathEscape(d.Town) + "/warnings"
	b.Run("board-first", func(b *testing.B) {
		d.timed(b, func() { d.clock = d.clock.Add(5 * time.Minute) }, board, "admin")
	})
	d.call(b, http.MethodGet, board, "admin", nil) // keeps the live result of the clock's moment
	b.Run("board-kept", func(b *testing.B) { d.timed(b, nil, board, "admin") })
	b.Run("board-kept-district", func(b *testing.B) { d.timed(b, nil, board, "district") })
	b.Run("worker-kept", func(b *testing.B) { d.timed(b, nil, "/workers/"+d.Worker, "worker") })
	b.Run("worker-kept-admin", func(b *testing.B) { d.timed(b, nil, "/workers/"+d.Worker, "admin") })
}

// timed opens path as user once per iteration, after before (when not
// nil, untimed), fails unless the page is shown (200), and reports the percentiles of the
// requests' times and the load average.
func (d *benchDistrict) timed(b *testing.B, before func(), path, user string) {
	load := storebench.Load1()
	var times storebench.Latencies
	for b.Loop() {
		if before != nil {
			before()
		}
		start := time.Now()
		code := d.call(b, http.MethodGet, path, user, nil)
		times = append(times, time.Since(start))
		if code != http.StatusOK {
			b.Fatalf("GET %s as %s: status %d", path, user, code)
		}
	}
	times.Report(b, "")
	b.ReportMetric(load, "load-before")
	b.ReportMetric(storebench.Load1(), "load-after")
}
