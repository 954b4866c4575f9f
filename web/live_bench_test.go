package web_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

// BenchmarkLivePages5000 measures the pages a town and its workers open
// while the quarter runs, on a district of 5,000 generated workers (about
// twenty towns of about 250), the clock in the middle of 2023Q3 and the
// pages at their default moment (the last whole five minutes), through the
// real handler, timing every request (issue 12's target: every page under
// 200 ms at the 95th percentile, cold or warm):
//
//   - <page>-new-moment: the first request of each new five-minute moment,
//     the next moment having been computed ahead as a running server does
//     (Server.ComputeAhead, untimed, before the clock moves on);
//   - dashboard-cold-moment: the same without computing ahead (the first
//     page after a start, before the server's own start-up computing);
//   - dashboard-after-change: the first dashboard after a record of the
//     town changed (nothing kept can serve it).
//
// Each reports the 50th, 95th and 99th percentiles and the load average
// before and after. GRIDSCORE_BENCH_DSN runs it on PostgreSQL.
//
//	go test -run XXX -bench LivePages5000 -benchtime 30x ./web/
func BenchmarkLivePages5000(b *testing.B) {
	d := newBenchDistrictLive(b, time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST))
	town := "/towns/" + url.PathEscape(d.Town)
	ctx := context.Background()
	ahead := func() {
		next := d.clock.Truncate(5 * time.Minute).Add(5 * time.Minute)
		d.srv.ComputeAhead(ctx, next)
		d.clock = next
	}
	d.call(b, "GET", town, "admin", nil) // the town is shown live: its next moments are computed ahead
	for _, p := range []struct{ name, path, user string }{
		{"dashboard", town, "admin"},
		{"board", town + "/warnings", "admin"},
		{"worker", "/workers/" + d.Worker, "worker"},
		{"history", "/workers/" + d.Worker + "/history", "worker"},
		{"district", "/", "district"},
	} {
		b.Run(p.name+"-new-moment", func(b *testing.B) { d.timed(b, ahead, p.path, p.user) })
	}
	b.Run("dashboard-cold-moment", func(b *testing.B) {
		d.timed(b, func() { d.clock = d.clock.Add(5 * time.Minute) }, town, "admin")
	})
	round := 0
	b.Run("dashboard-after-change", func(b *testing.B) {
		d.timed(b, func() {
			round++
			day := d.quarter.First().AddDays(40)
			leave := gs.Leave{WorkerID: d.Worker, From: day, To: day, Reason: "bench " + strconv.Itoa(round)}
			if _, err := d.db.Import(ctx, &gs.Records{Leaves: []gs.Leave{leave}}, nil); err != nil {
				b.Fatal(err)
			}
		}, town, "admin")
	})
}
