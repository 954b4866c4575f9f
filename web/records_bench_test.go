package web_test

import (
	"net/url"
	"testing"

	"github.com/gridscore/gridscore/store"
)

// BenchmarkRecords5000 measures the records pages on a district of 5,000
// generated workers, one sub-benchmark per page: each kind listed by the
// district (every town), by a town's administrator and filtered to one
// worker, deep pages, and a form. The target is 200 ms a page.
// GRIDSCORE_BENCH_DSN runs it on PostgreSQL.
//
//	go test -run XXX -bench Records5000 -benchtime 5x ./web/
func BenchmarkRecords5000(b *testing.B) {
	d := newBenchDistrict(b)
	page := func(name, path, user string) { d.page(b, name, path, user) }
	worker := d.Worker
	for _, kind := range store.ListedKinds() {
		page(kind+"-district", "/records/"+kind, "district")
		page(kind+"-town", "/records/"+kind, "admin")
		page(kind+"-worker", "/records/"+kind+"?worker="+url.QueryEscape(worker), "admin")
	}
	page("events-district-all-dates", "/records/events?from=&to=&page=150", "district")
	// The deepest page a list shows (its first 10,000 rows), newest first
	// through the date index, and by a column no index serves.
	page("events-district-last-page", "/records/events?from=&to=&page=200", "district")
	page("logins-district-last-page", "/records/logins?from=&to=&page=200", "district")
	page("events-district-by-category-last-page", "/records/events?from=&to=&sort=category&page=200", "district")
	page("events-town-grid", "/records/events?grid="+url.QueryEscape(worker[:len(worker)-1]), "admin")
	page("meeting-form", "/records/meetings/new", "admin")
}
