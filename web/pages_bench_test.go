package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	gs "github.com/gridscore/gridscore"
)

// BenchmarkPages5000 measures the pages a person opens on a district of
// 5,000 generated workers (about twenty towns), one sub-benchmark per page:
// the district's overview, a town's dashboard before the quarter is
// computed (live, with the records just changed and as usually found) and
// after, the workers list, a worker's quarter and the appeals list. The
// issue's target is 200 ms a page. GRIDSCORE_BENCH_DSN runs it on
// PostgreSQL.
//
//	go test -run XXX -bench Pages5000 -benchtime 10x ./web/
func BenchmarkPages5000(b *testing.B) {
	d := newBenchDistrict(b)
	townPath := "/towns/" + url.PathEscape(d.Town)
	d.page(b, "district", "/", "district")
	b.Run("town-live-changed", func(b *testing.B) {
		// Each round changes one record for real (a day of leave of the
		// town's worker, its reason told apart by the round): an import
		// that writes nothing new keeps the records' version, and the page
		// would find its result kept.
		day := d.quarter.First().AddDays(40)
		round := 0
		for b.Loop() {
			b.StopTimer()
			round++
			leave := gs.Leave{WorkerID: d.Worker, From: day, To: day, Reason: "bench " + strconv.Itoa(round)}
			if _, err := d.db.Import(context.Background(), &gs.Records{Leaves: []gs.Leave{leave}}, nil); err != nil { // raises the records' version
				b.Fatal(err)
			}
			b.StartTimer()
			d.call(b, http.MethodGet, townPath, "admin", nil)
		}
	})
	d.page(b, "town-live", townPath, "admin")
	d.page(b, "workers", "/workers", "district")
	d.page(b, "workers-search", "/workers?q="+url.QueryEscape(d.Worker), "district")
	d.page(b, "worker-live", "/workers/"+d.Worker, "admin")
	d.call(b, http.MethodPost, townPath+"/quarter/compute", "admin", url.Values{"as_of": {d.clock.In(gs.CST).Format("2006-01-02T15:04")}})
	d.page(b, "town-computed", townPath, "admin")
	d.page(b, "worker-computed", "/workers/"+d.Worker, "admin")
	d.page(b, "appeals", "/appeals", "admin")
}
